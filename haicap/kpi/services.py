"""Writes to the figures: a dossier's change in the same transaction, a month's close, a rebuild."""

import datetime as dt
from collections import Counter
from dataclasses import replace

from django.db import connection, transaction

from haicap.calendar.workdays import VIETNAM
from haicap.catalog.changes import ProceduresMoved
from haicap.catalog.models import Procedure
from haicap.core import clock
from haicap.dossiers import changes
from haicap.dossiers.models import Dossier
from haicap.kpi import derive, figures
from haicap.kpi.figures import STOCKS, Facts, FieldKey, Key
from haicap.kpi.models import BalanceState, DailyFigures, MonthlyFigures
from haicap.kpi.periods import next_month, previous_month
from haicap.units.changes import AgencyMoved
from haicap.units.models import Agency

COLUMNS = derive.NAMES  # every counter, and the working days
FACT_FIELDS = (
    "competent_agency_id",
    "procedure_id",
    "procedure__online_level",
    "channel",
    "received_at",
    "due_at",
    "finished_at",
    "outcome",
    "timeliness",
    "worked_days",
    "paused_at",
)
FINE_KEY = ("period", "agency_id", "procedure_id", "channel")
FIELD_KEY = ("period", "agency_id", "field_id")
FIELD_COLUMNS = (*FIELD_KEY, "unit_id")  # a row by field keeps its agency's unit too
FIELD_TABLES = {*derive.BY_FIELD.values(), derive.FIELD_BALANCE}
# A month is closed an hour after it ends, past any transaction that began in it.
CLOSING_GRACE = dt.timedelta(hours=1)


def facts_of(dossier: Dossier) -> Facts:
    """What the figures need of a dossier, its moments as days on Vietnam's calendar."""
    return facts_from(changes.state_of(dossier))


def facts_from(state: changes.State) -> Facts:
    """The figures' facts of a dossier's published state (``dossiers.changes``)."""

    def day(moment):
        return moment.astimezone(VIETNAM).date() if moment else None

    return Facts(
        agency_id=state.competent_agency_id,
        procedure_id=state.procedure_id,
        channel=state.channel,
        received_on=day(state.received_at),
        due_on=day(state.due_at),
        finished_on=day(state.finished_at),
        outcome=state.outcome,
        timeliness=state.timeliness,
        worked_days=state.worked_days,
        paused=state.paused_at is not None and state.finished_at is None,
        full_online=state.full_online,
    )  # the field is added by ``record``, which reads it afresh under a lock


def on_dossier_change(change: changes.DossierChange) -> None:
    """The figures follow every receipt and action, in its transaction."""
    record(facts_from(change.before) if change.before else None, facts_from(change.after))


def record(before: Facts | None, after: Facts | None) -> None:
    """Move the figures by what the dossier's change moves; call inside its transaction."""
    before, after = _as_catalogued(before, after)
    changes = figures.difference(before, after)
    if not changes:
        return
    changes.update(figures.by_dekad_and_year(changes))
    field_of = {facts.procedure_id: facts.field_id for facts in (before, after) if facts}
    by_field = figures.by_field(changes, field_of)
    unit_of = _units_of({key.agency_id for key in by_field})
    statements = [
        _upsert_statement(t, rows, COLUMNS) for t, rows in _by_table(changes, by_field, unit_of)
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One round trip: every table's upsert in one statement, run in the listed order.
            _execute_together(cursor, statements)
        else:
            for statement, parameters in statements:
                cursor.execute(statement, parameters)
        _move_balances(cursor, changes, by_field, unit_of)


def _execute_together(cursor, statements: list[tuple[str, list]]) -> None:
    """Several data-modifying statements as one (PostgreSQL's writable common table
    expressions); each touches its own table, so none sees another's rows."""
    if len(statements) == 1:
        cursor.execute(*statements[0])
        return
    parts = [f"w{number} AS ({sql})" for number, (sql, _p) in enumerate(statements)]
    cursor.execute(
        f"WITH {', '.join(parts)} SELECT 1",
        [value for _sql, parameters in statements for value in parameters],
    )


def _as_catalogued(*states: Facts | None) -> list[Facts | None]:
    """The facts with the procedure's field and online level as the catalogue has them now.

    Read under a share lock: a catalogue change being saved (``on_procedures_moved``) is waited
    for, so a dossier's change never lands under the field its procedure just left.
    """
    ids = {facts.procedure_id for facts in states if facts}
    if not ids:
        return list(states)
    rows = _read_shared(Procedure._meta.db_table, "field_id, online_level", ids)
    catalogued = {pk: (field_id, level) for pk, field_id, level in rows}
    return [
        replace(
            facts,
            field_id=catalogued[facts.procedure_id][0],
            full_online=catalogued[facts.procedure_id][1] == Procedure.OnlineLevel.FULL,
        )
        if facts
        else None
        for facts in states
    ]


def _units_of(agency_ids: set[int]) -> dict[int, int]:
    """Each agency's unit, read under a share lock: an agency being moved (``agency_moved``) is
    waited for, so a dossier's change never lands under the unit the agency just left."""
    return dict(_read_shared(Agency._meta.db_table, "unit_id", agency_ids)) if agency_ids else {}


def _read_shared(table: str, columns: str, ids: set[int]) -> list[tuple]:
    """The rows of these ids (id first, then ``columns``), share-locked until the transaction
    ends on PostgreSQL (SQLite's writers take turns anyway), in id order so lockers queue."""
    lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, {columns} FROM {table} WHERE id IN ({marks}) ORDER BY id{lock}",  # noqa: S608
            sorted(ids),
        )
        return cursor.fetchall()


