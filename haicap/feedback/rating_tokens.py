"""What lets the applicant who opened a returned dossier with its code and PIN rate it without
giving the PIN again: a signed, short-lived token in the rating form, holding the dossier's code
and a mark of its PIN (so a PIN reissued at the desk voids the token), never the PIN itself.

The token's age is read on haicap's clock (``core.clock``), as every other deadline is.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.core import signing
from django.utils.translation import gettext as _

from haicap.core import clock
from haicap.core.errors import InvalidInput
from haicap.dossiers import selectors as dossier_selectors
from haicap.dossiers.models import Dossier
from haicap.feedback import selectors
from haicap.feedback.rating_forms import DossierRatingForm
from haicap.feedback.services.ratings import was_returned

SALT = "haicap.feedback.rate-dossier"
VALID_FOR = dt.timedelta(minutes=30)


def _pin_mark(dossier: Dossier) -> str:
    return hashlib.sha256(f"{SALT}:{dossier.pin_hash}".encode()).hexdigest()[:16]


def token_for(dossier: Dossier) -> str:
    payload = {"c": dossier.code, "p": _pin_mark(dossier), "t": clock.now().isoformat()}
    return signing.dumps(payload, salt=SALT)


def dossier_of(token: str) -> Dossier:
    """The dossier a token was given for. Raises ``InvalidInput`` (in the user's language) for a
    token that was tampered with, has expired, or whose PIN has since been reissued."""
    expired = InvalidInput(
        _("This form has expired. Look the dossier up again with its code and PIN.")
    )
    try:
        payload = signing.loads(token, salt=SALT)
        code, mark, given = payload["c"], payload["p"], dt.datetime.fromisoformat(payload["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise expired from error
    if not dt.timedelta(0) <= clock.now() - given <= VALID_FOR:
        raise expired
    dossier = dossier_selectors.dossier_by_code(str(code))
    if dossier is None or _pin_mark(dossier) != mark:
        raise expired
    return dossier


@dataclass(frozen=True)
class Offer:
    """What the look-up offers once a dossier's result has been returned: the survey, or the
    word that it was rated."""

    dossier: Dossier
    rated: bool
    form: DossierRatingForm | None


def offer_for(dossier: Dossier) -> Offer | None:
    """The rating to offer for a dossier its applicant just opened; ``None`` before its result
    has been returned."""
    if not was_returned(dossier):
        return None
    if selectors.dossier_rated(dossier):
        return Offer(dossier, rated=True, form=None)
    return Offer(
        dossier, rated=False, form=DossierRatingForm(initial={"token": token_for(dossier)})
    )
