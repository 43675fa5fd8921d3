"""The process-level caches the intake and actions read through stay correct when an
administrator changes what they keep, in whichever process the change is saved.

Each change is written straight to the table (as another web process's save lands), never
through a function of this process that could clear a cache: what is kept is keyed by what was
read, so the next read sees the change.
"""

import datetime as dt

import pytest

from haicap.calendar.models import CalendarChange, OfficeHours
from haicap.calendar.selectors import calendar_for
from haicap.catalog.compiled import compiled
from haicap.catalog.models import ProcessTemplate
from haicap.units.models import AdministrativeUnit

pytestmark = pytest.mark.django_db

A_MONDAY = dt.date(2026, 12, 14)


def test_a_day_off_declared_elsewhere_is_seen_by_the_next_read():
    unit = AdministrativeUnit.objects.get(code="17662")
    assert calendar_for(unit).is_working_day(A_MONDAY)
    CalendarChange.objects.create(date=A_MONDAY, kind=CalendarChange.Kind.DAY_OFF, reason="x")
    assert not calendar_for(unit).is_working_day(A_MONDAY)
    CalendarChange.objects.filter(date=A_MONDAY).update(kind=CalendarChange.Kind.REMOVED)
    assert calendar_for(unit).is_working_day(A_MONDAY)
    CalendarChange.objects.filter(date=A_MONDAY).delete()
    assert calendar_for(unit).is_working_day(A_MONDAY)


def test_a_units_office_hours_changed_elsewhere_are_seen_by_the_next_read():
    unit = AdministrativeUnit.objects.get(code="17662")
    other = AdministrativeUnit.objects.get(code="17677")
    standard = calendar_for(unit).sessions
    OfficeHours.objects.create(unit=unit, sessions=[["07:00", "11:00"], ["13:00", "17:00"]])
    assert calendar_for(unit).sessions[0].start == dt.time(7, 0)
    assert calendar_for(other).sessions == standard  # another unit keeps its own
    later = [["08:00", "12:00"], ["13:00", "17:00"]]
    OfficeHours.objects.filter(unit=unit).update(sessions=later)  # an UPDATE, no save() hook
    assert calendar_for(unit).sessions[0].start == dt.time(8, 0)
    OfficeHours.objects.filter(unit=unit).delete()
    assert calendar_for(unit).sessions == standard


def test_a_template_row_that_changes_under_the_same_id_is_compiled_again():
    row = ProcessTemplate.objects.order_by("pk").first()
    steps = {step.code for step in compiled(row).steps}
    assert compiled(row) is compiled(row)  # kept: compiled once
    steps_of_row = row.definition["steps"]
    definition = {
        **row.definition,
        "steps": [{**steps_of_row[0], "name": "Đã đổi"}, *steps_of_row[1:]],
    }
    ProcessTemplate.objects.filter(pk=row.pk).update(definition=definition)
    again = ProcessTemplate.objects.get(pk=row.pk)
    assert compiled(again) is not compiled(row)
    assert {step.code for step in compiled(again).steps} == steps
    first = definition["steps"][0]["code"]
    assert compiled(again).step(first).name == "Đã đổi"
