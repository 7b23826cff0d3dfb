"""The layering drawn in docs/architecture.md holds in the code: imports point down, and nowhere hides one.

The layers are read from the diagram itself, so the picture a newcomer reads is the rule the code obeys:
each `→ app, app (…)` line of the first code block is one layer, the one above it first.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
ARCHITECTURE = ROOT / "docs" / "architecture.md"
# Only core turns a refusal into what a person reads (core/views.py); everywhere else lets it through.
REFUSALS = {"PlacetteError", "NotAllowed"}


def diagram_layers():
    """[["placette"], ["search"], ["agenda", "echanges"], …] from the diagram, the highest layer first."""
    diagram = ARCHITECTURE.read_text().split("```")[1]
    layers = []
    for line in diagram.strip().splitlines():
        names = re.sub(r"\(.*", "", line).replace("→", "")
        layers.append([name.strip() for name in names.split(",") if name.strip()])
    return layers


LAYERS = diagram_layers()
RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}


def parsed(path):
    return ast.parse(path.read_text(), filename=str(path))


def imported_apps(tree):
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for name in names:
            top = name.split(".")[0]
            if top in RANK:
                yield top, node.lineno


def app_modules():
    for app in RANK:
        folder = ROOT / app
        if folder.is_dir():
            for path in sorted(folder.rglob("*.py")):
                if "migrations" not in path.parts:
                    yield app, path


MODULES = list(app_modules())
IDS = [str(path.relative_to(ROOT)) for _, path in MODULES]


def test_the_diagram_is_read_as_layers():
    assert LAYERS[0] == ["placette"]
    assert LAYERS[-1] == ["core"]
    assert ["agenda", "echanges", "carte"] in LAYERS


def test_the_layer_list_knows_every_app():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps <= set(RANK)


def upward_imports(app, path):
    return [
        f"{path.name}:{line} imports {other}"
        for other, line in imported_apps(parsed(path))
        if other != app and RANK[other] <= RANK[app]
    ]


def hidden_imports(path):
    """An import inside a function is how a cycle between modules hides; apps.py's ready() is the exception."""
    if path.name == "apps.py":
        return []
    hidden = []
    for function in ast.walk(parsed(path)):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(function):
                if not isinstance(node, (ast.Import, ast.ImportFrom)):
                    continue
                relative = isinstance(node, ast.ImportFrom) and node.level > 0
                if relative or any(imported_apps(node)):
                    hidden.append(f"{path.name}:{node.lineno}")
    return hidden


def caught_refusals(path):
    """A view lets core's refusals_as_messages or attempt turn a refusal into a message; nobody else catches it."""
    caught = []
    for handler in ast.walk(parsed(path)):
        if isinstance(handler, ast.ExceptHandler) and handler.type is not None:
            names = {node.id for node in ast.walk(handler.type) if isinstance(node, ast.Name)}
            names |= {node.attr for node in ast.walk(handler.type) if isinstance(node, ast.Attribute)}
            if names & REFUSALS:
                caught.append(f"{path.name}:{handler.lineno}")
    return caught


@pytest.mark.parametrize(("app", "path"), MODULES, ids=IDS)
def test_imports_point_down_the_layers(app, path):
    assert not upward_imports(app, path)


@pytest.mark.parametrize(("app", "path"), MODULES, ids=IDS)
def test_no_project_import_hides_inside_a_function(app, path):
    assert not hidden_imports(path)


@pytest.mark.parametrize(("app", "path"), MODULES, ids=IDS)
def test_refusals_are_caught_only_in_core(app, path):
    if app != "core":
        assert not caught_refusals(path)


def test_the_checks_fail_on_code_written_to_break_them(tmp_path):
    offender = tmp_path / "offender.py"
    offender.write_text(
        "from placette import settings\n"
        "def f():\n"
        "    from echanges import services\n"
        "    try:\n"
        "        services.do()\n"
        "    except (ValueError, errors.PlacetteError):\n"
        "        pass\n"
    )
    assert upward_imports("agenda", offender) == ["offender.py:1 imports placette", "offender.py:3 imports echanges"]
    assert hidden_imports(offender) == ["offender.py:3"]
    assert caught_refusals(offender) == ["offender.py:6"]
