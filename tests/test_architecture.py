"""The structure the codebase keeps: reads a user triggers start from their scope.

The layers between apps are import-linter's contracts (pyproject.toml, run by ``make lint``);
this checks what a contract cannot: that views and API handlers read scoped records only
through ``Model.objects.restrict(user)`` or a selector, never ``Model.objects`` directly.
"""

import ast
from pathlib import Path

import pytest

HAICAP = Path(__file__).resolve().parent.parent / "haicap"


def handler_modules() -> list[Path]:
    """Every module that answers requests: views and API handlers, as files or packages."""
    found = []
    for path in sorted(HAICAP.rglob("*.py")):
        names = {path.stem, path.parent.name}
        if any(
            n in {"views", "api"} or n.endswith(("_views", "_api")) or n.startswith("api_")
            for n in names
        ):
            found.append(path)
    return found


def unscoped_reads(source: str) -> list[int]:
    """Lines where ``<Model>.objects`` is used other than as ``<Model>.objects.restrict(...)``."""
    tree = ast.parse(source)
    restricted = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "restrict"
    }
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "objects" and id(node) not in restricted
    ]


def test_the_handler_modules_are_found():
    names = {p.relative_to(HAICAP).as_posix() for p in handler_modules()}
    assert {"kpi/views.py", "calendar/api.py", "desk/intake_views.py"} <= names
    assert {"oversight/api_inputs.py", "dossiers/api/inputs.py"} <= names


@pytest.mark.parametrize(
    "source, lines",
    [
        ("Agency.objects.restrict(user).filter(code=c)", []),
        ("Agency.objects.filter(code=c)", [1]),
        ("x = 1\nAgency.objects.get(pk=1)", [2]),
        ("units.Agency.objects.all()", [1]),
    ],
)
def test_an_unscoped_read_is_seen(source, lines):
    assert unscoped_reads(source) == lines


@pytest.mark.parametrize("path", handler_modules(), ids=lambda p: p.relative_to(HAICAP).as_posix())
def test_views_and_api_handlers_read_through_restrict_or_selectors(path):
    found = unscoped_reads(path.read_text())
    assert not found, (
        f"{path.relative_to(HAICAP)} reads Model.objects without restrict(user) on lines {found}: "
        "start from Model.objects.restrict(request.user), or read through a selector"
    )
