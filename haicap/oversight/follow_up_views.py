"""Following the directives up: the counts in each status per group, lead agency and commune,
each a link to the list of those directives; both exported to Excel. What a user counts and
lists is what the selectors let them see."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haicap.core.exports import xlsx_response
from haicap.core.task_status import Status
from haicap.oversight import selectors
from haicap.oversight.directive_forms import DirectiveFilterForm
from haicap.oversight.models import STATUS_LABELS
from haicap.units.models import AdministrativeUnit, Agency

PAGE_SIZE = 25
# How the counts are grouped, and the list filter each row's key goes to.
GROUPINGS = {
    selectors.BY_GROUP: (gettext_lazy("By working group"), "group"),
    selectors.BY_LEAD_AGENCY: (gettext_lazy("By lead agency"), "lead_agency"),
    selectors.BY_COMMUNE: (gettext_lazy("By commune"), "commune"),
}
FIRST_COLUMN = {
    selectors.BY_GROUP: gettext_lazy("Working group"),
    selectors.BY_LEAD_AGENCY: gettext_lazy("Lead agency"),
    selectors.BY_COMMUNE: gettext_lazy("Commune or ward"),
}


def list_url(**filters: object) -> str:
    """The directive list filtered to the directives behind a count."""
    query = {k: v for k, v in filters.items() if v is not None}
    return reverse("desk:oversight:directive_list") + ("?" + urlencode(query) if query else "")


@login_required
def follow_up(request: HttpRequest) -> HttpResponse:
    by = request.GET.get("by")
    by = by if by in GROUPINGS else selectors.BY_GROUP
    table = selectors.follow_up_table(request.user, by)
    rows, everything = table.rows, table.all
    parameter = GROUPINGS[by][1]
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            f"theo-doi-nhiem-vu-{by}.xlsx",
            _("Directives followed up"),
            [FIRST_COLUMN[by], *(STATUS_LABELS[s] for s in Status), _("Total")],
            ([r.name, *(r.counts[s] for s in Status), r.total] for r in (*rows, everything)),
        )
    lines = [
        {
            "name": row.name,
            "cells": [
                (row.counts[s], list_url(**{parameter: row.key, "status": s.value})) for s in Status
            ],
            "total": (row.total, list_url(**{parameter: row.key})),
        }
        for row in rows
    ]
    # The "all" row counts each directive once (by commune, one concerning two communes is in
    # both their rows): what the unfiltered list shows.
    totals = [(everything.counts[s], list_url(status=s.value)) for s in Status]
    context = {
        "by": by,
        "groupings": [(key, label) for key, (label, _p) in GROUPINGS.items()],
        "first_column": FIRST_COLUMN[by],
        "statuses": [(s, STATUS_LABELS[s]) for s in Status],
        "table": lines,
        "totals": totals,
        "grand_total": (everything.total, list_url()),
        "query_string": urlencode({"by": by}),
    }
    return render(request, "oversight/follow_up.html", context)


def _filter_form(request: HttpRequest) -> DirectiveFilterForm:
    user = request.user
    return DirectiveFilterForm(
        request.GET or None,
        groups=selectors.visible_groups(user),
        agencies=selectors.in_vietnamese_order(
            Agency.objects.restrict(user).filter(
                pk__in=selectors.visible_directives(user).values("lead_agency")
            ),
            "name",
        ),
        communes=selectors.in_vietnamese_order(
            AdministrativeUnit.objects.restrict(user).filter(tier="commune", valid_to=None),
            "name",
        ),
    )


@login_required
def directive_list(request: HttpRequest) -> HttpResponse:
    """The directives of the conclusions (their sub-tasks are on each directive's page), the
    soonest due first."""
    form = _filter_form(request)
    directives = selectors.visible_directives(
        request.user, top_level=True, **form.filters()
    ).order_by("deadline", "pk")
    if request.GET.get("export") == "xlsx":
        return _export(directives)
    page = Paginator(directives, PAGE_SIZE).get_page(request.GET.get("page"))
    on = selectors.today()
    statuses = [(d, selectors.directive_status(d, on)) for d in page.object_list]
    rows = [(d, status, STATUS_LABELS[status]) for d, status in statuses]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query_string": query.urlencode(),
    }
    return render(request, "oversight/directive_list.html", context)


def _export(directives) -> HttpResponse:
    on = selectors.today()
    return xlsx_response(
        "nhiem-vu.xlsx",
        _("Directives"),
        [
            _("Title"),
            _("Working group"),
            _("Conclusion"),
            _("Lead agency"),
            _("Supporting agencies"),
            _("Deadline"),
            _("Status"),
            _("Expected result"),
            _("Result"),
            _("Why not achieved"),
        ],
        (
            [
                d.title,
                d.inspection.group.name,
                d.inspection.conclusion_number,
                d.lead_agency.name,
                ", ".join(a.name for a in d.supporting_agencies.all()),
                d.deadline,
                str(STATUS_LABELS[selectors.directive_status(d, on)]),
                d.expected_result,
                d.close_result,
                d.close_reason,
            ]
            for d in directives.prefetch_related("supporting_agencies")
        ),
    )
