"""What the feedback API takes, and the records a body names (a category, a commune, an officer,
an agency, by code or user name) looked up for the services."""

import base64
import binascii
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema

from haicap.accounts.models import User
from haicap.accounts.selectors import active_officer
from haicap.core.api import MultiLine, RecordId, SingleLine, VietnamDateTime
from haicap.core.errors import InvalidInput
from haicap.core.pagination import DEFAULT_LIMIT
from haicap.feedback import photos, selectors
from haicap.feedback.lifecycle import State
from haicap.feedback.models import Category
from haicap.feedback.services import filing
from haicap.units.models import AdministrativeUnit, Agency

# A photo's bytes in base64: a phone's full-size photo, with room for the encoding.
MAX_PHOTO_BASE64 = photos.MAX_PHOTO_BYTES * 4 // 3 + 4


class SenderIn(Schema):
    name: SingleLine = Field(min_length=1, max_length=120)
    phone: SingleLine = Field("", max_length=20)
    email: SingleLine = Field("", max_length=254)
    address: SingleLine = Field("", max_length=300)

    def sender(self) -> filing.Sender:
        return filing.Sender(self.name, self.phone, self.email, self.address)


class PhotoIn(Schema):
    name: SingleLine = Field(min_length=1, max_length=200)
    content_base64: str = Field(
        min_length=1, max_length=MAX_PHOTO_BASE64, description="the photo's bytes in base64"
    )
    keep_location: bool = Field(
        False, description="keep the GPS position in the photo (all other metadata is removed)"
    )

    def photo(self) -> filing.Photo:
        try:
            content = base64.b64decode(self.content_base64, validate=True)
        except (binascii.Error, ValueError) as error:
            raise InvalidInput(
                _("%(name)s: the photo is not valid base64.") % {"name": self.name[:80]}
            ) from error
        return filing.Photo(self.name, content, self.keep_location)


class PlaceIn(Schema):
    """Where it happened: a current commune by its code, or a commune abolished by a merger by
    its id (``former_commune_id``: it goes to the commune that replaced it), or neither (it goes
    to a provincial agency)."""

    commune_code: SingleLine | None = Field(
        None, min_length=1, max_length=10, description="a current commune or ward"
    )
    former_commune_id: RecordId | None = Field(
        None, description="a commune or ward before the 2025 merger, as the sender names it"
    )
    place: SingleLine = Field("", max_length=300, description="the address or place")
    village: SingleLine = Field("", max_length=120, description="the village or hamlet")
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=12, decimal_places=8)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=12, decimal_places=8)


class PetitionIn(PlaceIn):
    category_code: SingleLine = Field(min_length=1, max_length=40)
    text: MultiLine = Field(
        min_length=1, max_length=filing.MAX_TEXT, description="what happened, what is asked"
    )
    sender: SenderIn
    dossier_code: SingleLine = Field(
        "", max_length=40, description="for a petition about a procedure: the dossier it names"
    )
    publish_consent: bool = Field(
        False, description="the sender agrees that the answer is published without personal data"
    )
    photos: list[PhotoIn] = Field(default_factory=list, max_length=photos.MAX_PHOTOS)


class PublicPetitionIn(PetitionIn):
    client_token: SingleLine = Field(
        "",
        max_length=100,
        description="the same as an Idempotency-Key: a repeat with it files nothing more",
    )


class PetitionFilters(Schema):
    state: State | None = None
    overdue: bool | None = Field(None, description="still open past its legal deadline")
    category: SingleLine | None = Field(None, min_length=1, max_length=40)
    commune: SingleLine | None = Field(
        None, min_length=1, max_length=10, description="the code of a current commune"
    )
    cursor: str | None = Field(None, max_length=500)
    limit: int = DEFAULT_LIMIT


class VersionIn(Schema):
    version: int = Field(
        ge=1, le=2**31 - 1, description="the version the caller saw; a stale one is refused (409)"
    )


class AssignIn(VersionIn):
    handler: SingleLine | None = Field(
        None, min_length=1, max_length=150, description="a username; the caller when omitted"
    )


class StepDeadlineIn(VersionIn):
    due_at: VietnamDateTime


class TransferIn(VersionIn):
    agency_code: SingleLine = Field(min_length=1, max_length=40)
    reason: MultiLine = Field(min_length=1, max_length=4000)


class AnswerIn(VersionIn):
    text: MultiLine = Field(min_length=1, max_length=10000)
    public_text: MultiLine | None = Field(
        None,
        max_length=10000,
        description="what is published when the sender agreed; by default the answer with "
        "personal data removed",
    )


class SurveyQuery(Schema):
    subject: Literal["dossier", "petition"] = "dossier"


class RatingIn(Schema):
    code: SingleLine = Field(
        min_length=1, max_length=40, description="a returned dossier's or an answered petition's"
    )
    pin: str = Field(min_length=1, max_length=12)
    answers: dict[SingleLine, SingleLine] = Field(
        description="each question's code with a level: very_satisfied, satisfied, dissatisfied"
    )
    comment: MultiLine = Field("", max_length=1000)


def category(code: str) -> Category:
    found = selectors.offered_category(code)
    if found is None:
        raise InvalidInput(
            _("Category: no category offered has the code %(code)s.") % {"code": code}
        )
    return found


def place(body: PlaceIn) -> tuple[AdministrativeUnit | None, AdministrativeUnit | None]:
    """The current commune and the former one the body names (either may be None)."""
    commune = named = None
    if body.commune_code:
        commune = selectors.commune_in_force(body.commune_code)
        if commune is None:
            raise InvalidInput(
                _("Commune: no commune or ward in force has the code %(code)s.")
                % {"code": body.commune_code}
            )
    if body.former_commune_id is not None:
        named = selectors.unit_by_id(body.former_commune_id, former=True)
        if named is None:
            raise InvalidInput(_("Former commune: no former commune or ward has this id."))
    return commune, named


def officer(viewer: User, username: str | None) -> User:
    if not username:
        return viewer
    found = active_officer(viewer, username=username)
    if found is None:
        raise InvalidInput(_("No active officer is named %(name)s.") % {"name": username})
    return found


def target_agency(code: str) -> Agency:
    found = selectors.transfer_target(code)
    if found is None:
        raise InvalidInput(
            _(
                "Agency: no agency a petition may be transferred to (a provincial agency or a "
                "commune's People's Committee) has the code %(code)s."
            )
            % {"code": code}
        )
    return found
