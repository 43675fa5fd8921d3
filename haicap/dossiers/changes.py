"""Dossier changes, published to the apps that listen, inside the change's transaction.

The dossier engine does not know who keeps figures, sends messages or measures workloads: each
receipt and each action is published as a ``DossierChange`` (the dossier's state before and after,
and the event that moved it), and every registered listener is called with it, in the order the
apps registered, before the transaction commits. A listener that raises rolls the whole change
back, so a figure or an outbox message never disagrees with the dossier.

Listeners register once, from their app's ``ready()``::

    changes.listen(on_dossier_change)

No Django signals and no names in strings: a listener is a function that takes the change
(``haicap.core.channels``).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from haicap.core.channels import Channel
from haicap.dossiers.models import Dossier, DossierEvent


@dataclass(frozen=True)
class State:
    """What a dossier is at one moment, as its listeners read it (moments are aware)."""

    competent_agency_id: int
    procedure_id: int
    channel: str
    received_at: dt.datetime
    due_at: dt.datetime
    finished_at: dt.datetime | None
    outcome: str
    timeliness: str
    worked_days: Decimal | None
    paused_at: dt.datetime | None
    full_online: bool  # its procedure is offered fully online


@dataclass(frozen=True)
class DossierChange:
    dossier: Dossier
    event: DossierEvent
    before: State | None  # None: the dossier was just received
    after: State


_channel: Channel[DossierChange] = Channel("dossier changes")
listen = _channel.listen
listeners = _channel.listeners
forget = _channel.forget
publish = _channel.publish


def state_of(dossier: Dossier) -> State:
    procedure = dossier.procedure
    return State(
        competent_agency_id=dossier.competent_agency_id,
        procedure_id=dossier.procedure_id,
        channel=dossier.channel,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        finished_at=dossier.finished_at,
        outcome=dossier.outcome,
        timeliness=dossier.timeliness,
        worked_days=dossier.worked_days,
        paused_at=dossier.paused_at,
        full_online=procedure.online_level == procedure.OnlineLevel.FULL,
    )
