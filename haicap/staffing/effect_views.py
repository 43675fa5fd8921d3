"""The secondments in effect, and what staffing warns about: two desk pages, each exported to
Excel. What a user lists is what the selectors let them see (``Secondment``'s and
``Officer``'s rules: Home Affairs the province, a commune what concerns it)."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from haicap.accounts.models import RoleChoices
from haicap.core.exports import titled_xlsx_response, xlsx_response
from haicap.staffing import selectors
from haicap.staffing.models import Secondment
from haicap.staffing.rotation import DESK_POSTING_MAX_MONTHS, DESK_POSTING_MIN_MONTHS
from haicap.staffing.standings import today
from haicap.staffing.warnings import no_account_words, warning_days

ROLE_NAMES = dict(RoleChoices.choices)


def _role_rows(secondment: Secondment) -> list[dict]:
    """The roles granted for ``secondment``, each with its first and last day."""
    return [
        {
            "role": ROLE_NAMES.get(grant.role, grant.role),
            "agency": grant.agency_id,
            "granted_on": grant.granted_on,
            "revoked_on": grant.revoked_on,
            "already_held": grant.already_held,
        }
        for grant in secondment.grants.all()
    ]


def _rows(secondments: list[Secondment]) -> list[dict]:
    return [{"secondment": s, "grants": _role_rows(s)} for s in secondments]


@login_required
def secondments_in_effect(request: HttpRequest) -> HttpResponse:
    on = today()
    around = selectors.secondments_around(request.user, on, warning_days())
    sections = [
        ("running", _("In effect"), around.running),
        ("starting", _("Starting within %(days)s days") % {"days": around.days}, around.starting),
        ("ended", _("Ended in the last %(days)s days") % {"days": around.days}, around.ended),
    ]
    if request.GET.get("export") == "xlsx":
        return _export(sections, on)
    context = {
        "on": on,
        "sections": [(key, title, _rows(rows)) for key, title, rows in sections],
        "query_string": "",
    }
    return render(request, "staffing/in_effect.html", context)


def _grants_text(secondment: Secondment) -> tuple[str, str]:
    """The roles granted and when each was taken back, for a spreadsheet cell each."""
    grants = _role_rows(secondment)
    granted = "; ".join(f"{g['role']} {g['granted_on']:%d/%m/%Y}" for g in grants)
    taken_back = "; ".join(f"{g['revoked_on']:%d/%m/%Y}" for g in grants if g["revoked_on"])
    return granted, taken_back


def _export(sections: list[tuple[str, str, list[Secondment]]], on: dt.date) -> HttpResponse:
    rows = []
    for _key, title, secondments in sections:
        for s in secondments:
            granted, taken_back = _grants_text(s)
            rows.append(
                [
                    str(title),
                    s.officer.full_name,
                    s.from_agency.name,
                    s.to_agency.name,
                    s.field.name,
                    s.start_date,
                    s.end_date,
                    s.decision_number,
                    granted,
                    taken_back,
                ]
            )
    return titled_xlsx_response(
        "biet-phai.xlsx",
        _("Secondments in effect"),
        _("Secondments in effect, starting and ended around %(day)s")
        % {"day": on.strftime("%d/%m/%Y")},
        [
            _("Status"),
            _("Officer"),
            _("Seconded from"),
            _("Seconded to"),
            _("Field"),
            _("Start date"),
            _("End date"),
            _("Decision number"),
            _("Role granted at the host"),
            _("Role taken back on"),
        ],
        rows,
    )


@login_required
def staff_warnings(request: HttpRequest) -> HttpResponse:
    on = today()
    found = selectors.staff_warnings(request.user, on)
    if request.GET.get("export") == "xlsx":
        return _export_warnings(found)
    context = {
        "on": on,
        "found": found,
        "ending": [(s, (s.end_date - on).days) for s in found.ending],
        "without_account": [(s, no_account_words(s)) for s in found.without_account],
        "min_months": DESK_POSTING_MIN_MONTHS,
        "max_months": DESK_POSTING_MAX_MONTHS,
        "query_string": "",
    }
    return render(request, "staffing/warnings.html", context)


def _export_warnings(found: selectors.StaffWarnings) -> HttpResponse:
    ending = [
        [
            str(_("Secondment ending soon")),
            s.officer.full_name,
            s.officer.agency.name,
            s.to_agency.name,
            s.end_date,
            (s.end_date - found.on).days,
        ]
        for s in found.ending
    ]
    unaccounted = [
        [
            str(_("Seconded officer without a haicap account")),
            s.officer.full_name,
            s.officer.agency.name,
            s.to_agency.name,
            s.start_date,
            (s.start_date - found.on).days,
        ]
        for s in found.without_account
    ]
    rotations = [
        [
            str(_("Past the rotation limit") if r.past else _("Due for rotation")),
            r.officer.full_name,
            r.officer.agency.name,
            "",
            r.limit,
            (r.limit - found.on).days,
        ]
        for r in found.rotations
    ]
    return xlsx_response(
        "canh-bao-nhan-su.xlsx",
        _("Staffing warnings"),
        [
            _("Warning"),
            _("Officer"),
            _("Agency"),
            _("Seconded to"),
            _("Date"),
            _("Days left"),
        ],
        [*ending, *unaccounted, *rotations],
    )
