"""The demo's history of monthly reports, so the trend across the reform does not break.

- January to June 2025: the reports of the 32 former communes of the former Đô Lương district,
  on version 1. They have no officers in haicap (their People's Committees were abolished on
  1 July 2025), so their reports are the province's archive of paper reports, keyed in by the
  Department of Home Affairs: written as rows, as the services would have left them
  (submitted, approved), each checked against the template's rules.
- July 2025 to October 2026: the six new communes' reports on version 2, written through the
  services as real use makes them: opened with their cells pre-filled from haicap, saved,
  submitted by the commune's leader, approved by Home Affairs (a few late, a few returned
  once and corrected). Where haicap has no figure for a month (before the demo's dossier
  history, or without it), the commune types its own with a reason.

A commune's typical month is read from what haicap says where it has figures, or seeded; each
former commune takes a seeded share of its successor's (``demo_figures``), so their sum runs on
into the new commune's own figures.
"""

import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from statistics import mean

from django.db.models import F

from haicap.accounts.models import User
from haicap.calendar.selectors import calendar_for
from haicap.calendar.workdays import VIETNAM, WorkCalendar
from haicap.catalog.models import Field
from haicap.core import clock
from haicap.core.periods import Period
from haicap.core.report_sources import report_sources
from haicap.reports import demo_figures, demo_words, schedule, values
from haicap.reports.demo_figures import Level
from haicap.reports.models import Report, ReportEvent, ReportNotice, ReportTemplate, Submission
from haicap.reports.services import filing, review
from haicap.reports.values import Entry
from haicap.units.kinds import Tier
from haicap.units.models import AdministrativeUnit, UnitLineage

BEFORE = (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
SINCE = (dt.date(2025, 7, 1), dt.date(2026, 10, 31))
PROCEDURE_KEYS = (
    "received",
    "received_online",
    "resolved",
    "resolved_on_time",
    "on_time_rate",
    "backlog",
)
LATE_SHARE, RETURNED_SHARE = 0.06, 0.06


def seeded(*parts: object) -> random.Random:
    return random.Random("/".join(str(p) for p in parts))  # noqa: S311  (illustrative figures)


@dataclass
class Commune:
    unit: AdministrativeUnit
    writer: User  # opens and saves the reports
    leader: User  # submits them
    formers: list[AdministrativeUnit]


def formers_of(unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    """The former communes merged into ``unit`` on 1 July 2025, by name (not the former
    district, which the lineage links too)."""
    links = UnitLineage.objects.filter(
        successor=unit, predecessor__tier=Tier.COMMUNE
    ).select_related("predecessor")
    return sorted((link.predecessor for link in links), key=lambda u: (u.name, u.pk))


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), VIETNAM)


def working(calendar: WorkCalendar, day: dt.date) -> dt.date:
    """``day``, or the first working day after it."""
    return day if calendar.is_working_day(day) else calendar.next_working_day(day)


# --- a commune's typical month ------------------------------------------------------------------


def read_value(entries: Mapping[str, Entry], key: str) -> Decimal | None:
    """What haicap read for the cell ``key`` (None: no reading, or no figure)."""
    entry = entries.get(key)
    return None if entry is None or entry.reading is None else entry.reading.value


