"""The figures kept with each dossier change equal the figures rebuilt from the dossiers."""

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haicap.catalog.models import Procedure
from haicap.core import clock
from haicap.core.errors import DomainError
from haicap.dossiers import services
from haicap.kpi import figures, models
from haicap.kpi.figures import COUNTERS, WORKED, Facts
from haicap.kpi.services import close_months
from tests.dossiers.test_history import STAFF, steps, take_step
from tests.dossiers.test_scenarios import at, receive

days = st.dates(min_value=dt.date(2025, 7, 1), max_value=dt.date(2027, 12, 31))
facts = st.builds(
    Facts,
    agency_id=st.integers(1, 3),
    procedure_id=st.integers(1, 3),
    channel=st.sampled_from(["desk", "online", "post"]),
    received_on=days,
    due_on=days,
    finished_on=st.none() | days,
    outcome=st.sampled_from(["", "returned", "refused", "withdrawn"]),
    timeliness=st.sampled_from(["", "early", "on_time", "late"]),
    worked_days=st.none() | st.decimals(0, 40, places=3),
    paused=st.booleans(),
)


def plus(figures_: dict, changes: dict) -> dict:
    out = {key: Counter(counts) for key, counts in figures_.items()}
    for key, counts in changes.items():
        out.setdefault(key, Counter()).update(counts)
    return {key: +counts for key, counts in out.items() if +counts}


@given(st.none() | facts, st.none() | facts)
def test_the_difference_takes_the_old_contribution_to_the_new(before, after):
    moved = plus(figures.contribution(before), figures.difference(before, after))
    assert moved == {k: +c for k, c in figures.contribution(after).items() if +c}


@given(facts)
def test_every_count_lands_on_a_day_and_on_its_month(dossier):
    added = figures.contribution(dossier)
    for granularity in ("day", "month"):
        summed = Counter()
        for key, counts in added.items():
            if key.granularity == granularity:
                summed.update(counts)
        assert summed["received"] == 1
    assert all(k.period.day == 1 for k in added if k.granularity == "month")


FIGURE_TABLES = {
    "day": models.DailyFigures,
    "dekad": models.DekadFigures,
    "month": models.MonthlyFigures,
    "year": models.YearlyFigures,
    "field day": models.FieldDailyFigures,
    "field dekad": models.FieldDekadFigures,
    "field month": models.FieldMonthlyFigures,
    "field year": models.FieldYearlyFigures,
}
BALANCE_TABLES = {"balance": models.Balance, "field balance": models.FieldBalance}


def stored() -> dict:
    """Every figure and balance as it stands, zero rows left out (a rebuild writes none)."""
    out = {}
    for name, model in {**FIGURE_TABLES, **BALANCE_TABLES}.items():
        counted = (*COUNTERS, WORKED) if name in FIGURE_TABLES else ("open", "overdue")
        key_columns = [f.attname for f in model._meta.concrete_fields if f.attname not in counted]
        for row in model.objects.all():
            counts = {c: Decimal(getattr(row, c)) for c in counted if getattr(row, c)}
            if counts:
                key = (name, *(getattr(row, c) for c in key_columns if c != "id"))
                out[key] = counts
    return out


@pytest.mark.django_db
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(steps, min_size=1, max_size=3), st.integers(0, 40))
def test_the_figures_kept_along_equal_the_figures_rebuilt(user, walks, start_offset):
    # Examples share the database, each with its own clock: no month is closed yet at its start.
    for model in BALANCE_TABLES.values():
        model.objects.all().delete()
    models.BalanceState.objects.update_or_create(pk=1, defaults={"balanced_through": None})
    moment = at(3, 2, 9) + dt.timedelta(days=start_offset)
    codes = [receive(user, moment, code).dossier.code for code in ("X.HT.007", "X.HT.001")]
    for n, walk in enumerate(walks):
        code = codes[n % len(codes)]
        for who, pick, minutes, closes in walk:
            moment += dt.timedelta(minutes=minutes)
            with clock.fixed_at(moment):
                if closes:  # the worker's nightly close: later changes may move a balance
                    close_months()
                take_step(code, STAFF[who], pick)
    kept = stored()
    call_command("rebuild_kpi", verbosity=0)
    assert stored() == kept
    assert {key[0] for key in kept} >= {
        "day",
        "dekad",
        "month",
        "year",
        "field day",
        "field dekad",
        "field year",
    }


