"""Vietnam's holidays come from a table of the ``holidays`` package's answers, equal to them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from haicap.calendar import holiday_table, workdays

ROOT = Path(__file__).resolve().parents[2]


def test_the_table_is_the_installed_packages_answer_for_every_year_it_holds():
    kept = holiday_table.table()
    assert kept is not None, "the table was made from another version of holidays: run " + (
        "'python -m haicap.calendar.holiday_table'"
    )
    assert set(kept.years) == set(holiday_table.YEARS)
    for year in holiday_table.YEARS:
        assert kept.years[year] == holiday_table.from_package(year), year
    assert kept.last_announced_year == holiday_table.last_announced_year_of_package()


def test_a_year_outside_the_table_is_asked_of_the_package():
    year = holiday_table.YEARS.stop + 3
    from_package = holiday_table.from_package(year)
    days = workdays.vietnam_public_holidays(year)
    assert days.holidays == {day for day, _name in from_package.days}
    assert days.make_up_working_days == set(from_package.worked)


def test_a_table_of_another_package_version_is_not_used(tmp_path, monkeypatch):
    stale = tmp_path / "stale.json"
    data = json.loads(holiday_table.TABLE.read_text(encoding="utf-8"))
    data["version"] = "0.1"
    data["years"]["2026"]["days"] = [["2026-03-03", "not a holiday"]]
    stale.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(holiday_table, "TABLE", stale)
    holiday_table.table.cache_clear()
    try:
        assert holiday_table.table() is None
    finally:
        holiday_table.table.cache_clear()


@pytest.mark.parametrize("year", [2021, 2026, 2030])
def test_a_years_holidays_are_read_without_importing_the_package(year):
    """The package costs a web worker about 19 MB: a year in the table does without it."""
    probe = (
        "import sys\n"
        "from haicap.calendar.workdays import vietnam_public_holidays\n"
        f"days = vietnam_public_holidays({year})\n"
        "assert days.holidays, 'no holidays'\n"
        "print('holidays' in sys.modules)\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
