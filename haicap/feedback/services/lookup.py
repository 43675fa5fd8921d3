"""The sender follows a petition with its code and PIN: throttled, and as tight-lipped as the
dossier look-up (a wrong code and a wrong PIN give the same answer)."""

from django.utils.translation import gettext as _

from haicap.core.errors import NotFound
from haicap.dossiers import codes
from haicap.dossiers.services.lookup import PIN_ATTEMPTS_PER_DOSSIER, pin_attempts
from haicap.dossiers.services.pins import pin_key
from haicap.feedback.models import Petition

# Wrong PINs a petition takes in the window before it waits (the dossier's limit, since the
# attempts are counted by the same rule).
PIN_ATTEMPTS_PER_PETITION = PIN_ATTEMPTS_PER_DOSSIER


def look_up(code: str, pin: str, ip: str | None) -> Petition:
    """The petition behind a code and PIN, for its sender; counted and refused as the dossier
    look-up's attempts are (``dossiers.services.lookup.pin_attempts``)."""
    code = code.strip().upper()[:40]
    with pin_attempts(f"petition:{code}", ip) as attempt:
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
        attempt.failed()
    raise NotFound(_("No petition matches this code and PIN."))