def level_of(commune: Commune, months: list[Mapping[str, Entry]]) -> Level:
    """The commune's typical month: haicap's figures where it has them (the months with dossiers
    received), or else a default seeded by its size (its former communes)."""
    rnd = seeded("level", commune.unit.code)
    size = len(commune.formers) or 1
    with_dossiers = [m for m in months if (read_value(m, "received") or 0) > 0]
    received = [read_value(m, "received") for m in with_dossiers]
    online = [
        (read_value(m, "received_online") or 0) / r
        for m, r in zip(with_dossiers, received, strict=True)
    ]
    resolved = [m for m in with_dossiers if (read_value(m, "resolved") or 0) > 0]
    on_time = [
        (read_value(m, "resolved_on_time") or 0) / read_value(m, "resolved") for m in resolved
    ]
    officers = [v for m in months if (v := read_value(m, "officers")) is not None]
    gaps = [v for m in months if (v := read_value(m, "staffing_gap")) is not None]
    petitions = [v for m in months if (v := read_value(m, "petitions_received")) is not None]
    return Level(
        officers=round(mean(officers)) if officers else 12 + 3 * size,
        received=round(mean(received)) if received else round(45 * size * rnd.uniform(0.8, 1.2)),
        online_share=float(mean(online)) if online else rnd.uniform(0.35, 0.55),
        on_time_share=float(mean(on_time)) if on_time else rnd.uniform(0.9, 0.98),
        petitions=float(mean(petitions)) if petitions else 0.4 * size,
        staffing_gap=round(mean(gaps)) if gaps else rnd.randint(1, 4),
    )


# --- what the commune types -----------------------------------------------------------------------


def _table(rows: list[tuple[str, int]]) -> list[dict[str, str]]:
    return [{"field": name, "received": str(count)} for name, count in rows]


def by_field_read(unit_id: int, period: Period) -> list[tuple[str, int]]:
    """haicap's dossiers received by field for the commune and month (the fields with any)."""
    source = report_sources.get("kpi.received")
    rows = []
    for code, name in Field.objects.order_by("name").values_list("code", "name"):
        found = source.value(unit_id, {"field": code}, period.start, period.end)
        if found:
            rows.append((name, int(found)))
    return rows


def table_for(
    unit_id: int,
    period: Period,
    entries: Mapping[str, Entry],
    figures: Mapping[str, Decimal | None],
    rnd: random.Random,
) -> list[tuple[str, int]]:
    """The table by field adding up to the dossiers received the report gives: haicap's figures
    by field where it has them (what no field of the catalogue holds, as "other"), else the
    commune's own split."""
    received = int(read_value(entries, "received") or 0)
    if received:
        rows = by_field_read(unit_id, period)
        rest = received - sum(n for _name, n in rows)
        if rest >= 0:
            return rows + ([("Lĩnh vực khác", rest)] if rest else [])
        return demo_figures.by_field(received, rnd)
    return demo_figures.by_field(int(figures["received"]), rnd)


# The cells a commune fills in itself when haicap has no figure for them (beside the
# procedures', which go together: a month without dossiers in haicap has none of them).
OWN_WHEN_MISSING = (
    "officers",
    "staffing_gap",
    "petitions_received",
    "petitions_answered",
    "petitions_on_time",
    "petitions_overdue",
    "satisfaction",
)


def typed(
    entries: Mapping[str, Entry],
    figures: Mapping[str, Decimal | None],
    table: list[tuple[str, int]],
) -> tuple[dict[str, object], dict[str, str]]:
    """The values a commune types over its pre-filled report: its own figures where haicap has
    none, the table by field; and the reason of each that differs from haicap's reading."""
    given: dict[str, object] = {"by_field": _table(table)}
    own = [key for key in OWN_WHEN_MISSING if key in entries and read_value(entries, key) is None]
    if (read_value(entries, "received") or 0) == 0:
        own += PROCEDURE_KEYS
    reasons = {}
    for key in own:
        value = figures.get(key)
        given[key] = values.number_text(value)
        reading = entries[key].reading if key in entries else None
        if reading is not None and value != reading.value:
            reasons[key] = demo_words.NO_FIGURE_REASON
    return given, reasons


