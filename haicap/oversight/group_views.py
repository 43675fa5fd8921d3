"""The working groups' pages: the list of groups the reader sees, and a group's page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from haicap.oversight import selectors
from haicap.oversight.page_access import manages


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    groups = selectors.visible_groups(request.user).prefetch_related("communes")
    return render(request, "oversight/group_list.html", {"groups": groups})


@login_required
def group_detail(request: HttpRequest, group_id: int) -> HttpResponse:
    group = selectors.group_with_people(request.user, group_id)
    inspections = (
        selectors.visible_inspections(request.user, group_id=group.pk)
        .prefetch_related("communes")
        .order_by("-held_on", "-pk")
    )
    context = {
        "group": group,
        "inspections": inspections,
        "manages": manages(request.user, group),
    }
    return render(request, "oversight/group_detail.html", context)
