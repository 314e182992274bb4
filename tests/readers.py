"""Other tools reading the portal's data: citation-js and citeproc-js.

``tests/readers.js`` runs them with the system's Node from ``node_modules``
(pinned in package.json, installed by ``make test`` with ``npm ci``), as
tests/standards runs the Nu HTML checker with Java. A missing Node or package
is a failure, not a skip: the suite must never pass without these readers.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "readers.js"
NODE = shutil.which("node") or "/usr/bin/node"
PACKAGES = ("@citation-js/core", "citeproc")


def _run(request: dict):
    for package in PACKAGES:
        if not (ROOT / "node_modules" / package).is_dir():
            pytest.fail(
                f"node_modules/{package} is missing: run `npm ci` (make test does)."
            )
    if not Path(NODE).exists():
        pytest.fail("Node is missing: install it (Debian: nodejs).")
    result = subprocess.run(
        [NODE, str(SCRIPT)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    if result.returncode:
        pytest.fail(f"{SCRIPT.name} failed:\n{result.stderr}")
    return json.loads(result.stdout)


def citation_js(text: str, format: str) -> list[dict]:
    """The CSL-JSON items citation-js reads from ``text`` ("ris", "bibtex", "csl")."""
    return _run({"action": "parse", "format": format, "text": text})


def citeproc_js(items: list[dict], *, style: str, locale: str) -> list[str]:
    """Each CSL item's bibliography entry in HTML, as citeproc-js formats it
    with the ``style`` and ``locale`` XML given."""
    return _run(
        {"action": "bibliography", "style": style, "locale": locale, "items": items}
    )
