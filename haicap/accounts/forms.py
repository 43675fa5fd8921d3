from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from haicap.accounts import services
from haicap.core.middleware import client_ip
from haicap.core.validators import PlainTextForm


class SignInForm(AuthenticationForm):
    """Django's sign-in form, refusing early while the account or address is throttled."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _(
            "Too many failed sign-ins. Wait %(minutes)d minutes and try again, or ask your "
            "agency administrator."
        ),
    }

    def clean(self) -> dict:
        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password") or ""
        if not (username and password):
            return super().clean()
        ip = client_ip(self.request) if self.request else None
        if not services.begin_sign_in(username, ip):
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": settings.LOGIN_THROTTLE_WINDOW_SECONDS // 60},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            services.sign_in_failed(username, ip)
            raise
        services.sign_in_succeeded(self.get_user(), ip)
        return cleaned


class TokenForm(PlainTextForm, forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_('Which client will use it, e.g. "provincial data warehouse".'),
    )
