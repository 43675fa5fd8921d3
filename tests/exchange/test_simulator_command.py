"""The portal simulator is in the source tree, not in the installed package, and the command
that runs it says so in one line where it is absent."""

import sys
import tomllib

import pytest
from django.core.management import load_command_class
from setuptools import find_packages

from haicap.exchange.management.commands.simulate_national_portal import ABSENT
from tests.served import ROOT


def test_the_built_package_leaves_the_simulator_out():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    shipped = find_packages(where=str(ROOT), include=include)
    assert "haicap.exchange" in shipped
    assert not [name for name in shipped if name.split(".")[0] == "natsim"]
    # It is the include that leaves it out: the simulator is a package beside haicap.
    assert "natsim" in find_packages(where=str(ROOT))


def test_without_the_simulator_the_command_fails_with_one_readable_line(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "natsim.server", None)  # as in an installed haicap
    command = load_command_class("haicap.exchange", "simulate_national_portal")
    # A state file it cannot open: were the simulator found after all, it would fail, not serve.
    argv = ["manage.py", "simulate_national_portal", "--state", "/nonexistent/portal.sqlite3"]
    with pytest.raises(SystemExit) as exited:
        command.run_from_argv(argv)
    assert exited.value.code != 0
    assert capsys.readouterr().err.splitlines() == [f"CommandError: {ABSENT}"]
