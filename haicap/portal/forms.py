from collections.abc import Sequence

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from haicap.catalog.models import Field, Procedure
from haicap.core import clock
from haicap.core.validators import PlainTextForm
from haicap.dossiers import services, uploads
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.applicant_forms import add_applicant_errors, applicant_from
from haicap.dossiers.delivery import Choice, choice_problems
from haicap.dossiers.models import Dossier
from haicap.dossiers.upload_refusals import refusal_message
from haicap.units.models import AdministrativeUnit, Agency

SUBMISSION_PREFIX = "TT-"


class DossierLookupForm(PlainTextForm, forms.Form):
    code = forms.CharField(
        label=_("Dossier code or online submission reference"),
        max_length=60,
        help_text=_(
            "The code on your receipt slip, or the TT-… reference given when you filed online."
        ),
    )
    pin = forms.CharField(
        label=_("Look-up PIN"),
        max_length=12,
        help_text=_("The six digits on your receipt slip or shown when you filed online."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def is_submission(self) -> bool:
        return self.cleaned_data["code"].strip().upper().startswith(SUBMISSION_PREFIX)


class ProcedureFilterForm(PlainTextForm, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("e.g. cap giay phep xay dung")}
        ),
    )
    field = forms.ChoiceField(label=_("Field"), required=False)
    tier = forms.ChoiceField(
        label=_("Decided at"),
        required=False,
        choices=[
            ("", _("All levels")),
            ("commune", _("Commune or ward")),
            ("province", _("Province")),
        ],
    )
    online = forms.BooleanField(label=_("Can be filed online"), required=False)

    def __init__(self, *args, fields: Sequence[Field], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("All fields"))] + [(f.code, f.name) for f in fields]


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.Field):
    """Several files from one input; each is judged by the form, not here."""

    widget = MultipleFileInput

    def clean(self, data: object) -> list[UploadedFile]:
        files = list(data) if isinstance(data, list | tuple) else ([data] if data else [])
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return files


class OnlineFilingForm(PlainTextForm, forms.Form):
    """A citizen files a dossier online; the applicant rules are those of the desk."""

    name = forms.CharField(
        label=_("Full name of the applicant"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_number = forms.CharField(
        label=_("Citizen ID number"),
        max_length=12,
        required=False,
        help_text=_("The 12 digits on your citizen identity card."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    business_code = forms.CharField(
        label=_("Enterprise code"),
        max_length=14,
        required=False,
        help_text=_("Only when you file for an enterprise: its 10-digit code (13 for a branch)."),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=15,
        help_text=_("The desk calls this number if something is missing."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    desk = forms.ChoiceField(
        label=_("One-stop desk"),
        help_text=_(
            "Any desk in the province may receive your dossier; the result is returned there."
        ),
    )
    commune = forms.ChoiceField(
        label=_("Commune or ward that decides"),
        required=False,
        help_text=_(
            "Its People's Committee decides your dossier. Leave it empty to use the commune "
            "or ward of the desk."
        ),
    )
    result_delivery = forms.ChoiceField(
        label=_("How you receive the result"),
        choices=Dossier.Delivery.choices,
        initial=Dossier.Delivery.DESK,
        required=False,  # a form sent without it (a page opened before it was asked): the desk
        widget=forms.RadioSelect,
        help_text=_(
            "At the desk you chose; by post to the address above; or electronically to your "
            "account on the public-service portal."
        ),
    )
    papers = MultipleFileField(
        label=_("Scans of your papers"),
        widget=MultipleFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )
    # Read by the view (see portal.filing_tokens); a field so that a form shown again keeps it.
    filing_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args,
        procedure: Procedure,
        desks: Sequence[Agency],
        communes: Sequence[AdministrativeUnit],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        self.fields["papers"].help_text = _(
            "PDF, PNG or JPEG; at most %(count)d files of up to %(size)s each."
        ) % {
            "count": services.MAX_SUBMISSION_PAPERS,
            "size": filesizeformat(uploads.MAX_UPLOAD_BYTES),
        }
        self.desks = {d.code: d for d in desks}
        self.communes = {u.code: u for u in communes}
        self.fields["desk"].choices = [
            ("", _("Choose a desk")),
            (_("Province"), [(d.code, d.name) for d in desks if d.tier == "province"]),
            (_("Communes and wards"), [(d.code, d.name) for d in desks if d.tier != "province"]),
        ]
        if procedure.tier == "commune":
            self.fields["commune"].choices = [("", _("The commune or ward of the desk"))] + [
                (u.code, u.full_name) for u in communes
            ]
        else:
            del self.fields["commune"]

    def clean_desk(self) -> Agency:
        return self.desks[self.cleaned_data["desk"]]  # the choices already refused anything else

    def clean_commune(self) -> AdministrativeUnit | None:
        code = self.cleaned_data.get("commune")
        return self.communes[code] if code else None

    def clean_papers(self) -> list[UploadedFile]:
        papers = self.cleaned_data["papers"]
        if len(papers) > services.MAX_SUBMISSION_PAPERS:
            raise forms.ValidationError(
                _("Send at most %(count)d files.") % {"count": services.MAX_SUBMISSION_PAPERS}
            )
        refused = [message for paper in papers if (message := _refusal(paper))]
        if refused:
            raise forms.ValidationError(refused)
        return papers

    def clean(self) -> dict:
        data = super().clean()
        add_applicant_errors(self, self.applicant(), clock.now().date())
        desk = data.get("desk")
        if "commune" in self.fields and desk and desk.tier != "commune" and not data.get("commune"):
            self.add_error(
                "commune", _("Choose the commune whose People's Committee decides this dossier.")
            )
        way = data["result_delivery"] = data.get("result_delivery") or Dossier.Delivery.DESK
        if way != Dossier.Delivery.DESK:  # the service's rule (``dossiers.delivery``), shown here
            applicant = self.applicant()
            problems = choice_problems(
                Choice(way),
                applicant.address,
                applicant.email,
                applicant.id_number,
                clock.now().date(),
            )
            if "way" in problems:
                self.add_error("result_delivery", _(problems["way"]))
        return data

    def applicant(self) -> Applicant:
        return applicant_from(self.cleaned_data)


def _refusal(paper: UploadedFile) -> str | None:
    """Why a paper cannot be kept, in the reader's language (the same check as the service's)."""
    head = paper.read(16)
    paper.seek(0)
    try:
        uploads.kind_of(head, paper.size or 0)
    except uploads.RefusedUpload as refusal:
        return refusal_message(paper.name or "", refusal)
    return None
