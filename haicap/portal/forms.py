from django import forms
from django.utils.translation import gettext_lazy as _


class DossierLookupForm(forms.Form):
    code = forms.CharField(label=_("Dossier code"), max_length=60)
    pin = forms.CharField(
        label=_("Look-up PIN"),
        max_length=12,
        help_text=_("The six digits printed on your receipt slip."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
