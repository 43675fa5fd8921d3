"""The public site's forms: filing a petition, following it with its code and PIN, saying
whether the answer resolved it, and rating it.

The filing form judges each field where the sender can see it (the service judges them again,
and alone judges a photo's content): the commune is a current one chosen from the list, or a
unit found by name, current or former; a former one is followed to the commune that replaced it
(``routing.place_of``), and one divided between several asks the sender which part.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from haicap.core.errors import InvalidInput
from haicap.core.file_fields import MultipleFileField, MultipleFileInput
from haicap.core.validators import PlainTextForm
from haicap.feedback import photos, questions, routing, selectors
from haicap.feedback.models import LEVEL_LABELS, Category
from haicap.feedback.services import filing, ratings
from haicap.units import selectors as units
from haicap.units.kinds import Tier
from haicap.units.models import AdministrativeUnit

MAX_UNITS_FOUND = 20


@dataclass(frozen=True)
class UnitOption:
    """One answer to "which commune?" found by name: a current commune or ward, or a former one
    with the current commune it now belongs to (one option per part when it was divided)."""

    value: str
    unit: AdministrativeUnit
    now: AdministrativeUnit | None  # the current commune a former unit belongs to
    divided: bool = False
    checked: bool = False

    @property
    def district(self) -> str:
        parent = self.unit.parent
        return parent.full_name if parent is not None and parent.tier == Tier.DISTRICT else ""


def _options_of(
    unit: AdministrativeUnit, now: Sequence[AdministrativeUnit], chosen: str
) -> list[UnitOption]:
    if unit.is_current:
        return [UnitOption(str(unit.pk), unit, None, checked=chosen == str(unit.pk))]
    communes = [u for u in now if u.tier == Tier.COMMUNE]
    if len(communes) == 1:
        value = str(unit.pk)
        return [UnitOption(value, unit, communes[0], checked=chosen == value)]
    return [
        UnitOption(v, unit, part, divided=True, checked=chosen == v)
        for part in communes
        if (v := f"{unit.pk}:{part.pk}")
    ]


def unit_options(query: str, chosen: str = "") -> list[UnitOption]:
    """The communes and wards, current and former, named like ``query``."""
    query = query.strip()[:100]
    if not query:
        return []
    found = units.public_unit_lookup(query, MAX_UNITS_FOUND)
    options: list[UnitOption] = []
    for unit, now in found:
        if unit.tier == Tier.COMMUNE:
            options += _options_of(unit, now, chosen)
    return options


def options_for_unit(unit: AdministrativeUnit, chosen: str = "") -> list[UnitOption]:
    return _options_of(unit, units.current_successors(unit), chosen)


class PetitionForm(PlainTextForm, forms.Form):
    category = forms.ChoiceField(label=_("What is it about?"))
    text = forms.CharField(
        label=_("What happened"),
        max_length=filing.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Say what, where and since when, as precisely as you can."),
    )
    place = forms.CharField(
        label=_("Address or place"),
        max_length=300,
        required=False,
        help_text=_("A house number and street, a road, a landmark nearby."),
    )
    # required unless the unit is found by name below (``_clean_place``); marked so on the page
    commune = forms.ChoiceField(
        label=_("Commune or ward (as it is now)"),
        required=False,
        help_text=_("Or find it below by the name you know, even a former one."),
    )
    unit_search = forms.CharField(
        label=_("Or find it by the name you know, even a former one"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_(
            "Many communes were merged on 1 July 2025. Type the name of your commune, ward or "
            "township as you have always known it, then choose it."
        ),
    )
    unit = forms.CharField(required=False, max_length=40)  # a found unit's radio button
    village = forms.CharField(
        label=_("Village, hamlet or residential group"), max_length=120, required=False
    )
    dossier_code = forms.CharField(
        label=_("Dossier code"),
        max_length=40,
        required=False,
        help_text=_(
            "Only when it is about an administrative procedure: the code on your receipt slip."
        ),
    )
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    keep_location = forms.BooleanField(
        label=_("Keep the photos' location"),
        required=False,
        help_text=_("Otherwise the location where a photo was taken is removed from it."),
    )
    name = forms.CharField(
        label=_("Full name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = forms.CharField(
        label=_("Your address"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    publish_consent = forms.BooleanField(
        label=_("The answer may be published on this site, without my personal details"),
        required=False,
    )
    # Read by the view (see feedback.filing_tokens); a field so that a form shown again keeps it.
    filing_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: object,
        categories: Sequence[Category],
        communes: Sequence[AdministrativeUnit],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.categories = {c.code: c for c in categories}
        self.communes = {u.code: u for u in communes}
        self.fields["category"].choices = [("", _("Choose a category"))] + [
            (c.code, c.shown_name) for c in categories
        ]
        self.fields["commune"].choices = [("", _("Choose a commune or ward"))] + [
            (u.code, u.full_name) for u in communes
        ]
        self.fields["photos"].help_text = _(
            "JPEG, PNG or WebP; at most %(count)d photos of up to %(size)s each."
        ) % {"count": photos.MAX_PHOTOS, "size": filesizeformat(photos.MAX_PHOTO_BYTES)}
        self.where: routing.Place | None = None
        self.options: list[UnitOption] = []

    def clean_category(self) -> Category:
        return self.categories[self.cleaned_data["category"]]  # the choices refused the rest

    def clean_commune(self) -> AdministrativeUnit | None:
        code = self.cleaned_data.get("commune")
        return self.communes[code] if code else None

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if len(text) < filing.MIN_TEXT:
            raise forms.ValidationError(
                _("Write at least %(n)s characters about what happened.") % {"n": filing.MIN_TEXT}
            )
        return text

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Say who is sending the petition."))
        return name

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        digits = "".join(ch for ch in phone if ch.isdigit())
        shape_ok = all(ch.isdigit() or ch in " .-+" for ch in phone)
        low, high = filing.PHONE_DIGITS
        if phone and not (shape_ok and low <= len(digits) <= high):
            raise forms.ValidationError(_("Give a phone number of 10 digits, such as 0912345678."))
        return phone

    def clean_dossier_code(self) -> str:
        code = self.cleaned_data["dossier_code"].strip()
        if code and not selectors.dossier_exists(code):
            raise forms.ValidationError(
                _("No dossier has the code %(code)s; check your receipt slip.") % {"code": code}
            )
        return code

    def clean_photos(self) -> list[UploadedFile]:
        sent = self.cleaned_data["photos"]
        if len(sent) > photos.MAX_PHOTOS:
            raise forms.ValidationError(_("Send at most %(n)s photos.") % {"n": photos.MAX_PHOTOS})
        too_big = [p.name for p in sent if (p.size or 0) > photos.MAX_PHOTO_BYTES]
        if too_big:
            raise forms.ValidationError(
                _("%(names)s: a photo may be at most %(size)s.")
                % {"names": ", ".join(too_big), "size": filesizeformat(photos.MAX_PHOTO_BYTES)}
            )
        return sent

    def clean(self) -> dict:
        data = super().clean()
        typed_wrong = "phone" in self.errors or "email" in self.errors
        if not data.get("phone") and not data.get("email") and not typed_wrong:
            self.add_error(
                "phone", _("Give a phone number or an email, so that the answer reaches you.")
            )
        self._clean_place(data)
        return data

    def _clean_place(self, data: dict) -> None:
        """Which commune: the list's, or the unit found by name (a former one followed to the
        commune that replaced it)."""
        commune, chosen, query = (
            data.get("commune"),
            data.get("unit", ""),
            data.get("unit_search", ""),
        )
        named = None
        if chosen:
            named, part = self._chosen(chosen)
            if named is None:
                self.add_error("unit", _("Choose a commune or ward among those found."))
                self.options = unit_options(query)
                return
            self.options = unit_options(query, chosen) or options_for_unit(named, chosen)
            if named.is_current:
                if commune is not None and commune.pk != named.pk:
                    self.add_error(
                        "unit",
                        _("The commune in the list and the one found by name differ; keep one."),
                    )
                    return
                commune, named = named, None
            elif part is not None:
                if commune is not None and commune.pk != part.pk:
                    self.add_error(
                        "unit",
                        _("The commune in the list and the one found by name differ; keep one."),
                    )
                    return
                commune = part
        elif query and commune is None:
            self.options = unit_options(query)
            self.add_error(
                "unit",
                _("Choose your commune or ward among those found.")
                if self.options
                else _("No commune or ward is named like “%(query)s”.") % {"query": query[:100]},
            )
            return
        elif commune is None:
            self.add_error("commune", _("Choose the commune or ward, from the list or by name."))
            return
        try:
            self.where = routing.place_of(commune, named)
        except InvalidInput as refusal:
            self.add_error("unit", refusal.detail)

    def _chosen(self, value: str) -> tuple[AdministrativeUnit | None, AdministrativeUnit | None]:
        unit_id, _sep, part_id = value.partition(":")
        if not unit_id.isdigit() or (part_id and not part_id.isdigit()):
            return None, None
        unit = selectors.unit_by_id(int(unit_id))
        part = selectors.unit_by_id(int(part_id)) if part_id else None
        if unit is None or (part_id and (part is None or not part.is_current)):
            return None, None
        return unit, part

    def sender(self) -> filing.Sender:
        data = self.cleaned_data
        return filing.Sender(data["name"], data["phone"], data["email"], data["address"])

    def photos_sent(self) -> list[filing.Photo]:
        keep = self.cleaned_data["keep_location"]
        sent = []
        for upload in self.cleaned_data["photos"]:
            upload.seek(0)
            sent.append(filing.Photo(upload.name or "photo", upload.read(), keep))
        return sent


class PetitionLookupForm(PlainTextForm, forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        help_text=_("The PA-… code given when you sent the petition."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    pin = forms.CharField(
        label=_("Look-up PIN"),
        max_length=12,
        help_text=_("The six digits shown when you sent the petition."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class ReopenForm(PlainTextForm, forms.Form):
    reason = forms.CharField(
        label=_("What is still not resolved?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RatingForm(PlainTextForm, forms.Form):
    """The short survey: each question of ``questions`` answered on the national levels."""

    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=ratings.MAX_COMMENT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        levels = [(level.value, LEVEL_LABELS[level]) for level in questions.Level]
        asked = {}
        for question in questions.questions_for("petition"):
            asked[f"q_{question.code}"] = forms.ChoiceField(
                label=_(question.text),  # marked in ``questions``
                choices=levels,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose one answer.")},
            )
        self.fields = {**asked, **self.fields}

    def answers(self) -> dict[str, str]:
        return {
            q.code: self.cleaned_data[f"q_{q.code}"] for q in questions.questions_for("petition")
        }

    def question_fields(self) -> list:
        return [self[name] for name in self.fields if name.startswith("q_")]
