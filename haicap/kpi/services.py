"""Writes to the figures: a dossier's change in the same transaction, or a rebuild."""

from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction

from haicap.calendar.workdays import VIETNAM
from haicap.dossiers.models import Dossier
from haicap.kpi import figures
from haicap.kpi.figures import COUNTERS, WORKED, Facts, Key
from haicap.kpi.models import DailyFigures, MonthlyFigures

TABLES = {"day": DailyFigures, "month": MonthlyFigures}
COLUMNS = (*COUNTERS, WORKED)
FACT_FIELDS = (
    "competent_agency_id",
    "procedure_id",
    "channel",
    "received_at",
    "due_at",
    "finished_at",
    "outcome",
    "timeliness",
    "worked_days",
    "paused_at",
)


def facts_of(dossier: Dossier) -> Facts:
    """What the figures need of a dossier, its moments as days on Vietnam's calendar."""

    def day(moment):
        return moment.astimezone(VIETNAM).date() if moment else None

    return Facts(
        agency_id=dossier.competent_agency_id,
        procedure_id=dossier.procedure_id,
        channel=dossier.channel,
        received_on=day(dossier.received_at),
        due_on=day(dossier.due_at),
        finished_on=day(dossier.finished_at),
        outcome=dossier.outcome,
        timeliness=dossier.timeliness,
        worked_days=dossier.worked_days,
        paused=dossier.paused_at is not None and dossier.finished_at is None,
    )


def record(before: Facts | None, after: Facts | None) -> None:
    """Move the figures by what the dossier's change moves; call inside its transaction."""
    _add(figures.difference(before, after).items())


def _upsert(table: str) -> str:
    """Add a row's counts to the stored ones, creating the row the first time its key is seen.

    Table and column names are this module's constants; the values go as parameters.
    """
    columns = ", ".join(COLUMNS)
    values = ", ".join(["%s"] * (4 + len(COLUMNS)))
    added = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COLUMNS)
    return (
        f"INSERT INTO {table} (period, agency_id, procedure_id, channel, {columns}) "  # noqa: S608
        f"VALUES ({values}) "
        f"ON CONFLICT (period, agency_id, procedure_id, channel) DO UPDATE SET {added}"
    )


UPSERTS = {granularity: _upsert(model._meta.db_table) for granularity, model in TABLES.items()}


def _add(changes: Iterable[tuple[Key, dict]]) -> None:
    with connection.cursor() as cursor:
        for key, counts in changes:
            cursor.execute(
                UPSERTS[key.granularity],
                [
                    key.period,
                    key.agency_id,
                    key.procedure_id,
                    key.channel,
                    *(counts.get(c, 0) for c in COLUMNS),
                ],
            )


def rebuild(batch_size: int = 5000) -> int:
    """All figures again from the dossiers, agency by agency (an agency's rows are its own).

    Returns the number of dossiers read.
    """
    read = 0
    agencies = Dossier.objects.values_list("competent_agency_id", flat=True).distinct()
    with transaction.atomic():
        DailyFigures.objects.all().delete()
        MonthlyFigures.objects.all().delete()
        for agency_id in sorted(set(agencies)):
            dossiers = Dossier.objects.filter(competent_agency_id=agency_id).only(*FACT_FIELDS)
            contributions = []
            for dossier in dossiers.iterator(chunk_size=batch_size):
                contributions.append(figures.contribution(facts_of(dossier)))
                read += 1
            _write(figures.total(contributions))
    return read


def _write(totals: dict[Key, Counter]) -> None:
    rows: dict[str, list] = {"day": [], "month": []}
    for key, counts in totals.items():
        model = TABLES[key.granularity]
        rows[key.granularity].append(
            model(
                period=key.period,
                agency_id=key.agency_id,
                procedure_id=key.procedure_id,
                channel=key.channel,
                **{c: counts.get(c, 0) for c in COLUMNS},
            )
        )
    for granularity, objects in rows.items():
        TABLES[granularity].objects.bulk_create(objects, batch_size=2000)