def _by_table(
    changes: dict[Key, dict], by_field: dict[FieldKey, dict], unit_of: dict[int, int]
) -> list[tuple[str, list]]:
    """The rows to add, table by table, in one fixed order and each table's rows by key: two
    dossiers' changes lock shared rows in the same order, so they wait, never deadlock."""
    tables: dict[str, list] = {}
    for key, counts in sorted(changes.items()):
        row = (key.period, key.agency_id, key.procedure_id, key.channel, counts)
        tables.setdefault(derive.FINE[key.granularity], []).append(row)
    for key, counts in sorted(by_field.items()):
        row = (key.period, key.agency_id, key.field_id, unit_of[key.agency_id], counts)
        tables.setdefault(derive.BY_FIELD[key.granularity], []).append(row)
    return sorted(tables.items())


def _upsert(cursor, table: str, rows: list, columns: tuple[str, ...]) -> None:
    """Add the rows' counts to the stored ones in one statement, making rows not yet there."""
    cursor.execute(*_upsert_statement(table, rows, columns))


def _upsert_statement(table: str, rows: list, columns: tuple[str, ...]) -> tuple[str, list]:
    """The statement that adds the rows' counts to the stored ones, making rows not yet there.

    A row is its key's values (and a unit, by field), then a dict of counts. Table and column
    names are this module's constants; the values go as parameters.
    """
    key, named = (FIELD_KEY, FIELD_COLUMNS) if table in FIELD_TABLES else (FINE_KEY, FINE_KEY)
    width = len(named) + len(columns)
    values = ", ".join([f"({', '.join(['%s'] * width)})"] * len(rows))
    added = derive.adding(table, columns)
    statement = (
        f"INSERT INTO {table} ({', '.join(named)}, {', '.join(columns)}) "  # noqa: S608
        f"VALUES {values} ON CONFLICT ({', '.join(key)}) DO UPDATE SET {added}"
    )
    parameters = []
    for *key_values, counts in rows:
        parameters += [*key_values, *(counts.get(c, 0) for c in columns)]
    return statement, parameters


def _move_balances(
    cursor, changes: dict[Key, dict], by_field: dict[FieldKey, dict], unit_of: dict[int, int]
) -> None:
    """A change dated in a closed month moves the balance of that month's end and every later
    one (rare: changes are dated today, or later for a due day)."""
    moved = {**figures.stock_changes(changes), **figures.stock_changes(by_field)}
    this_month = figures.month_of(clock.now().astimezone(VIETNAM).date())
    if not any(key.period < this_month for key in moved):
        return
    # The same row the month's close takes: a change and a close never miss each other.
    state = _state(for_update=True)
    if state.balanced_through is None:
        return
    fine, coarse = [], []
    for key, stocks in moved.items():
        month = figures.month_of(key.period)
        while month <= state.balanced_through:
            if isinstance(key, FieldKey):
                coarse.append((month, key.agency_id, key.field_id, unit_of[key.agency_id], stocks))
            else:
                fine.append((month, key.agency_id, key.procedure_id, key.channel, stocks))
            month = next_month(month)
    for table, rows in ((derive.BALANCE, _merged(fine)), (derive.FIELD_BALANCE, _merged(coarse))):
        if rows:
            _upsert(cursor, table, rows, STOCKS)


