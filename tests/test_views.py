"""Views stay thin: check access, validate, call a service, commit, redirect. Anything
longer has a rule or a read in it that belongs in the domain's services or queries.
Modules stay readable too: at most 400 lines each."""

from __future__ import annotations

import ast
from pathlib import Path

import hiddengems

MAX_LINES = 30
ROOT = Path(hiddengems.__file__).parent


def _views():
    # routes.py, and a second file of views on the same blueprint (reminders/rule_routes.py)
    for path in sorted(ROOT.glob("*/*routes.py")):
        tree = ast.parse(path.read_text())
        for node in tree.body:
            routed = (
                any(isinstance(d, ast.Call) and getattr(d.func, "attr", "") == "route" for d in node.decorator_list)
                if isinstance(node, ast.FunctionDef)
                else False
            )
            if routed:
                yield f"{path.parent.name}.{node.name}", node.end_lineno - node.lineno + 1


def test_every_view_is_at_most_thirty_lines():
    views = list(_views())
    assert len(views) > 30  # the walk finds the views
    long = [f"{name}: {lines} lines" for name, lines in views if lines > MAX_LINES]
    assert not long, f"views over {MAX_LINES} lines: {long}"


MAX_MODULE_LINES = 400


def test_every_module_is_at_most_four_hundred_lines():
    modules = sorted(ROOT.rglob("*.py"))
    assert len(modules) > 50  # the walk finds the modules
    long = [
        f"{path.relative_to(ROOT)}: {lines} lines"
        for path in modules
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    ]
    assert not long, f"modules over {MAX_MODULE_LINES} lines (split them by concept): {long}"
