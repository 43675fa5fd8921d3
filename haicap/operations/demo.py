"""The demo province's history and waiting work, then its figures, then working group no. 4's
inspection: loaded once into a province without dossiers (the dossier engine makes the history;
the figures are rebuilt from it; the inspection's targets read them)."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from haicap.core import clock
from haicap.dossiers.demo_history import make_history
from haicap.dossiers.demo_queues import fill_queues
from haicap.dossiers.models import Dossier
from haicap.kpi import services as kpi
from haicap.oversight.demo import LoadedInspection, load_demo_inspection


@dataclass(frozen=True)
class Loaded:
    made: dict[str, int]  # the history's dossiers and events, by step and channel
    waiting: int  # dossiers waiting in the demo officers' queues
    figures_from: int  # dossiers the figures were rebuilt from
    inspection: LoadedInspection | None  # None: working group no. 4 was there already


def load_demo_history(size: int, now: dt.datetime | None = None) -> Loaded | None:
    """A year of history and the officers' waiting work, then the figures and the inspection;
    None (and nothing written) when the province already has dossiers: its history is there, or
    real work is.

    One transaction: an interrupted load leaves no dossier behind, and the next start loads
    it again.
    """
    if Dossier.objects.exists():
        return None
    now = now or clock.now()
    with transaction.atomic():
        made = make_history(size, now)
        waiting = fill_queues(now)
        read = kpi.rebuild()
        kpi.close_months(now)
        inspection = load_demo_inspection(now)
    return Loaded(made, len(waiting), read, inspection)
