"""The README's two commands: `make run` serves on PORT and builds its e-mail links on it,
and needs only the app installed; `make test` adds the test tools."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _dry_run(*args: str) -> str:
    # -B: as on a fresh machine, whatever .venv holds here.
    result = subprocess.run(["make", "-n", "-B", *args], cwd=ROOT, capture_output=True, text=True, check=True)  # noqa: S603, S607
    return result.stdout


def test_make_run_serves_on_port_and_links_e_mails_to_it():
    commands = _dry_run("run", "PORT=8123")
    assert "--port 8123" in commands
    assert "PUBLIC_URL=${PUBLIC_URL:-http://127.0.0.1:8123}" in commands
    assert "--port 5000" in _dry_run("run")


def test_make_run_installs_the_app_without_the_test_tools():
    run = _dry_run("run")
    assert "pip install --quiet -e ." in run and "[test]" not in run
    assert "pip install --quiet -e '.[test]'" in _dry_run("test")
