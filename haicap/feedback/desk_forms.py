"""The forms of the petition desk: the queue's filters, the actions on one petition, and filing
on a sender's behalf. They read what was typed; the services decide (and word the refusals)."""

from collections.abc import Mapping, Sequence

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haicap.accounts.models import User
from haicap.core.file_fields import MultipleFileField
from haicap.core.validators import PlainTextForm
from haicap.feedback.models import STATE_LABELS, Category
from haicap.units.forms import EMPTY, valid_fields
from haicap.units.models import AdministrativeUnit, Agency

MOMENT_FORMATS = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]

# --- the queue ----------------------------------------------------------------------------------


class QueueFilterForm(PlainTextForm, forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=EMPTY + [(state.value, label) for state, label in STATE_LABELS.items()],
    )
    category = forms.ChoiceField(label=pgettext_lazy("petition", "Category"), required=False)
    commune = forms.ChoiceField(label=_("Commune"), required=False)
    overdue = forms.BooleanField(label=_("Past the legal deadline"), required=False)
    mine = forms.BooleanField(label=_("In my charge"), required=False)
    transferred = forms.BooleanField(label=_("Transferred away"), required=False)

    def __init__(
        self,
        *args,
        categories: Sequence[Category],
        communes: Sequence[AdministrativeUnit] | None,
        transfers: bool = True,
        **kwargs,
    ) -> None:
        """``communes``: None for a reader of one commune; ``transfers``: whether the reader's
        bodies may have sent petitions on (not a province-wide reader's)."""
        super().__init__(*args, **kwargs)
        if not transfers:
            del self.fields["transferred"]
        self.categories = {c.code: c for c in categories}
        self.fields["category"].choices = EMPTY + [(c.code, c.name) for c in categories]
        self.communes = {str(u.pk): u for u in communes or ()}
        if communes is None:  # one who sees one commune's petitions needs no commune filter
            del self.fields["commune"]
        else:
            self.fields["commune"].choices = EMPTY + [(str(u.pk), u.full_name) for u in communes]

    def filters(self) -> dict:
        data = valid_fields(self)
        return {
            "state": data.get("state") or "",
            "overdue": bool(data.get("overdue")),
            "mine": bool(data.get("mine")),
            "transferred": bool(data.get("transferred")),
            "category": self.categories.get(data.get("category") or ""),
            "commune": self.communes.get(data.get("commune") or ""),
        }


# --- the actions on one petition ----------------------------------------------------------------


