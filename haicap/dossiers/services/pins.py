"""The look-up PIN of a dossier: checking one, and reissuing it for a reprinted slip."""

import datetime as dt
import hashlib

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from haicap.accounts.models import User
from haicap.accounts.services import require_writable
from haicap.core.audit import record_change
from haicap.core.errors import NotFound, PermissionDenied
from haicap.core.roles import Role
from haicap.core.scoping import scope_of
from haicap.dossiers import codes
from haicap.dossiers.codes import new_pin, pin_digest
from haicap.dossiers.models import Dossier, IntakeRequest
from haicap.dossiers.selectors import visible_dossiers

PIN_PURPOSE = "intake-pin"
PIN_KEPT_FOR = dt.timedelta(hours=24)  # a retried intake reprints its slip within a day


def pin_key() -> bytes:
    """The key look-up PINs are hashed with (dossiers' and online submissions' alike)."""
    return hashlib.sha256(f"haicap-dossier-pin:{settings.SECRET_KEY}".encode()).digest()


def pin_matches(dossier: Dossier, pin: str) -> bool:
    return pin.isdigit() and codes.pin_matches(pin_key(), pin, dossier.pin_hash)


def may_reissue_pin(actor: User, dossier: Dossier) -> bool:
    """Slips are reprinted by the intake officers of the desk that received the dossier."""
    scope = scope_of(actor)
    return not scope.read_only and Role.INTAKE_OFFICER in scope.roles_in(
        dossier.receiving_agency_id
    )


def reissue_pin(actor: User, code: str) -> tuple[Dossier, str]:
    """A new look-up PIN for a reprinted receipt slip; the old PIN stops working.

    The PIN is shown once, at intake. A slip lost or reprinted later carries a new PIN, issued by
    an intake officer of the desk that received the dossier, and the reissue is in the audit log
    (without the PIN). A retried intake no longer returns the old one.
    """
    require_writable(actor)
    with transaction.atomic():
        dossier = (
            visible_dossiers(actor)
            .select_for_update(of=("self",))
            .select_related("receiving_agency")
            .filter(code=code)
            .first()
        )
        if dossier is None:
            raise NotFound()
        if not may_reissue_pin(actor, dossier):
            raise PermissionDenied(
                _("Only an intake officer of the receiving desk reprints the slip.")
            )
        pin = new_pin()
        dossier.pin_hash = pin_digest(pin_key(), pin)
        dossier.save(update_fields=["pin_hash"])
        IntakeRequest.objects.filter(dossier=dossier).update(pin_sealed="")
        record_change("dossier.pin_reissued", dossier, actor=actor, after={"code": dossier.code})
    return dossier, pin
