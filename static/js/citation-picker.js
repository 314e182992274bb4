/* The article form's citation picker: search the library and
 * insert [@key] at the cursor of the text last written in.
 *
 * Progressive enhancement: without this script the search opens its results
 * page in a new tab, where each reference shows its key to copy. With it,
 * the results come as JSON from the same address and each gets an "Insert"
 * button. Nothing here is inline (CSP: script-src 'self'); results are built
 * with textContent, never as HTML. */
(function () {
  "use strict";

  var picker = document.querySelector("[data-citation-picker]");
  var form = document.querySelector("[data-picker-form]");
  if (!picker || !form || !window.fetch) {
    return;
  }
  var input = document.getElementById("picker-q");
  var list = picker.querySelector("[data-picker-results]");
  var status = picker.querySelector("[data-picker-status]");
  var texts = Array.prototype.slice.call(
    document.querySelectorAll("textarea[name='body'], textarea[name='plain_body']")
  );
  if (!input || !list || !status || !texts.length) {
    return;
  }
  picker.classList.add("citation-picker--enhanced");
  form.removeAttribute("target");

  // The text the citation goes into: the one written in last, else the body,
  // with the selection it had when the editor left it for the picker.
  var target = texts[0];
  texts.forEach(function (area) {
    area.addEventListener("focus", function () {
      target = area;
    });
  });

  function labelOf(area) {
    var label = document.querySelector("label[for='" + area.id + "']");
    return label ? label.textContent.replace("*", "").trim() : area.name;
  }

  function insert(key) {
    var marker = "[@" + key + "]";
    var start = target.selectionStart;
    var end = target.selectionEnd;
    // "helps [@key]." as Pandoc writes it: a space after a word, none at the
    // start of a line or after one.
    var before = target.value.slice(0, start);
    var text = before && !/\s$/.test(before) ? " " + marker : marker;
    target.focus();
    target.setRangeText(text, start, end, "end");
    target.dispatchEvent(new Event("input", { bubbles: true }));
    status.textContent =
      picker.dataset.inserted
        ? picker.dataset.inserted.replace("%(marker)s", marker).replace("%(field)s", labelOf(target))
        : marker + " → " + labelOf(target);
  }

  function describe(found) {
    var parts = [];
    if (found.authors) {
      parts.push(found.authors + ".");
    }
    parts.push(found.title + ".");
    if (found.source) {
      parts.push(found.source);
    }
    if (found.year) {
      parts.push(String(found.year));
    }
    return parts.join(" ");
  }

  function show(results, query) {
    list.textContent = "";
    results.forEach(function (found) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "picker-insert";
      button.textContent = (picker.dataset.insertLabel || "Insert") + " [@" + found.key + "]";
      button.addEventListener("click", function () {
        insert(found.key);
      });
      var text = document.createElement("span");
      text.className = "picker-ref";
      text.textContent = describe(found);
      item.appendChild(button);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(text);
      if (found.inbox) {
        var badge = document.createElement("span");
        badge.className = "badge badge--inbox";
        badge.textContent = picker.dataset.inboxLabel || "In the curation inbox";
        item.appendChild(document.createTextNode(" "));
        item.appendChild(badge);
      }
      list.appendChild(item);
    });
    list.hidden = results.length === 0;
    var template = results.length === 1 ? picker.dataset.foundOne : picker.dataset.foundMany;
    status.textContent = results.length
      ? (template || "%(count)s").replace("%(count)s", results.length)
      : (picker.dataset.foundNone || "Nothing matches “%(query)s”.").replace("%(query)s", query);
  }

  var pending = null;
  var timer = null;

  function run() {
    var query = input.value.trim();
    if (!query) {
      list.textContent = "";
      list.hidden = true;
      return;
    }
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    var url = form.action + "?" + new URLSearchParams({ q: query, format: "json" });
    fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      signal: pending.signal,
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        show(data.results, query);
      })
      .catch(function (error) {
        if (error.name !== "AbortError") {
          status.textContent = picker.dataset.failed || "The search failed; try again.";
        }
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 300);
  });
})();
