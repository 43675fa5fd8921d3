"""The sender follows a petition with its code and PIN: throttled, and as tight-lipped as the
dossier look-up (a wrong code and a wrong PIN give the same answer)."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from haicap.accounts.services import locked_counter
from haicap.core import clock
from haicap.core.errors import NotFound, Throttled
from haicap.dossiers import codes
from haicap.dossiers.services.pins import pin_key
from haicap.feedback.models import Petition

PIN_ATTEMPTS_PER_PETITION = 5
PIN_ATTEMPTS_PER_ADDRESS = 30
PIN_WINDOW = dt.timedelta(minutes=15)


def look_up(code: str, pin: str, ip: str | None) -> Petition:
    code = code.strip().upper()[:40]
    limits = {f"pin:petition:{code}": PIN_ATTEMPTS_PER_PETITION}
    if ip:
        limits[f"pin-ip:{ip}"] = PIN_ATTEMPTS_PER_ADDRESS
    now = clock.now()
    with transaction.atomic():
        counters = [locked_counter(key, PIN_WINDOW, now) for key in limits]
        if any(c.failures >= limits[c.key] for c in counters):
            raise Throttled(_("Too many wrong attempts. Wait 15 minutes and try again."))
        petition = (
            Petition.objects.select_related("category", "agency__unit", "commune")
            .filter(code=code)
            .first()
        )
        pin = pin.strip()
        if (
            petition is not None
            and pin.isdigit()
            and codes.pin_matches(pin_key(), pin, petition.pin_hash)
        ):
            return petition
        for counter in counters:
            counter.failures += 1
            counter.save(update_fields=["failures", "window_started_at"])
    raise NotFound(_("No petition matches this code and PIN."))