def texts(rnd: random.Random, before_reform: bool) -> dict[str, str]:
    """A month's words: an assessment, a result, a difficulty and a proposal."""
    words = demo_words
    if before_reform:
        results, difficulties, proposals = (
            words.RESULTS_BEFORE,
            words.DIFFICULTIES_BEFORE,
            words.PROPOSALS_BEFORE,
        )
    else:
        results, difficulties, proposals = words.RESULTS, words.DIFFICULTIES, words.PROPOSALS
    found = {
        "assessment": rnd.choice(("Thông suốt, hiệu quả", "Cơ bản thông suốt"))
        if rnd.random() < 0.85
        else "Còn vướng mắc, cần tháo gỡ",
        "results": words.pick(results, rnd),
        "difficulties": words.pick(difficulties, rnd),
        "proposals": words.pick(proposals, rnd),
    }
    if not before_reform:
        found["offices"] = rnd.choice(("Đáp ứng yêu cầu", "Cơ bản đáp ứng", "Cơ bản đáp ứng"))
    return found


# --- since the reform: through the services ---------------------------------------------------


def file_since_reform(
    template_code: str, communes: list[Commune], reviewer: User, approver: User
) -> dict[str, Level]:
    """The six communes' approved reports from July 2025 to October 2026; their levels."""
    calendar = calendar_for()
    months = schedule.periods_between(schedule.PeriodKind.MONTH, *SINCE)
    opened: dict[tuple[str, dt.date], tuple[Report, dt.datetime]] = {}
    for period in months:
        day = working(calendar, period.end + dt.timedelta(days=1))
        for n, commune in enumerate(communes):
            moment = at(day, 8, 5 * n)
            with clock.fixed_at(moment):
                report = filing.open_report(
                    commune.writer, template_code, commune.unit.pk, period.start
                )
            opened[(commune.unit.code, period.start)] = (report, moment)
    levels = {
        c.unit.code: level_of(
            c, [filing.entries_of(opened[(c.unit.code, p.start)][0]) for p in months]
        )
        for c in communes
    }
    for period in months:
        for commune in communes:
            report, moment = opened[(commune.unit.code, period.start)]
            _write_and_decide(report, moment, commune, levels, reviewer, approver, calendar)
    # The history's notices were read long ago: they do not wait in anyone's list.
    ReportNotice.objects.filter(report__period_start__lte=SINCE[1], read_at=None).update(
        read_at=F("created_at") + dt.timedelta(hours=2)
    )
    return levels


def _write_and_decide(
    report: Report,
    moment: dt.datetime,
    commune: Commune,
    levels: Mapping[str, Level],
    reviewer: User,
    approver: User,
    calendar: WorkCalendar,
) -> None:
    """The commune writes its opened report, submits it (now and then late), and Home Affairs
    approves it (now and then after returning it once)."""
    period = Period(report.period_start, report.period_end)
    rnd = seeded("month", commune.unit.code, period.start)
    entries = filing.entries_of(report)
    figures = demo_figures.month(levels[commune.unit.code], rnd)
    with clock.fixed_at(moment):
        table = table_for(commune.unit.pk, period, entries, figures, rnd)
    given, reasons = typed(entries, figures, table)
    given.update(texts(rnd, before_reform=False))
    with clock.fixed_at(moment + dt.timedelta(hours=2)):
        filing.save(commune.writer, report, given, reasons)
    late = rnd.random() < LATE_SHARE
    offset = rnd.randint(8, 10) if late else rnd.randint(1, 5)
    submitted = at(
        working(calendar, period.end + dt.timedelta(days=offset)), 15, rnd.randint(0, 50)
    )
    with clock.fixed_at(submitted):
        filing.submit(commune.leader, report)
    decided = at(calendar.next_working_day(submitted.date()), 10)
    if rnd.random() < RETURNED_SHARE:
        with clock.fixed_at(decided):
            review.return_for_correction(
                reviewer, report, demo_words.pick(demo_words.RETURN_NOTES, rnd)
            )
        corrected = at(calendar.next_working_day(decided.date()), 9)
        with clock.fixed_at(corrected):
            filing.save(
                commune.writer, report, {"proposals": demo_words.pick(demo_words.PROPOSALS, rnd)}
            )
            filing.submit(commune.leader, report)
        decided = at(calendar.next_working_day(corrected.date()), 10)
    with clock.fixed_at(decided):
        review.approve(approver, report)


