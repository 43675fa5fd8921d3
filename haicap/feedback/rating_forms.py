"""The forms of a dossier's rating: the code and PIN that prove the applicant (on the rating page
alone), and the survey itself."""

from django import forms
from django.utils.translation import gettext_lazy as _

from haicap.core.validators import PlainTextForm
from haicap.feedback import questions
from haicap.feedback.models import LEVEL_LABELS
from haicap.feedback.services.ratings import MAX_COMMENT

LEVELS = [(level.value, label) for level, label in LEVEL_LABELS.items()]


class CodeAndPinForm(PlainTextForm, forms.Form):
    code = forms.CharField(
        label=_("Dossier code"),
        max_length=60,
        help_text=_("The code on your receipt slip."),
    )
    pin = forms.CharField(
        label=_("Look-up PIN"),
        max_length=12,
        help_text=_("The six digits on your receipt slip."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class DossierRatingForm(PlainTextForm, forms.Form):
    """The survey of a returned dossier; ``token`` carries the dossier the look-up proved."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=400)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for question in questions.questions_for("dossier"):
            self.fields[question.code] = forms.ChoiceField(
                label=_(question.text),
                choices=LEVELS,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose one answer.")},
            )
        self.fields["comment"] = forms.CharField(
            label=_("Anything else you wish to tell us (optional)"),
            required=False,
            max_length=MAX_COMMENT,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        self.order_fields(["token"])

    def questions(self) -> list[forms.BoundField]:
        return [self[q.code] for q in questions.questions_for("dossier")]

    def answers(self) -> dict[str, str]:
        return {q.code: self.cleaned_data[q.code] for q in questions.questions_for("dossier")}
