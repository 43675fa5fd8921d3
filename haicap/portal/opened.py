"""The dossiers a visitor's browser opened with their code and PIN, for a while.

The signed result downloads only in a browser that has just given the dossier's PIN in the
look-up (never in an address): the session keeps the code, when, and which PIN hash it was,
so a PIN reissued at the desk closes the download too.
"""

import datetime as dt

from django.contrib.sessions.backends.base import SessionBase

from haicap.core import clock
from haicap.dossiers.models import Dossier

SESSION_KEY = "portal_opened"
OPEN_FOR = dt.timedelta(minutes=30)
KEPT = 10  # the latest dossiers one visitor opened


def remember(session: SessionBase, dossier: Dossier) -> None:
    opened = {**session.get(SESSION_KEY, {})}
    opened.pop(dossier.code, None)
    opened[dossier.code] = [clock.now().isoformat(), dossier.pin_hash]
    session[SESSION_KEY] = dict(list(opened.items())[-KEPT:])


def is_open(session: SessionBase, dossier: Dossier) -> bool:
    at, pin_hash = session.get(SESSION_KEY, {}).get(dossier.code, ["", ""])
    if not at or pin_hash != dossier.pin_hash:
        return False
    return clock.now() - dt.datetime.fromisoformat(at) <= OPEN_FOR
