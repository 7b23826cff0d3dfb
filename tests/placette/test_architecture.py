"""Imports point one way (DESIGN.md): placette → search → features → accounts → notifications → quartier → home → core.

accounts sits above notifications: signing in sends codes by SMS through `notifications.sms`,
and a mediator's actions notify the resident; notifications only reads the user model's fields.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
# Each app may import the apps of the layers after its own, never those before or beside it.
LAYERS = [
    ["placette"],
    ["search"],
    ["agenda", "echanges"],
    ["accounts"],
    ["notifications"],
    ["quartier"],
    ["home"],
    ["core"],
]
RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}


def imported_apps(path):
    tree = ast.parse(path.read_text(), filename=str(path))
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


@pytest.mark.parametrize(("app", "path"), list(app_modules()), ids=lambda value: str(value).replace(str(ROOT), ""))
def test_imports_point_down_the_layers(app, path):
    upward = [
        f"{path.relative_to(ROOT)}:{line} imports {other}"
        for other, line in imported_apps(path)
        if other != app and RANK[other] <= RANK[app]
    ]
    assert not upward


def test_the_layer_list_knows_every_app():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps <= set(RANK)
