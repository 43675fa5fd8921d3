"""The oversight pages' forms: planning a visit, concluding it, recording a finding.

Each form only reads what was typed; the services decide what is allowed. The choices come
from the caller (the group's communes and people, the agencies a finding may name), so a form
never offers what the service would refuse for being outside the group.
"""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from haicap.catalog.models import Field
from haicap.core.validators import PlainTextForm
from haicap.dossiers import uploads
from haicap.oversight.models import Finding

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InspectionForm(PlainTextForm, forms.Form):
    held_on = forms.DateField(label=_("Date of the visit"), widget=DATE)
    communes = forms.ModelMultipleChoiceField(
        label=_("Communes visited"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the communes the group visits.")},
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Participants"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_participants = forms.CharField(
        label=_("Other participants (one a line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, communes: QuerySet, people: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["communes"].queryset = communes
        self.fields["communes"].label_from_instance = lambda unit: unit.full_name
        self.fields["participants"].queryset = people
        self.fields["participants"].label_from_instance = lambda user: (
            user.full_name or user.username
        )


class ConclusionForm(PlainTextForm, forms.Form):
    number = forms.CharField(
        label=_("Conclusion number"),
        max_length=40,
        help_text=_("The ordinal, such as 95; the symbol of the issuing body is added to it."),
    )
    date = forms.DateField(label=_("Conclusion date"), widget=DATE)
    summary = forms.CharField(
        label=_("What the conclusion is about"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    text = forms.CharField(
        label=_("The group's conclusions"),
        help_text=_(
            "The conclusion as the notice states it under section III, before the tasks: "
            "a paragraph a line."
        ),
        error_messages={"required": _("Write the conclusion: the notice states it.")},
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args, **kwargs) -> None:
        # the inspection page also holds the finding form, whose "text" has the plain id
        kwargs.setdefault("auto_id", "conclusion_%s")
        super().__init__(*args, **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input, each checked as a file; the service then judges each by
    its content (``uploads.attachment_kind_of``). The form says beforehand which kinds are
    taken, and the browser's file picker offers those first."""

    def __init__(self, *args, **kwargs) -> None:
        accept = ",".join((*uploads.ATTACHMENT_EXTENSIONS, *uploads.EXTENSION_ALIASES))
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        kwargs.setdefault(
            "help_text",
            _("PDF, PNG, JPEG, Word (.docx, .odt) or Excel (.xlsx, .ods) files, up to 10 MB each."),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list[UploadedFile]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class FindingForm(PlainTextForm, forms.Form):
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=None)
    category = forms.ChoiceField(label=_("Category"), choices=Finding.Category.choices)
    field = forms.ModelChoiceField(
        label=_("Field short of staff"), queryset=Field.objects.none(), required=False
    )
    field_text = forms.CharField(label=_("or the field in words"), max_length=120, required=False)
    text = forms.CharField(label=_("What was found"), widget=forms.Textarea(attrs={"rows": 4}))
    agency_to_act = forms.ModelChoiceField(label=_("Agency that must act"), queryset=None)
    link = forms.CharField(
        label=_("Link to a haicap page"),
        max_length=500,
        required=False,
        help_text=_("An address within haicap, such as a filtered dossier list: /desk/ho-so/?…"),
    )
    link_label = forms.CharField(label=_("What the link shows"), max_length=200, required=False)
    papers = MultipleFileField(label=_("Evidence files"), required=False)

    def __init__(
        self, *args, communes: QuerySet, agencies: QuerySet, fields: QuerySet, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        self.fields["commune"].label_from_instance = lambda unit: unit.full_name
        self.fields["agency_to_act"].queryset = agencies
        self.fields["field"].queryset = fields

    def links(self) -> list[tuple[str, str]]:
        link = self.cleaned_data.get("link", "").strip()
        return [(link, self.cleaned_data.get("link_label", ""))] if link else []
