"""Capital pages: open data."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def open_data(request: HttpRequest) -> HttpResponse:
    return render(request, "budget/open_data.html", {})
