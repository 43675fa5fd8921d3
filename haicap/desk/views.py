"""The staff desk's home page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from haicap.accounts.selectors import memberships_of, scope_for
from haicap.units import selectors as registry


@login_required
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "memberships": memberships_of(request.user),
        "scope": scope_for(request.user),
        "current_unit_count": registry.list_units(request.user, status="current").count(),
        "former_unit_count": registry.list_units(request.user, status="former").count(),
        "agency_count": registry.visible_agencies(request.user).count(),
    }
    return render(request, "desk/home.html", context)
