"""The layers of plans/: each folder imports only what its ``__init__`` docstring allows, pages and
template tags run no queryset, and the indicator catalogue depends on nothing in plans.

Every folder of plans/ says in its docstring, on a line ``May import: a, b, c.``, which parts of
the project its modules may import (``models`` is ``plans.models`` and everything in it,
``words.messages`` that one module, ``indicators.models`` the catalogue's models). The modules
are read with ``ast``, not imported: an import inside a function counts as much as one at the top.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans"
INDICATORS = ROOT / "indicators"

# Loose files of the app itself, outside every layer.
APP_FILES = {"__init__.py", "apps.py"}

# Imports the rules forbid that another engineer's work (issue 18: refusals for services and
# access move from words.wording into words.messages) removes. Each entry must still be needed:
# the test fails when one is not, so that the list only shrinks.
TEMPORARY_EXCEPTIONS: set[tuple[str, str]] = set()

# Methods that only a queryset or a manager answers (or that run one); a page module calling
# them runs a query of its own.
QUERYSET_METHODS = {
    "aggregate", "alias", "all", "annotate", "bulk_create", "bulk_update", "defer", "distinct",
    "earliest", "exclude", "exists", "extra", "filter", "first", "get_or_create", "in_bulk",
    "iterator", "last", "latest", "only", "order_by", "prefetch_related", "raw",
    "select_for_update", "select_related", "update_or_create", "values_list",
}
QUERY_SHORTCUTS = {"get_object_or_404", "get_list_or_404"}
NO_QUERYSET_FOLDERS = ("views", "templatetags")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def project_imports(path: Path, module: str | None = None) -> set[str]:
    """Return the modules of plans and indicators that the module at ``path`` (named
    ``module``, by default from its place in the tree) imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = module or module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # ``from plans.selectors import progress`` imports plans.selectors.progress;
            # ``from plans.rules.digest import results_digest`` imports plans.rules.digest.
            names = [base] + [
                f"{base}.{alias.name}" for alias in node.names
                if is_module(f"{base}.{alias.name}")
            ]
        else:
            continue
        found.update(name for name in names if name.split(".")[0] in ("plans", "indicators"))
    return found


def allowed_imports(folder: Path) -> tuple[str, ...]:
    """Return the module prefixes the ``May import:`` line of ``folder``'s docstring names."""
    docstring = ast.get_docstring(ast.parse((folder / "__init__.py").read_text("utf-8"))) or ""
    match = re.search(r"^May import: (.+?)\.$", docstring, re.M | re.S)
    assert match, f"{folder.name}/__init__.py: no “May import: …” line in its docstring"
    names = [name.strip() for name in match.group(1).replace("\n", " ").split(",")]
    return tuple(name if name.startswith("indicators") else f"plans.{name}" for name in names)


def covered(module: str, prefixes) -> bool:
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)


def layer_violations(module: str, imports: set[str], allowed) -> set[tuple[str, str]]:
    """Return the (module, imported) pairs outside ``allowed``; importing a package's
    ``__init__`` on the way (``plans`` for ``plans.selectors``) is no import of a layer."""
    return {
        (module, imported)
        for imported in imports
        if imported not in ("plans", "indicators") and not covered(imported, allowed)
        # ``from plans.selectors import progress`` names the package too: allowed with its module.
        and not any(other.startswith(imported + ".") and covered(other, allowed)
                    for other in imports)
    }


