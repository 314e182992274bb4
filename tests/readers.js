// What other tools make of the portal's data: citation-js reading an export,
// citeproc-js formatting CSL items. Run by tests/readers.py with the system's
// Node; the packages are pinned in package.json (installed by `npm ci`).
//
// Reads one JSON request on stdin and prints one JSON answer on stdout:
//   {"action": "parse", "format": "ris" | "bibtex" | "csl", "text": "..."}
//     -> the CSL-JSON items citation-js reads from the text
//   {"action": "bibliography", "style": "<CSL XML>", "locale": "<locale XML>",
//    "items": [CSL items]}
//     -> for each item, in the order given, its bibliography entry as
//        citeproc-js writes it in HTML
"use strict";

const { Cite } = require("@citation-js/core");
require("@citation-js/plugin-ris");
require("@citation-js/plugin-bibtex");
require("@citation-js/plugin-csl");
const CSL = require("citeproc");

const INPUT_TYPES = {
  ris: "@ris/file",
  bibtex: "@biblatex/text",
  csl: "@csl/list+object",
};

function parse({ format, text }) {
  const forceType = INPUT_TYPES[format];
  if (!forceType) throw new Error(`unknown format ${format}`);
  const data = format === "csl" ? JSON.parse(text) : text;
  return new Cite(data, { forceType }).data;
}

function bibliography({ style, locale, items }) {
  // One engine per item: each entry is formatted on its own, as the site's
  // "Cite" box formats one reference (no numbering across items).
  return items.map((item) => {
    const sys = {
      retrieveLocale: () => locale,
      retrieveItem: () => item,
    };
    const engine = new CSL.Engine(sys, style, "en-US", true);
    engine.updateItems([item.id]);
    const [, entries] = engine.makeBibliography();
    return entries[0];
  });
}

const ACTIONS = { parse, bibliography };

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  input += chunk;
});
process.stdin.on("end", () => {
  const request = JSON.parse(input);
  const action = ACTIONS[request.action];
  if (!action) throw new Error(`unknown action ${request.action}`);
  process.stdout.write(JSON.stringify(action(request)));
});
