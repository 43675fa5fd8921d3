"""The public look-up: a citizen finds a dossier or an online submission with its code and PIN."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.utils.translation import gettext as _

from haicap.accounts.models import LoginThrottle
from haicap.accounts.services import locked_counter
from haicap.core import clock
from haicap.core.errors import NotFound, Throttled
from haicap.dossiers import codes
from haicap.dossiers.models import Dossier, OnlineSubmission
from haicap.dossiers.services.pins import pin_key, pin_matches

PIN_ATTEMPTS_PER_DOSSIER = 5
PIN_ATTEMPTS_PER_ADDRESS = 30
PIN_WINDOW = dt.timedelta(minutes=15)


class Attempt:
    def __init__(self, counters: list[LoginThrottle]) -> None:
        self.counters = counters

    def failed(self) -> None:
        for counter in self.counters:
            counter.failures += 1
            counter.save(update_fields=["failures", "window_started_at"])


@contextmanager
def pin_attempts(subject: str, ip: str | None) -> Iterator["Attempt"]:
    """Count PIN attempts per subject (a dossier, a submission, a petition) and per address;
    refuse when either has had too many wrong ones in the window. The address's count is one
    for every look-up with a PIN, whatever it looks for."""
    limits = {f"pin:{subject}": PIN_ATTEMPTS_PER_DOSSIER}
    if ip:
        limits[f"pin-ip:{ip}"] = PIN_ATTEMPTS_PER_ADDRESS
    now = clock.now()
    with transaction.atomic():
        counters = [locked_counter(key, PIN_WINDOW, now) for key in limits]
        if any(c.failures >= limits[c.key] for c in counters):
            raise Throttled(_("Too many wrong attempts. Wait 15 minutes and try again."))
        yield Attempt(counters)


def look_up(code: str, pin: str, ip: str | None) -> Dossier:
    """The dossier behind a receipt code and PIN, for its applicant.

    A wrong code and a wrong PIN give the same answer, so the look-up does not tell whether a
    code exists; both count against the code and the address, and too many wait a while.
    """
    with pin_attempts(code[:80], ip) as attempt:
        dossier = (
            Dossier.objects.select_related("procedure", "competent_agency")
            .filter(code=code)
            .first()
        )
        if dossier is not None and pin_matches(dossier, pin):
            return dossier
        attempt.failed()
    raise NotFound(_("No dossier matches this code and PIN."))


def look_up_submission(reference: str, pin: str, ip: str | None) -> OnlineSubmission:
    """A citizen checks an online submission; throttled and as tight-lipped as ``look_up``."""
    with pin_attempts(f"sub:{reference[:80]}", ip) as attempt:
        submission = (
            OnlineSubmission.objects.select_related("procedure", "dossier")
            .filter(reference=reference)
            .first()
        )
        if (
            submission is not None
            and pin.isdigit()
            and codes.pin_matches(pin_key(), pin, submission.pin_hash)
        ):
            return submission
        attempt.failed()
    raise NotFound(_("No submission matches this reference and PIN."))
