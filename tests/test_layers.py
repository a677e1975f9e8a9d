"""The house's layers: a package may import its own layer and those below, never above.

    kernel      extensions, dbsetup, timeutil, vocab, ui, audit, access
    foundation  auth, orgs, mail
    cases       cases
    casework    intake, reminders, skills
    programme   training, employers, introductions
    reports     reports
    desks       main, admin
    app         the app's assembly: __init__, web, domains, models, cli, scheduler, leader, demo

A lower package that needs something from a higher one is given it (a panel, a
column, a signal) instead of importing it. The README's "Where things are" says the same.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import hiddengems

LAYERS: list[tuple[str, set[str]]] = [
    ("kernel", {"extensions", "dbsetup", "timeutil", "vocab", "ui", "audit", "access"}),
    ("foundation", {"auth", "orgs", "mail"}),
    ("cases", {"cases"}),
    ("casework", {"intake", "reminders", "skills"}),
    ("programme", {"training", "employers", "introductions"}),
    ("reports", {"reports"}),
    ("desks", {"main", "admin"}),
    ("app", {"__init__", "web", "domains", "models", "cli", "scheduler", "leader", "demo"}),
]
LEVEL = {package: level for level, (_name, packages) in enumerate(LAYERS) for package in packages}
ROOT = Path(hiddengems.__file__).parent


def _modules() -> list[str]:
    names = ["hiddengems"]
    names += [m.name for m in pkgutil.walk_packages([str(ROOT)], prefix="hiddengems.")]
    return sorted(names)


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _source(module: str) -> Path:
    path = ROOT.joinpath(*module.split(".")[1:])
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def _type_only(tree: ast.Module) -> set[int]:
    """The ids of the nodes inside ``if TYPE_CHECKING:`` blocks: imports for type hints,
    which the running code never makes."""
    inside = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", getattr(node.test, "attr", None)) == "TYPE_CHECKING":
            inside |= {id(child) for statement in node.body for child in ast.walk(statement)}
    return inside


def _imports(module: str) -> set[str]:
    """The hiddengems modules a module imports at run time, wherever the statement is."""
    tree = ast.parse(_source(module).read_text())
    type_only = _type_only(tree)
    found = set()
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("hiddengems")}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("hiddengems"):
            if node.module == "hiddengems":
                found |= {f"hiddengems.{alias.name}" for alias in node.names}
            else:
                found.add(node.module)
    return found


def test_every_module_imports_and_belongs_to_a_layer():
    for module in _modules():
        importlib.import_module(module)
        assert _package(module) in LEVEL, f"{module}: its package is in no layer (tests/test_layers.py)"


def test_no_package_imports_one_above_it():
    upward = []
    for module in _modules():
        own = _package(module)
        for imported in _imports(module):
            other = _package(imported)
            if other in LEVEL and LEVEL[other] > LEVEL[own]:
                upward.append(f"{module} ({LAYERS[LEVEL[own]][0]}) imports {imported} ({LAYERS[LEVEL[other]][0]})")
    assert not upward, "imports that run up the layers:\n" + "\n".join(sorted(upward))


def test_packages_of_one_layer_do_not_import_each_other_in_a_circle():
    edges: dict[str, set[str]] = {}
    for module in _modules():
        own = _package(module)
        for imported in _imports(module):
            other = _package(imported)
            if other != own and LEVEL.get(other) == LEVEL.get(own):
                edges.setdefault(own, set()).add(other)
    circles = [f"{a} <-> {b}" for a in edges for b in edges[a] if a < b and a in edges.get(b, set())]
    assert not circles, f"packages importing each other: {circles}"
