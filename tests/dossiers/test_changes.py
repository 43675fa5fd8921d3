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


def test_the_engine_imports_neither_the_figures_nor_the_exchange():
    for module in ("haicap/dossiers/services.py", "haicap/dossiers/changes.py"):
        tree = ast.parse((ROOT / module).read_text())
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
        assert not {m for m in imported if m.startswith(("haicap.kpi", "haicap.exchange"))}, module


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
