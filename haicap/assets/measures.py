"""The equipment gaps a directive's target can be bound to (``haicap.core.measures``): "xã Bạch
Hà lacks no scanner by 30 June", "the province lacks at most 10 items of equipment".

A target's field is a catalogue field (``DirectiveTarget.field``), which cannot name a kind of
equipment; and measures are registered when the apps are ready, before the database can be
read. So the kinds a directive can name are fixed here: the equipment the one-stop desk norms
name (a computer, a scanner, a printer, a receipt printer, a queue ticket kiosk), each its own
measure ``assets.gap.<kind code>`` over the asset kind of that code (``KIND_CODES``: the register
must use these codes for these kinds). ``assets.equipment_gap`` adds up every kind with a norm.
Stored keys never change; a kind added later is counted by the total, and gets a measure of its
own only by adding its code here.

Equipment has no field: the measures say they read none (``reads_field``), so a target naming
one is refused; the figure itself ignores it. For the whole province
(no commune) the communes' gaps are added up. The register keeps the present, not past states:
the value is today's gap, whatever the period (before the period begins there is nothing to
measure). There is nothing to measure either where the kind has no norm, or at a unit that is
not a current commune. Read province-wide: the value is the same whoever looks at it.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from haicap.assets.gaps import province_gaps
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.measures import Measure, Unit

# The asset kinds with a measure of their own, by code: what the one-stop desk norms name.
COMPUTER, SCANNER, PRINTER, RECEIPT_PRINTER, QUEUE_KIOSK = (
    "computer",
    "scanner",
    "printer",
    "receipt_printer",
    "queue_kiosk",
)
KIND_CODES = (COMPUTER, SCANNER, PRINTER, RECEIPT_PRINTER, QUEUE_KIOSK)
TOTAL_KEY = "assets.equipment_gap"


def kind_key(code: str) -> str:
    return f"assets.gap.{code}"


def gap_for(unit_id: int | None, kind_code: str | None, start: dt.date) -> Decimal | None:
    """Today's gap of ``kind_code`` (every kind with a norm: None) at a commune, or over the
    province (``unit_id`` None); None when there is nothing to measure."""
    if start > clock.now().astimezone(VIETNAM).date():
        return None
    found = province_gaps(None if unit_id is None else [unit_id])
    if not found.communes:
        return None  # not a current commune
    if kind_code is None:
        if not found.kinds:
            return None
    elif found.kind(kind_code) is None:
        return None  # the province sets no norm for it
    return Decimal(found.total_gap(kind_code=kind_code))


def _gap_of(kind_code: str | None) -> Callable:
    def compute(unit_id, field_code, start, end) -> Decimal | None:
        return gap_for(unit_id, kind_code, start)

    return compute


TOTAL = Measure(
    key=TOTAL_KEY,
    label=_("Items of equipment lacking against the norms (every kind)"),
    unit=Unit.COUNT,
    higher_is_better=False,
    compute=_gap_of(None),
    reads_field=False,
)
LABELS = {
    COMPUTER: _("Computers lacking against the norms"),
    SCANNER: _("Scanners lacking against the norms"),
    PRINTER: _("Printers lacking against the norms"),
    RECEIPT_PRINTER: _("Receipt printers lacking against the norms"),
    QUEUE_KIOSK: _("Queue ticket kiosks lacking against the norms"),
}
BY_KIND = tuple(
    Measure(
        key=kind_key(code),
        label=LABELS[code],
        unit=Unit.COUNT,
        higher_is_better=False,
        compute=_gap_of(code),
        reads_field=False,
    )
    for code in KIND_CODES
)
MEASURES = (TOTAL, *BY_KIND)
