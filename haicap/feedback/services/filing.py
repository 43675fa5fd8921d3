"""Filing a petition: on the public site, at a desk on the sender's behalf, or through the API
or Open311. One rule for all: validated, routed, given a code and PIN and its legal deadline.

A form sent twice (a reload, a double click) files one petition: the filing's one-time token is
kept in a unique column, in the same transaction.
"""

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from haicap.accounts.models import User
from haicap.accounts.services import locked_counter
from haicap.calendar.selectors import calendar_for
from haicap.calendar.workdays import VIETNAM, WORKING_DAYS
from haicap.core import clock
from haicap.core.audit import record_change
from haicap.core.errors import Conflict, InvalidInput, Throttled
from haicap.core.validators import check_text
from haicap.dossiers.codes import new_pin, pin_digest
from haicap.dossiers.models import Dossier
from haicap.dossiers.services.pins import pin_key
from haicap.feedback import codes, photos, routing
from haicap.feedback.lifecycle import State
from haicap.feedback.models import (
    Category,
    Petition,
    PetitionEvent,
    PetitionPhoto,
    PetitionSequence,
)
from haicap.feedback.services.common import add_event, contact_key, hold
from haicap.units.models import AdministrativeUnit

MIN_TEXT, MAX_TEXT = 10, 5000
# A commune's Wi-Fi or a mobile network puts many people behind one address: the address may
# try often; one contact files a few petitions a day.
PETITIONS_PER_ADDRESS_PER_HOUR = 30
PETITIONS_PER_CONTACT_PER_DAY = 5
PHONE_DIGITS = (9, 11)


@dataclass(frozen=True)
class Sender:
    name: str
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass(frozen=True)
class Photo:
    """An uploaded photo as the service takes it: its bytes and the sender's choice."""

    name: str
    content: bytes
    keep_location: bool = False


@dataclass(frozen=True)
class Filed:
    petition: Petition
    pin: str  # shown once; empty when the same form was sent again
    named: AdministrativeUnit | None = None  # the former unit the sender named, if routed on
    again: bool = False  # the same filing token had already filed it
    notes: tuple[str, ...] = field(default=())


class AlreadyFiled(Exception):
    def __init__(self, petition: Petition) -> None:
        self.petition = petition


def count_attempt(ip: str | None, phone: str = "", email: str = "") -> None:
    """Each filing attempt counts against the address (an hour) and the contact (a day),
    refused or not, in its own transaction, before it is judged."""
    now = clock.now()
    limits = []
    if ip:
        limits.append((f"petition-ip:{ip}", dt.timedelta(hours=1), PETITIONS_PER_ADDRESS_PER_HOUR))
    if phone.strip() or email.strip():
        limits.append(
            (
                f"petition-contact:{contact_key(phone, email)}",
                dt.timedelta(days=1),
                PETITIONS_PER_CONTACT_PER_DAY,
            )
        )
    with transaction.atomic():
        for key, window, most in limits:
            counter = locked_counter(key, window, now)
            if counter.failures >= most:
                raise Throttled(
                    _(
                        "Too many petitions have been sent from this network or with this phone or "
                        "email; try again in an hour, or tomorrow for the same phone or email."
                    )
                )
            counter.failures += 1
            counter.save(update_fields=["failures", "window_started_at"])


def _phone(value: str) -> str:
    compact = "".join(ch for ch in value if ch.isdigit() or ch == "+")
    digits = compact.lstrip("+")
    if compact and not (PHONE_DIGITS[0] <= len(digits) <= PHONE_DIGITS[1] and digits.isdigit()):
        raise InvalidInput(_("Phone: give a phone number of 10 digits, such as 0912345678."))
    return compact


def _checked_sender(sender: Sender) -> Sender:
    name = " ".join(sender.name.split())
    if not name:
        raise InvalidInput(_("Name: say who is sending the petition."))
    check_text(_("Name"), name)
    check_text(_("Address"), sender.address)
    phone, email = _phone(sender.phone), sender.email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            raise InvalidInput(_("Email: this is not an email address.")) from error
    if not phone and not email:
        raise InvalidInput(
            _("Contact: give a phone number or an email, so that the answer reaches you.")
        )
    return Sender(name[:120], phone[:15], email[:254], sender.address.strip()[:300])


def _checked_text(text: str) -> str:
    text = text.strip()
    if len(text) < MIN_TEXT:
        raise InvalidInput(_("What happened: write at least %(n)s characters.") % {"n": MIN_TEXT})
    if len(text) > MAX_TEXT:
        raise InvalidInput(_("What happened: write at most %(n)s characters.") % {"n": MAX_TEXT})
    check_text(_("What happened"), text, multiline=True)
    return text


def _point(latitude: Decimal | None, longitude: Decimal | None) -> tuple:
    if latitude is None and longitude is None:
        return None, None
    if latitude is None or longitude is None:
        raise InvalidInput(_("Location: give both latitude and longitude, or neither."))
    if not (Decimal(-90) <= latitude <= Decimal(90) and Decimal(-180) <= longitude <= Decimal(180)):
        raise InvalidInput(_("Location: the latitude or longitude is out of range."))
    return latitude.quantize(Decimal("0.000001")), longitude.quantize(Decimal("0.000001"))