# --- before the reform: the archive of paper reports ---------------------------------------------


@dataclass(frozen=True)
class Archive:
    """Where the former communes' paper reports are keyed in, and by whom."""

    template: ReportTemplate
    keyed_by: User  # Home Affairs' officer who typed them in
    approver: User
    calendar: WorkCalendar


def file_before_reform(
    template: ReportTemplate,
    levels: Mapping[str, Level],
    communes: list[Commune],
    keyed_by: User,
    approver: User,
) -> int:
    """The former communes' approved reports from January to June 2025, keyed in from paper."""
    archive = Archive(template, keyed_by, approver, calendar_for())
    made = 0
    for commune in communes:
        formers = commune.formers
        # seeded by name, not by row id: the same figures in every database
        weights = [seeded("weight", f.name).uniform(0.7, 1.3) for f in formers]
        shared = demo_figures.shares(levels[commune.unit.code], weights)
        for former, level in zip(formers, shared, strict=True):
            signer = demo_words.chairman(f"chairman/{former.name}")
            for period in schedule.periods_between(schedule.PeriodKind.MONTH, *BEFORE):
                _archive(archive, former, level, period, signer)
                made += 1
    return made


def _archive(
    archive: Archive, former: AdministrativeUnit, level: Level, period: Period, signer: str
) -> None:
    template, definition = archive.template, archive.template.parsed
    keyed_by, approver, calendar = archive.keyed_by, archive.approver, archive.calendar
    rnd = seeded("former", former.name, period.start)
    figures = demo_figures.month(level, rnd)
    given: dict[str, Entry] = {
        key: Entry(value=figures[key]) for key in definition.number_keys if key in figures
    }
    given["by_field"] = Entry(
        value=tuple(
            {"field": name, "received": Decimal(n)}
            for name, n in demo_figures.by_field(int(figures["received"]), rnd)
        )
    )
    given.update({key: Entry(value=text) for key, text in texts(rnd, before_reform=True).items()})
    problems = values.issues(definition, given)
    if problems:  # the figures are made to keep the rules: a bug here, not a late report
        raise ValueError(f"the demo's report of {former} for {period.start} breaks {problems}")
    data = values.to_json(definition, given)
    # the last month's report was filed before the former commune ceased, on 1 July
    if period.end == BEFORE[1]:
        submitted = at(calendar.previous_working_day(period.end), 14)
    else:
        submitted = at(working(calendar, period.end + dt.timedelta(days=rnd.randint(2, 5))), 14)
    decided = at(calendar.next_working_day(submitted.date()), 9, 30)
    report = Report.objects.create(
        template_code=template.code,
        template=template,
        unit=former,
        period_start=period.start,
        period_end=period.end,
        state=Report.State.APPROVED,
        draft=data,
        opened_at=submitted,
        saved_at=submitted,
        saved_by=keyed_by,
        first_submitted_at=submitted,
        last_submitted_at=submitted,
        decided_at=decided,
    )
    submission = Submission.objects.create(
        report=report,
        number=1,
        template=template,
        values=data,
        submitted_at=submitted,
        submitted_by=keyed_by,
        signer_name=signer,
        signer_title="CHỦ TỊCH",
    )
    note = (
        f"Nhập từ báo cáo giấy của Ủy ban nhân dân {former.full_name} (đã giải thể ngày 1/7/2025)."
    )
    ReportEvent.objects.bulk_create(
        [
            ReportEvent(
                report=report,
                kind=ReportEvent.Kind.SUBMITTED,
                at=submitted,
                actor=keyed_by,
                submission=submission,
                note=note,
            ),
            ReportEvent(
                report=report,
                kind=ReportEvent.Kind.APPROVED,
                at=decided,
                actor=approver,
                submission=submission,
            ),
        ]
    )
