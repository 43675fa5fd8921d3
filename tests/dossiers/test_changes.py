"""Dossier changes are published to listeners inside the change's transaction."""

import ast
from pathlib import Path

import pytest

from haicap.dossiers import changes
from haicap.dossiers.models import Dossier, DossierEvent
from haicap.exchange.models import OutboxMessage
from haicap.exchange.services import on_dossier_change as outbox_listener
from haicap.kpi.models import DailyFigures
from haicap.kpi.services import on_dossier_change as figures_listener
from tests.dossiers.test_scenarios import act, at, receive

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_the_figures_and_the_outbox_listen_to_every_change():
    assert {figures_listener, outbox_listener} <= set(changes.listeners())


LISTENING_APPS = ("haicap.kpi", "haicap.exchange")


def _listening_apps_imported(source: str) -> set[str]:
    """The listening apps a module's source imports, however it names them."""
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
            imported |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
    return {m for m in imported if m.startswith(LISTENING_APPS)}


def test_the_engine_imports_neither_the_figures_nor_the_exchange():
    # every module of the services package, so a new one is checked too
    services = sorted((ROOT / "haicap/dossiers/services").glob("*.py"))
    modules = [*services, ROOT / "haicap/dossiers/changes.py"]
    assert {"__init__.py", "intake.py", "actions.py", "online.py"} <= {m.name for m in modules}
    for module in modules:
        assert not _listening_apps_imported(module.read_text()), module


@pytest.mark.parametrize(
    "line",
    [
        "from haicap.kpi.services import on_dossier_change",
        "import haicap.exchange.models",
        "from haicap import kpi",
        "def f():\n    from haicap.exchange import services",
    ],
)
def test_an_engine_module_importing_a_listening_app_is_caught(line):
    assert _listening_apps_imported(line)


@pytest.fixture
def failing_listener():
    seen: list[changes.DossierChange] = []

    def refuse(change: changes.DossierChange) -> None:
        seen.append(change)
        raise RuntimeError("a listener failed")

    changes.listen(refuse)
    yield seen
    changes.forget(refuse)


def test_a_listener_that_raises_rolls_the_receipt_back(user, failing_listener):
    with pytest.raises(RuntimeError):
        receive(user, at(3, 2, 9), "X.HT.007")
    assert [c.event.action for c in failing_listener] == ["receive"]
    assert failing_listener[0].before is None
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()
    assert not OutboxMessage.objects.exists() and not DailyFigures.objects.exists()


def test_a_listener_that_raises_rolls_the_action_back(user):
    code = receive(user, at(3, 2, 9), "X.HT.007").dossier.code
    figures = sorted(DailyFigures.objects.values_list("period", "received", "withdrawn", "closed"))

    def refuse(change: changes.DossierChange) -> None:
        assert change.before is not None and change.event.action == "withdraw"
        raise RuntimeError("a listener failed")

    changes.listen(refuse)
    try:
        with pytest.raises(RuntimeError):
            act(user, "tiepnhan.doluong", at(3, 2, 9, 30), code, "withdraw", note="Công dân rút")
    finally:
        changes.forget(refuse)
    dossier = Dossier.objects.get(code=code)
    assert (dossier.step, dossier.version) == ("received", 1)
    assert dossier.events.count() == 1 and OutboxMessage.objects.count() == 1
    after = sorted(DailyFigures.objects.values_list("period", "received", "withdrawn", "closed"))
    assert after == figures
    # without the failing listener the same withdrawal moves the figures
    act(user, "tiepnhan.doluong", at(3, 2, 9, 30), code, "withdraw", note="Công dân rút")
    moved = sorted(DailyFigures.objects.values_list("period", "received", "withdrawn", "closed"))
    assert moved != figures


def test_a_listener_registered_twice_is_called_once():
    before = changes.listeners()
    changes.listen(figures_listener)
    assert changes.listeners() == before