PHOTO_REFUSALS = {
    "too_large": lambda: (
        _("A photo is larger than %(mb)s MB; send a smaller one.")
        % {"mb": photos.MAX_PHOTO_BYTES // (1024 * 1024)}
    ),
    "not_a_photo": lambda: _("A file is not a photo (JPEG, PNG or WebP)."),
    "too_many_pixels": lambda: _("A photo is too large in pixels; send a smaller one."),
    "empty": lambda: _("A photo is empty."),
}


def cleaned_photos(uploads: Sequence[Photo]) -> list[tuple[Photo, photos.CleanPhoto]]:
    if len(uploads) > photos.MAX_PHOTOS:
        raise InvalidInput(_("Send at most %(n)s photos.") % {"n": photos.MAX_PHOTOS})
    cleaned = []
    for upload in uploads:
        try:
            cleaned.append((upload, photos.clean(upload.content, upload.keep_location)))
        except photos.RefusedPhoto as refusal:
            raise InvalidInput(
                f"{upload.name[:80]}: {PHOTO_REFUSALS[refusal.reason]()}"
            ) from refusal
    return cleaned


def _next_number(day: dt.date) -> int:
    for _attempt in range(3):
        sequence = PetitionSequence.objects.select_for_update().filter(day=day).first()
        if sequence is None:
            try:
                with transaction.atomic():
                    PetitionSequence.objects.create(day=day, last=1)
                return 1
            except IntegrityError:
                continue
        sequence.last += 1
        sequence.save(update_fields=["last"])
        return sequence.last
    raise Conflict(_("The petition number could not be given out; try again."))


def _dossier(code: str) -> Dossier | None:
    code = code.strip()
    if not code:
        return None
    found = Dossier.objects.select_related("competent_agency__unit").filter(code=code).first()
    if found is None:
        raise InvalidInput(_("Dossier: no dossier has the code %(code)s.") % {"code": code[:60]})
    return found


def file_petition(
    *,
    category: Category,
    text: str,
    sender: Sender,
    channel: str,
    place: str = "",
    commune: AdministrativeUnit | None = None,
    named_unit: AdministrativeUnit | None = None,
    village: str = "",
    dossier_code: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    publish_consent: bool = False,
    photos_sent: Sequence[Photo] = (),
    filed_by: User | None = None,
    filing_token: str | None = None,
) -> Filed:
    """File one petition. Raises ``InvalidInput`` with the first problem, in the user's
    language; ``AlreadyFiled`` when its filing token filed one before."""
    if filing_token and (earlier := Petition.objects.filter(filing_token=filing_token).first()):
        raise AlreadyFiled(earlier)
    if not category.active:
        raise InvalidInput(_("Category: this category is no longer offered."))
    text, sender = _checked_text(text), _checked_sender(sender)
    check_text(_("Address or place"), place)
    check_text(_("Village or hamlet"), village)
    where = routing.place_of(commune, named_unit)
    dossier = _dossier(dossier_code)
    latitude, longitude = _point(latitude, longitude)
    cleaned = cleaned_photos(photos_sent)
    if latitude is None:  # a photo whose location the sender kept on purpose
        kept = next((c for _p, c in cleaned if c.latitude is not None), None)
        if kept is not None:
            latitude, longitude = kept.latitude, kept.longitude
    agency = routing.competent_agency(category, where, dossier)
    pin = new_pin()
    now = clock.now()
    try:
        with transaction.atomic():
            day = now.astimezone(VIETNAM).date()
            due = calendar_for(agency.unit).add(now, category.legal_working_days, WORKING_DAYS)
            petition = Petition.objects.create(
                code=codes.petition_code(day, _next_number(day)),
                pin_hash=pin_digest(pin_key(), pin),
                category=category,
                text=text,
                place=place.strip()[:300],
                commune=where.commune,
                named_unit=where.named,
                village=village.strip()[:120],
                latitude=latitude,
                longitude=longitude,
                dossier=dossier,
                sender_name=sender.name,
                sender_phone=sender.phone,
                sender_email=sender.email,
                sender_address=sender.address,
                contact_key=contact_key(sender.phone, sender.email),
                publish_consent=publish_consent,
                channel=channel,
                filed_by=filed_by,
                filing_token=filing_token or None,
                agency=agency,
                state=State.RECEIVED,
                received_at=now,
                legal_due_at=due,
            )
            hold(petition, agency.pk)
            for upload, photo in cleaned:
                stored = PetitionPhoto(
                    petition=petition,
                    token=secrets.token_hex(16),
                    name=(upload.name or "photo").strip()[:200],
                    content_type=photo.content_type,
                    extension=photo.extension,
                    size=len(photo.content),
                    sha256=hashlib.sha256(photo.content).hexdigest(),
                    uploaded_at=now,
                    kept_location=photo.kept_location,
                )
                stored.file.save(
                    f"{stored.token}{photo.extension}", ContentFile(photo.content), save=False
                )
                stored.save()
            note = ""
            if where.rerouted:
                note = f"{where.named.full_name} → {where.commune.full_name}"
            add_event(
                petition,
                PetitionEvent.Kind.RECEIVED,
                actor=filed_by,
                actor_label="" if filed_by else "sender",
                to_agency_id=agency.pk,
                note=note,
                at=now,
            )
            record_change(
                "petition.received",
                petition,
                actor=filed_by,
                after={"code": petition.code, "agency": agency.code, "channel": channel},
            )
    except IntegrityError:
        earlier = (
            Petition.objects.filter(filing_token=filing_token).first() if filing_token else None
        )
        if earlier is None:
            raise
        raise AlreadyFiled(earlier) from None
    return Filed(petition, pin, where.named if where.rerouted else None)
