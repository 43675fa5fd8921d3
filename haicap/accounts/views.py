"""Sign-in, sign-out and the staff member's own account page (memberships, API tokens)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haicap.accounts import selectors, services
from haicap.accounts.forms import SignInForm, TokenForm
from haicap.core.errors import DomainError
from haicap.core.scoping import scope_of


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """The admin's sign-in address: the desk's sign-in, or a refusal for signed-in officers."""
    if request.user.is_authenticated:
        context = {
            "title": _("You are not allowed to do this"),
            "detail": _("Only system administrators may use the administration pages."),
        }
        return render(request, "error.html", context, status=403)
    query = request.GET.urlencode()
    return redirect(reverse("desk:login") + (f"?{query}" if query else ""))


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return _render_account(request, TokenForm())


def _render_account(
    request: HttpRequest, form: TokenForm, new_token: str | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "memberships": selectors.memberships_of(request.user),
        "scope": scope_of(request.user),
        "tokens": selectors.tokens_of(request.user),
        "form": form,
        "new_token": new_token,
    }
    return render(request, "accounts/account.html", context, status=status)


@login_required
@require_POST
def issue_token(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _render_account(request, form, status=422)
    try:
        _token, plaintext = services.issue_api_token(
            request.user, request.user, form.cleaned_data["name"]
        )
    except DomainError as error:
        form.add_error("name", error.detail)
        return _render_account(request, form, status=error.status)
    # The plaintext is shown on this response only; it is not stored anywhere.
    return _render_account(request, TokenForm(), new_token=plaintext)


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        services.revoke_api_token(request.user, token_id)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("The token was revoked; clients using it are refused now."))
    return redirect("desk:account")
