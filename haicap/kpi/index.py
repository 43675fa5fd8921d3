"""The Decision 766 index on the dashboard: kpi's own inputs, and the index of a page's units.

kpi registers the two inputs its read model gives (TDGQ's on-time rate, CLGQ's online-intake
rate, with the same figures as ``Totals.points``); payments, exchange and later apps register
theirs (``core.service_index``). ``scores`` calls every registered input once for all the units
of a page, so the index costs one read per input however many communes are shown.

The inputs count for the units they are given: the caller passes the units the reader may see
(``AdministrativeUnit.objects.restrict``), or ``None`` for the province, whose totals are public
(``kpi.views.public_figures`` publishes them).
"""

import datetime as dt
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext_lazy as _

from haicap.calendar.workdays import VIETNAM
from haicap.core import clock, periods
from haicap.core.service_index import IndexInput, Score, index_inputs, score_units
from haicap.kpi.indicators import Totals
from haicap.kpi.selectors import indicators

Figures = dict[int | None, tuple[int, int]]


def so_far(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date] | None:
    """The days of the period up to today; ``None`` for a period that has not begun."""
    days = periods.so_far(periods.Period(first, last), clock.now().astimezone(VIETNAM).date())
    return None if days is None else (days.start, days.end)


def _totals(units: tuple[int, ...] | None, first: dt.date, last: dt.date) -> dict:
    days = so_far(first, last)
    if days is None:
        return {}
    if units is None:
        return indicators(None, *days)
    wanted = set(units)
    return {u: t for u, t in indicators(None, *days, "unit").items() if u in wanted}


def _on_time(units: tuple[int, ...] | None, first: dt.date, last: dt.date) -> Figures:
    found: dict = _totals(units, first, last)
    return {u: (t.early + t.on_time, t.resolved) for u, t in found.items() if t.resolved}


def _online(units: tuple[int, ...] | None, first: dt.date, last: dt.date) -> Figures:
    found: dict[int | None, Totals] = _totals(units, first, last)
    return {u: (t.received_online, t.received) for u, t in found.items() if t.received}


ON_TIME = IndexInput(
    key="kpi.on_time",
    group="TDGQ",
    label=_("On-time rate"),
    formula=_("(resolved early + resolved on time) / resolved in the period"),
    source=_(
        "Decision 766/QĐ-TTg, processing-progress group; the classes early, on time and late "
        "as in the provincial reports (haicap's convention 6)"
    ),
    compute=_on_time,
)
ONLINE_INTAKE = IndexInput(
    key="kpi.online_intake",
    group="CLGQ",
    label=_("Online intake rate"),
    formula=_("dossiers received online / dossiers received in the period"),
    source=_("Decision 766/QĐ-TTg, online-services group: online receipts / total receipts"),
    compute=_online,
)
INPUTS = (ON_TIME, ONLINE_INTAKE)

# What each group measures in the published indicators (domain.md section 3), by the key an
# input that computes it registers under: the dashboard lists those no app computes yet.
INDICATORS = {
    "CKMB": (
        ("catalog.published_on_portal", _("procedures published on time and correctly")),
        ("exchange.status_synced", _("dossiers status-synced to the national portal")),
    ),
    "TDGQ": (
        ("kpi.on_time", _("on-time rate")),
        ("kpi.overdue_share", _("share of dossiers overdue")),
    ),
    "CLGQ": (
        ("catalog.offered_online", _("procedures offered fully or partly online")),
        ("kpi.online_intake", _("online intake rate")),
    ),
    "TTTT": (
        ("catalog.payable_online", _("procedures whose fees can be paid online")),
        ("payments.paid_online", _("online payment rate")),
    ),
    "MDHL": (
        ("feedback.ratings", _("citizens' ratings")),
        ("feedback.petitions_handled", _("feedback and petitions handled")),
    ),
    "MDSH": (
        ("dossiers.digitised_at_receipt", _("dossiers digitised at receipt")),
        ("dossiers.electronic_results", _("results issued electronically signed")),
        ("dossiers.digitised_reused", _("digitised papers reused")),
    ),
}


def not_computed(group: str, inputs: Iterable[IndexInput]) -> list[str]:
    """The group's published indicators that no registered input computes yet."""
    have = {i.key for i in inputs}
    return [str(label) for key, label in INDICATORS.get(group, ()) if key not in have]


def scores(
    units: tuple[int, ...] | None, first: dt.date, last: dt.date
) -> tuple[dict[int | None, Score], tuple[IndexInput, ...]]:
    """Each unit's index (or the province's, keyed ``None``) over the days, and the inputs it
    was computed from: every registered input called once for all the units."""
    inputs = index_inputs.all()
    figures: dict[str, Mapping[int | None, tuple[int, int]]] = {
        i.key: i.compute(units, first, last) for i in inputs
    }
    return score_units(figures, inputs, units if units is not None else (None,)), inputs
