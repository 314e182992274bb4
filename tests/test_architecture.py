"""The layering of DESIGN.md: references knows nothing of articles or portal,
neither knows the read API that composes them, and no module of the project
depends on itself through the others."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The project's own packages: every top-level package but the tests, so an
# app added later is checked without being named here.
PACKAGES = sorted(
    path.parent.name
    for path in ROOT.glob("*/__init__.py")
    if path.parent.name != "tests"
)


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


def test_readers_questions_stay_out_of_the_apps_they_use():
    """``questions`` uses articles, references and portal's throttling; none
    of the apps (nor the read API, which must never reach a question) imports
    it: the site reaches it only through URLs and templates."""
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for package in ("articles", "references", "portal", "api")
        for path, module in imported_modules(package)
        if module.split(".")[0] == "questions"
    ]
    assert offenders == []


def test_readers_questions_never_import_the_api():
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path, module in imported_modules("questions")
        if module.split(".")[0] == "api"
    ]
    assert offenders == []


def module_files(root=ROOT, packages=PACKAGES):
    """{dotted module name: path} of every module of the project's packages."""
    files = {}
    for package in packages:
        for path in (root / package).rglob("*.py"):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            files[".".join(parts)] = path
    return files


def ancestors(name):
    """The packages Python imports before ``name``: a.b.c -> a, a.b."""
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def imports_in(name, path, modules):
    """(project module, line) for each import in the module ``name``, wherever
    it stands (module level, a function, a branch).

    ``from . import x`` and ``from .x import y`` are resolved against the
    module's package, and ``y`` counts as the module ``x.y`` when it is one
    (a submodule), as the module ``x`` otherwise (a name defined there).
    """
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            if target in modules:
                yield target, node.lineno


def import_graph(root=ROOT, packages=PACKAGES):
    """{module: {module it depends on: "path:line" of the import}}.

    Importing ``a.b.c`` runs the packages ``a`` and ``a.b`` first, so the
    importer depends on those too, except on its own packages: Python has
    started them before the importer, so a package whose ``__init__`` imports
    its submodules, which import one another, has no cycle. A submodule that
    imports a *name* from its own package's ``__init__`` still depends on it.
    """
    modules = module_files(root, packages)
    graph = {name: {} for name in modules}
    for name, path in modules.items():
        where = path.relative_to(root).as_posix()
        for target, line in imports_in(name, path, modules):
            implied = {
                package
                for package in ancestors(target) - ancestors(name)
                if package in modules
            }
            for dependency in {target} | implied:
                if dependency != name:
                    graph[name].setdefault(dependency, f"{where}:{line}")
    return graph


def cycles(graph):
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for dependency in graph[module]:
            if dependency not in index:
                visit(dependency)
                low[module] = min(low[module], low[dependency])
            elif dependency in on_stack:
                low[module] = min(low[module], index[dependency])
        if low[module] == index[module]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(component)

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def describe(component, graph):
    """The imports that tie the modules of ``component`` to one another."""
    return "\n".join(
        f"  {module} -> {dependency} ({where})"
        for module in sorted(component)
        for dependency, where in sorted(graph[module].items())
        if dependency in component
    )


def test_no_import_cycle_between_the_projects_modules():
    graph = import_graph()
    found = [describe(component, graph) for component in cycles(graph)]
    assert found == [], "import cycles:\n" + "\n".join(found)


# The cycle finder itself, on small packages written for the purpose.


def cycles_in(tmp_path, files):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    packages = sorted({name.split("/")[0] for name in files})
    return sorted(sorted(c) for c in cycles(import_graph(tmp_path, packages)))


def test_a_package_that_reexports_submodules_importing_one_another_has_no_cycle(
    tmp_path,
):
    assert (
        cycles_in(
            tmp_path,
            {
                "app/__init__.py": "",
                "app/render/__init__.py": (
                    "from .clean import clean\nfrom .markup import render\n"
                ),
                "app/render/clean.py": "from .limits import LIMIT\n",
                "app/render/limits.py": "LIMIT = 1\n",
                "app/render/markup.py": (
                    "from . import limits\nfrom app.render.clean import clean\n"
                ),
            },
        )
        == []
    )


def test_a_submodule_reading_a_name_from_its_own_package_init_is_a_cycle(tmp_path):
    found = cycles_in(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/render/__init__.py": "from .clean import clean\nLIMIT = 1\n",
            "app/render/clean.py": "from . import LIMIT\n",
        },
    )
    assert found == [["app.render", "app.render.clean"]]


def test_an_import_inside_a_function_closes_a_cycle(tmp_path):
    found = cycles_in(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/notify.py": "def send():\n    from .flow import BOARD\n",
            "app/flow.py": "from app import notify\nBOARD = 'board'\n",
        },
    )
    assert found == [["app.flow", "app.notify"]]


def test_relative_imports_resolve_to_the_module_they_name(tmp_path):
    found = cycles_in(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/pages.py": "from .search.words import forms\n",
            "app/search/__init__.py": "",
            "app/search/words.py": "from ..pages import page\n",
            "app/search/other.py": "from .. import pages\n",
        },
    )
    assert found == [["app.pages", "app.search.words"]]


def test_importing_from_a_package_runs_its_init_which_may_close_a_cycle(tmp_path):
    found = cycles_in(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/caching.py": "from app.search import words\n",
            "app/search/__init__.py": "from . import index\n",
            "app/search/words.py": "",
            "app/search/index.py": "from ..caching import cache\n",
        },
    )
    assert found == [["app.caching", "app.search", "app.search.index"]]


def test_cycles_across_apps_are_found(tmp_path):
    found = cycles_in(
        tmp_path,
        {
            "one/__init__.py": "",
            "one/a.py": "import two.b\n",
            "two/__init__.py": "",
            "two/b.py": "from one.a import x\n",
        },
    )
    assert found == [["one.a", "two.b"]]