def _merged(rows: list) -> list:
    """Rows of the same key added together (one statement may not touch a row twice)."""
    summed: dict[tuple, Counter] = {}
    for *key, stocks in rows:
        summed.setdefault(tuple(key), Counter()).update(stocks)
    return [(*key, dict(stocks)) for key, stocks in sorted(summed.items())]


def _state(for_update: bool = False) -> BalanceState:
    BalanceState.objects.get_or_create(pk=1)
    rows = BalanceState.objects.filter(pk=1)
    return (rows.select_for_update() if for_update else rows).get()


def close_months(now: dt.datetime | None = None) -> int:
    """Write the balances of every month that has ended and is not closed yet; the number.

    A month is closed an hour after it ends (``CLOSING_GRACE``): a dossier's change begun before
    midnight and committed after is counted in it, as long as no transaction lasts an hour.
    One month a transaction, so a first close of years of history never holds the lock long.
    """
    local = ((now or clock.now()) - CLOSING_GRACE).astimezone(VIETNAM).date()
    last = previous_month(figures.month_of(local))
    closed = 0
    while True:
        with transaction.atomic():
            state = _state(for_update=True)
            after = state.balanced_through
            if after is not None and after >= last:
                return closed
            months = derive.close_months(after, last, limit=1)
            if not months:  # no figures yet
                return closed
            state.balanced_through = months[-1]
            state.save(update_fields=["balanced_through"])
            closed += 1


def on_procedures_moved(change: ProceduresMoved) -> None:
    """Procedures' online level or field changed: their figures follow the catalogue.

    Published in the catalogue's transaction, after it saved the procedures (their rows stay
    locked until it commits, and ``record`` waits for that).
    """
    moved = change.old_field_by_procedure
    for procedure_id, old_field_id in sorted(moved.items()):
        derive.move_procedure(procedure_id, old_field_id)
    if moved:
        with transaction.atomic():
            _state(for_update=True)  # a month's close does not add up fields meanwhile
            for procedure_id, old_field_id in sorted(moved.items()):
                derive.move_procedure_balances(procedure_id, old_field_id)


def on_agency_moved(change: AgencyMoved) -> None:
    """An agency now in another unit: its figures by field follow it. Published in the
    transaction that moved it (``_units_of`` of a dossier's change waits for that to commit)."""
    agency_id, unit_id = change.agency_id, change.unit_id
    derive.move_agency(agency_id, unit_id)
    # Then, as ``on_procedures_moved`` and a dossier's change do (rows by field, then the state
    # row), the balances with no month's close adding them up meanwhile.
    with transaction.atomic():
        _state(for_update=True)
        derive.move_agency_balances(agency_id, unit_id)


def rebuild(batch_size: int = 5000) -> int:
    """All figures again from the dossiers, agency by agency (an agency's rows are its own).

    The dekads, the years, the fields and the month-end balances (through the month closed
    before) are then added up from the daily and monthly rows. Returns the number of dossiers
    read.
    """
    read = 0
    agencies = Dossier.objects.values_list("competent_agency_id", flat=True).distinct()
    with transaction.atomic():
        state = _state(for_update=True)
        derive.clear()
        for agency_id in sorted(set(agencies)):
            dossiers = (
                Dossier.objects.filter(competent_agency_id=agency_id)
                .select_related("procedure")
                .only(*FACT_FIELDS)
            )
            contributions = []
            for dossier in dossiers.iterator(chunk_size=batch_size):
                contributions.append(figures.contribution(facts_of(dossier)))
                read += 1
            _write(figures.total(contributions))
        derive.derive_all(state.balanced_through)
    return read


def _write(totals: dict[Key, Counter]) -> None:
    models = {"day": DailyFigures, "month": MonthlyFigures}
    rows: dict[str, list] = {"day": [], "month": []}
    for key, counts in totals.items():
        rows[key.granularity].append(
            models[key.granularity](
                period=key.period,
                agency_id=key.agency_id,
                procedure_id=key.procedure_id,
                channel=key.channel,
                **{c: counts.get(c, 0) for c in COLUMNS},
            )
        )
    for granularity, objects in rows.items():
        models[granularity].objects.bulk_create(objects, batch_size=2000)