def plan_modules():
    for path in sorted(PLANS.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield path


def all_violations() -> set[tuple[str, str]]:
    violations = set()
    for path in plan_modules():
        relative = path.relative_to(PLANS)
        if len(relative.parts) == 1:
            continue  # the app's own files (APP_FILES, checked below)
        allowed = allowed_imports(PLANS / relative.parts[0])
        violations |= layer_violations(module_name(path), project_imports(path), allowed)
    return violations


def queryset_uses(source: str) -> list[str]:
    """Return what in ``source`` runs a query: ``.objects``, queryset methods, 404 shortcuts."""
    uses = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            uses.append(f"line {node.lineno}: .objects")
        elif isinstance(node, ast.Call):
            func = node.func
            # ``register.filter(...)`` registers a template filter.
            registers = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and (
                func.value.id == "register"
            )
            if isinstance(func, ast.Attribute) and func.attr in QUERYSET_METHODS and not registers:
                uses.append(f"line {node.lineno}: .{func.attr}()")
            elif isinstance(func, ast.Name) and func.id in QUERY_SHORTCUTS:
                uses.append(f"line {node.lineno}: {func.id}()")
    return uses


def test_every_module_sits_in_a_layer_folder():
    loose = {path.name for path in PLANS.glob("*.py")} - APP_FILES
    assert not loose, f"modules outside a layer folder: {sorted(loose)}"


def test_every_layer_states_its_imports():
    for folder in sorted(p for p in PLANS.iterdir() if (p / "__init__.py").exists()):
        if folder.name == "migrations":
            continue
        assert allowed_imports(folder)


def test_each_layer_imports_only_what_its_docstring_allows():
    violations = all_violations() - TEMPORARY_EXCEPTIONS
    assert not violations, "\n".join(f"{a} imports {b}" for a, b in sorted(violations))


def test_the_temporary_exceptions_are_all_still_needed():
    stale = TEMPORARY_EXCEPTIONS - all_violations()
    assert not stale, f"no longer needed, remove from TEMPORARY_EXCEPTIONS: {sorted(stale)}"


@pytest.mark.parametrize("folder", NO_QUERYSET_FOLDERS)
def test_pages_and_template_tags_run_no_queryset(folder):
    found = {
        str(path.relative_to(ROOT)): uses
        for path in sorted((PLANS / folder).rglob("*.py"))
        if (uses := queryset_uses(path.read_text(encoding="utf-8")))
    }
    assert not found, found


def test_the_indicator_catalogue_depends_on_nothing_in_plans():
    for path in sorted(INDICATORS.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        plans = {name for name in project_imports(path) if name.split(".")[0] == "plans"}
        assert not plans, f"{path.relative_to(ROOT)} imports {sorted(plans)}"


# The checks themselves: each must catch what it is there for.


def test_a_selector_importing_a_service_is_caught():
    allowed = allowed_imports(PLANS / "selectors")
    assert layer_violations(
        "plans.selectors.x", {"plans.services.results", "plans.models"}, allowed
    ) == {("plans.selectors.x", "plans.services.results")}


def test_a_rule_importing_models_is_caught(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("from plans.models import Result\nfrom plans.rules import progress\n")
    assert layer_violations(
        "plans.rules.bad", project_imports(module, "plans.rules.bad"),
        allowed_imports(PLANS / "rules"),
    ) == {("plans.rules.bad", "plans.models")}


def test_a_package_import_of_an_allowed_module_is_allowed():
    imports = {"plans.selectors", "plans.selectors.progress"}
    assert not layer_violations("plans.views.x", imports, allowed_imports(PLANS / "views"))


def test_a_template_tag_deciding_permissions_is_caught():
    allowed = allowed_imports(PLANS / "templatetags")
    assert layer_violations("plans.templatetags.x", {"plans.policy.access"}, allowed)


@pytest.mark.parametrize("source", [
    "def v(request):\n    return Plan.objects.get(pk=1)\n",
    "def v(request, plan):\n    return plan.targets.filter(pk=1)\n",
    "def v(request, agency):\n    return list(agency.results.all())\n",
    "def v(request):\n    return get_object_or_404(Indicator, code='X')\n",
])
def test_a_query_in_a_page_is_caught(source):
    assert queryset_uses(source)


def test_plain_code_in_a_page_is_not_taken_for_a_query():
    source = "def v(request):\n    return render(request, 'x.html', {'a': request.GET.get('a')})\n"
    assert queryset_uses(source) == []