@pytest.mark.usefixtures("committed_demo")
def test_migrating_from_before_the_dekads_fills_dekads_and_units_as_the_dossiers_did(user):
    """Back to before the dekads (0004, the units' column gone with 0006) and forward again: the
    migrations' frozen SQL adds up what each dossier's change wrote."""
    for month, day in ((2, 20), (2, 21), (2, 28), (3, 1), (3, 10), (3, 11), (3, 20), (3, 31)):
        receive(user, at(month, day, 9), "X.HT.001")  # dekads' first and last days
    provincial = Procedure.objects.filter(tier="province", is_active=True).order_by("pk").first()
    receive(user, at(3, 2, 9), provincial.national_code)  # for a department: the province's unit
    kept = stored()
    executor = MigrationExecutor(connection)
    executor.migrate([("kpi", "0004_figures_by_dekad")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM kpi_fielddekadfigures")
        assert cursor.fetchone()[0] == 0
    executor = MigrationExecutor(connection)  # the graph as it stands now
    executor.migrate(executor.loader.graph.leaf_nodes("kpi"))
    assert stored() == kept
    periods = set(models.FieldDekadFigures.objects.values_list("period", flat=True))
    assert {(p.month, p.day) for p in periods} >= {(2, 11), (2, 21), (3, 1), (3, 11), (3, 21)}
    assert len(set(models.FieldDailyFigures.objects.values_list("unit", flat=True))) == 2


@pytest.mark.django_db
def test_a_refused_change_leaves_the_figures_as_they_were(user):
    received = receive(user, at(3, 2, 9), "X.HT.007")
    before = stored()
    with clock.fixed_at(at(3, 2, 10)), pytest.raises(DomainError):
        services.act(user("tiepnhan.doluong"), received.dossier.code, "withdraw", note="")
    assert stored() == before


@pytest.mark.django_db
def test_a_change_dated_in_a_closed_month_moves_its_balance_and_every_later_one(user):
    receive(user, at(3, 2, 9), "X.HT.001")  # due 3 March, never decided: overdue from then on
    with clock.fixed_at(at(5, 4, 9)):
        assert close_months() == 2  # March and April
    receive(  # filed on paper on 28 April, entered on 5 May: moves April's balance
        user,
        at(5, 5, 9),
        "X.HT.001",
        received_at=at(4, 28, 9),
        backdate_reason="Nhập bù hồ sơ giấy",
    )
    balances = {(row.period, row.open, row.overdue) for row in models.FieldBalance.objects.all()}
    assert balances == {(dt.date(2026, 3, 1), 1, 1), (dt.date(2026, 4, 1), 2, 2)}
    kept = stored()
    call_command("rebuild_kpi", verbosity=0)
    assert stored() == kept


@pytest.mark.django_db
def test_a_month_is_closed_once_it_has_ended_and_only_once(user):
    receive(user, at(3, 2, 9), "X.HT.001")
    with clock.fixed_at(at(3, 31, 23, 59)):
        assert close_months() == 0  # February had no figures to close; March has not ended
    with clock.fixed_at(at(4, 1, 0, 30)):
        assert close_months() == 0  # ended, but a transaction begun in March may still commit
    with clock.fixed_at(at(4, 1, 2)):
        assert close_months() == 1
        assert close_months() == 0
    assert models.BalanceState.objects.get().balanced_through == dt.date(2026, 3, 1)


@pytest.mark.django_db
def test_the_figures_follow_the_catalogue_when_a_procedure_changes_field_or_online_level(user):
    import csv
    import io

    from haicap.catalog import procedure_sheet
    from haicap.catalog.demo import PROCEDURES
    from haicap.catalog.models import Field
    from haicap.catalog.services import import_procedures
    from haicap.core.sheets import read_rows

    receive(user, at(3, 2, 9), "X.HT.007", channel="online")
    receive(user, at(3, 3, 9), "X.HT.001")
    with clock.fixed_at(at(4, 2, 9)):
        close_months()
    civil_status = Procedure.objects.get(national_code="X.HT.007").field
    other = Field.objects.exclude(pk=civil_status.pk).order_by("code").first()
    with open(PROCEDURES, encoding="utf-8") as sheet:
        lines = list(csv.reader(sheet))
    header, row = lines[0], next(line for line in lines if line[0] == "X.HT.007")
    row[header.index("field")], row[header.index("online_level")] = other.code, "partial"
    text = io.StringIO()
    csv.writer(text).writerows([header, row])
    columns, rows = read_rows("x.csv", text.getvalue().encode())
    import_procedures(None, procedure_sheet.parse_rows(rows, columns))

    moved = models.FieldMonthlyFigures.objects.get(field=other)
    assert (moved.received, moved.received_online, moved.received_full_online) == (1, 1, 0)
    assert models.FieldBalance.objects.get(field=other).open == 1
    kept = stored()
    call_command("rebuild_kpi", verbosity=0)
    assert stored() == kept


@pytest.mark.django_db
def test_an_online_level_changed_in_the_admin_moves_the_figures_too(user, rf):
    from django.contrib import admin

    receive(user, at(3, 2, 9), "X.HT.007", channel="online")
    procedure = Procedure.objects.get(national_code="X.HT.007")
    procedure.online_level = Procedure.OnlineLevel.NONE
    request = rf.post("/admin/")
    request.user = user("giamsat")
    admin.site._registry[Procedure].save_model(request, procedure, form=None, change=True)
    from haicap.core.models import AuditRecord

    edit = AuditRecord.objects.get(action="procedure.updated", object_id=str(procedure.pk))
    assert edit.after == {"online_level": Procedure.OnlineLevel.NONE}
    month = models.MonthlyFigures.objects.get(procedure=procedure)
    assert (month.received_online, month.received_full_online) == (1, 0)
    kept = stored()
    call_command("rebuild_kpi", verbosity=0)
    assert stored() == kept


@pytest.mark.django_db
def test_an_agency_moved_to_another_unit_in_the_admin_takes_its_figures_with_it(user, rf):
    from django.contrib import admin

    from haicap.kpi.selectors import indicators
    from haicap.units.models import AdministrativeUnit, Agency

    received = receive(user, at(3, 2, 9), "X.HT.007")
    with clock.fixed_at(at(4, 2, 9)):
        close_months()
    agency = Agency.objects.get(pk=received.dossier.competent_agency_id)
    elsewhere = AdministrativeUnit.objects.filter(tier="commune").exclude(pk=agency.unit_id)
    agency.unit = elsewhere.order_by("code").first()
    request = rf.post("/admin/")
    request.user = user("giamsat")
    admin.site._registry[Agency].save_model(request, agency, form=None, change=True)
    # Through the registry's service: audited once, with what changed.
    from haicap.core.models import AuditRecord

    edit = AuditRecord.objects.get(action="agency.updated", object_id=str(agency.pk))
    assert edit.after == {"unit_id": agency.unit_id}

    for model in (models.FieldDailyFigures, models.FieldMonthlyFigures, models.FieldBalance):
        assert set(model.objects.filter(agency=agency).values_list("unit", flat=True)) == {
            agency.unit_id
        }
    with clock.fixed_at(at(4, 2, 9)):
        by_unit = indicators(user("giamsat"), dt.date(2026, 3, 1), dt.date(2026, 3, 31), "unit")
    assert by_unit[agency.unit_id].received == 1
    kept = stored()
    call_command("rebuild_kpi", verbosity=0)
    assert stored() == kept


def touched(before, after) -> list:
    """The rows a change writes, in the order it writes them."""
    from haicap.kpi.services import _by_table

    changes = figures.difference(before, after)
    changes.update(figures.by_dekad_and_year(changes))
    by_field = figures.by_field(changes, {n: n % 2 for n in range(1, 4)})
    units = {n: 10 + n for n in range(1, 4)}
    return [
        (table, row[:-1]) for table, rows in _by_table(changes, by_field, units) for row in rows
    ]


@given(st.none() | facts, facts, st.none() | facts, facts)
def test_two_changes_write_the_rows_they_share_in_the_same_order(a0, a1, b0, b1):
    """So two dossiers' transactions wait for each other, never deadlock."""
    first, second = touched(a0, a1), touched(b0, b1)
    shared = set(first) & set(second)
    assert [row for row in first if row in shared] == [row for row in second if row in shared]


@pytest.mark.django_db
def test_a_month_closes_under_the_agencys_unit_even_if_an_older_balance_names_another(user):
    """A balance row left under a unit the agency has left (a move made outside the admin) does
    not stop the next month from closing: it is added up under the agency's unit now."""
    from haicap.units.models import AdministrativeUnit

    received = receive(user, at(3, 2, 9), "X.HT.001")
    with clock.fixed_at(at(4, 2, 9)):
        close_months()
    agency = received.dossier.competent_agency
    elsewhere = AdministrativeUnit.objects.exclude(pk=agency.unit_id).order_by("pk").first()
    models.FieldBalance.objects.filter(agency=agency).update(unit=elsewhere)
    with clock.fixed_at(at(5, 2, 9)):
        close_months()
    april = models.FieldBalance.objects.get(agency=agency, period=dt.date(2026, 4, 1))
    assert (april.unit_id, april.open) == (agency.unit_id, 1)


@pytest.mark.django_db
def test_signed_working_days_read_in_one_query_add_up_exactly(user):
    """0.1 + 0.2 - 0.3 is nothing: SQLite adds decimals as floats, the read rounds them back."""
    from haicap.catalog.models import Field
    from haicap.kpi import plan, selectors
    from haicap.units.models import Agency

    agency = Agency.objects.order_by("pk").first()
    field = Field.objects.order_by("pk").first()
    for day, worked in ((2, "0.1"), (3, "0.2"), (4, "0.3")):
        models.FieldDailyFigures.objects.create(
            period=dt.date(2026, 3, day),
            agency=agency,
            field=field,
            unit_id=agency.unit_id,
            worked_days=Decimal(worked),
        )
    terms = [
        plan.Term(plan.DAY, dt.date(2026, 3, 2), dt.date(2026, 3, 3), plan.FLOWS, 1),
        plan.Term(plan.DAY, dt.date(2026, 3, 4), dt.date(2026, 3, 4), plan.FLOWS, -1),
    ]
    assert selectors._read(terms, selectors.BY_FIELD, [], "agency") == {}