class PickedFrom(forms.ChoiceField):
    """One of the rows the page offered (in the order offered), given back as the row."""

    def __init__(self, *args, empty: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.empty = empty
        self.rows: dict[str, object] = {}

    def offer(self, rows: Sequence[object], label) -> None:
        self.rows = {str(row.pk): row for row in rows}
        self.choices = [("", self.empty)] + [(str(row.pk), label(row)) for row in rows]

    def clean(self, value: object) -> object:
        return self.rows[super().clean(value)]


class AssignForm(forms.Form):
    officer = PickedFrom(
        label=_("Officer in charge"),
        empty=_("Choose the officer"),
        error_messages={
            "required": _("Choose the officer who handles it."),
            "invalid_choice": _("Choose one of the officers of the agency handling it."),
        },
    )

    def __init__(
        self,
        *args,
        officers: Sequence[User],
        roles: Mapping[int, Sequence[str]] | None = None,
        **kwargs,
    ) -> None:
        """``roles``: each officer's roles in the body, named beside them (a leader, an
        agency administrator are told apart from the specialists)."""
        super().__init__(*args, **kwargs)
        roles = roles or {}

        def label(officer: User) -> str:
            held = roles.get(officer.pk)
            return f"{officer} ({', '.join(held)})" if held else str(officer)

        self.fields["officer"].offer(officers, label)


class StepDeadlineForm(forms.Form):
    due = forms.DateTimeField(
        label=_("Step deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=MOMENT_FORMATS,
        error_messages={
            "required": _("Give the step deadline as a date and time."),
            "invalid": _("Give the step deadline as a date and time."),
        },
    )


class TransferForm(PlainTextForm, forms.Form):
    agency = PickedFrom(
        label=_("Agency it goes to"),
        empty=_("Choose the competent agency"),
        error_messages={
            "required": _("Choose the agency it goes to."),
            "invalid_choice": _("Choose an agency in force other than the one handling it."),
        },
    )
    reason = forms.CharField(
        label=_("Why it goes there"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Say why it goes to that agency.")},
    )

    def __init__(self, *args, targets: Sequence[Agency], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # a commune's People's Committee is named with its commune
        self.fields["agency"].offer(targets, lambda agency: agency.name)


class AnswerForm(PlainTextForm, forms.Form):
    text = forms.CharField(
        label=_("Answer to the sender"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write the answer.")},
    )
    public_text = forms.CharField(
        label=_("Answer as published"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "The sender agreed to publication: this is what the public page shows. It is the "
            "answer with personal data removed; read it and edit it if need be. Left empty, the "
            "answer is published with personal data removed."
        ),
    )
    attachments = MultipleFileField(
        label=_("Attached files"),
        required=False,
        help_text=_(
            "PDF, PNG, JPEG, Word (.docx, .odt) or Excel (.xlsx, .ods) files, up to 10 MB each."
        ),
    )

    def __init__(self, *args, publishes: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not publishes:
            del self.fields["public_text"]


# --- filing on a sender's behalf ----------------------------------------------------------------


class FilingForm(PlainTextForm, forms.Form):
    """What a sender tells the desk: the public form's fields, typed by the officer."""

    category = forms.ChoiceField(
        label=pgettext_lazy("petition", "Category"),
        error_messages={
            "required": _("Choose what the petition is about."),
            "invalid_choice": _("Choose what the petition is about."),
        },
    )
    text = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write what happened.")},
    )
    place = forms.CharField(label=_("Address or place"), required=False, max_length=300)
    commune = forms.ChoiceField(
        label=_("Commune or ward (in force)"),
        required=False,
        error_messages={"invalid_choice": _("Choose a commune or ward in force.")},
    )
    former = forms.ChoiceField(
        label=_("Or the former commune the sender names"),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the former communes listed.")},
        help_text=_("A commune merged in 2025: the petition goes to the commune that replaced it."),
    )
    village = forms.CharField(label=_("Village or hamlet"), required=False, max_length=120)
    dossier_code = forms.CharField(
        label=_("Dossier code, if it is about a dossier"), required=False, max_length=60
    )
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        help_text=_("Up to 5 photos (JPEG, PNG or WebP); their metadata is removed."),
    )
    keep_location = forms.BooleanField(
        label=_("Keep the location recorded in the photos"), required=False
    )
    sender_name = forms.CharField(
        label=_("Sender's name"),
        max_length=120,
        error_messages={"required": _("Write the sender's name.")},
    )
    sender_phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    sender_email = forms.CharField(label=_("Email"), required=False, max_length=254)
    sender_address = forms.CharField(label=_("Sender's address"), required=False, max_length=300)
    publish_consent = forms.BooleanField(
        label=_("The sender agrees that the answer is published, without personal data"),
        required=False,
    )
    filing_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(
        self,
        *args,
        categories: Sequence[Category],
        communes: Sequence[AdministrativeUnit],
        former: Sequence[AdministrativeUnit],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.categories = {c.code: c for c in categories}
        self.fields["category"].choices = [("", _("Choose the category"))] + [
            (c.code, c.name) for c in categories
        ]
        self.communes = {str(u.pk): u for u in communes}
        self.fields["commune"].choices = [("", "—")] + [(str(u.pk), u.full_name) for u in communes]
        self.former_units = {str(u.pk): u for u in former}
        groups: dict[str, list[tuple[str, str]]] = {}
        for unit in former:
            district = unit.parent.full_name if unit.parent else ""
            groups.setdefault(district, []).append((str(unit.pk), unit.full_name))
        self.fields["former"].choices = [("", "—"), *groups.items()]

    def chosen(self) -> dict:
        data = self.cleaned_data
        return {
            "category": self.categories.get(data.get("category") or ""),
            "commune": self.communes.get(data.get("commune") or ""),
            "named_unit": self.former_units.get(data.get("former") or ""),
        }
