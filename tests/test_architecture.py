"""The layering of DESIGN.md: references knows nothing of articles or portal,
and neither knows the read API that composes them."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(package):
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield path, alias.name
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                yield path, node.module


def test_references_never_imports_articles_or_portal():
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path, module in imported_modules("references")
        if module.split(".")[0] in {"articles", "portal"}
    ]
    assert offenders == []


def test_articles_never_imports_portal():
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path, module in imported_modules("articles")
        if module.split(".")[0] == "portal"
    ]
    assert offenders == []


def test_articles_and_references_never_import_the_api():
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for package in ("articles", "references")
        for path, module in imported_modules(package)
        if module.split(".")[0] == "api"
    ]
    assert offenders == []
