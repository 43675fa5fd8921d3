"""The petitions a visitor's browser opened with their code and PIN, for a while.

The answer's attachments download, and the sender's word on the answer (accept, reopen, rate)
is taken, only in a browser that has just given the petition's PIN in the look-up (never in an
address): the session keeps the code, when, and which PIN hash it was. The latest one opened is
the one the look-up page shows again after an action (post, then redirect: a reload repeats
nothing).
"""

import datetime as dt

from django.contrib.sessions.backends.base import SessionBase

from haicap.core import clock
from haicap.feedback.models import Petition

SESSION_KEY = "feedback_opened"
OPEN_FOR = dt.timedelta(minutes=30)
KEPT = 10  # the latest petitions one visitor opened


def remember(session: SessionBase, petition: Petition) -> None:
    opened = {**session.get(SESSION_KEY, {})}
    opened.pop(petition.code, None)  # the latest last: it is the one shown
    opened[petition.code] = [clock.now().isoformat(), petition.pin_hash]
    session[SESSION_KEY] = dict(list(opened.items())[-KEPT:])


def latest_code(session: SessionBase) -> str:
    opened = session.get(SESSION_KEY, {})
    return next(reversed(opened), "") if opened else ""


def is_open(session: SessionBase, petition: Petition) -> bool:
    at, pin_hash = session.get(SESSION_KEY, {}).get(petition.code, ["", ""])
    if not at or pin_hash != petition.pin_hash:
        return False
    return clock.now() - dt.datetime.fromisoformat(at) <= OPEN_FOR
