"""Vietnam's public holidays as the ``holidays`` package gives them, kept as a table.

The package is the source (``workdays.vietnam_public_holidays`` reads it), but importing it and
building Vietnam's calendar (lunar dates, translations) costs a process about 19 MB, which
every web worker would then hold for a handful of dates a year. The table
(``vietnam_holidays.json``, next to this module) holds the package's answer for the years
haicap works in, for the package version pinned in pyproject.toml; a year outside them, or
another installed version, is asked of the package. A test checks the table against the
package, so an upgrade of the package fails it until the table is made again:

    python -m haicap.calendar.holiday_table
"""

import datetime as dt
import functools
import json
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

TABLE = Path(__file__).with_name("vietnam_holidays.json")
YEARS = range(2015, 2041)  # from the oldest dossiers a province migrates to past a plan's end


@dataclass(frozen=True)
class PackageYear:
    """What the package says of one year: its days off with their Vietnamese names, and the
    weekend days worked in exchange for bridge days."""

    days: tuple[tuple[dt.date, str], ...]
    worked: tuple[dt.date, ...]


@dataclass(frozen=True)
class Table:
    version: str  # of the package the table was made from
    last_announced_year: int
    years: dict[int, PackageYear]


def from_package(year: int) -> PackageYear:
    """Ask the ``holidays`` package (imported here, at the first question)."""
    import holidays

    calendar = holidays.country_holidays("VN", years=year, language="vi")
    return PackageYear(
        days=tuple(sorted(calendar.items())),
        worked=tuple(sorted(d for d in calendar.weekend_workdays if d.year == year)),
    )


def last_announced_year_of_package() -> int:
    """The last year whose schedule the package took from a Government notice."""
    from holidays.countries.vietnam import VietnamStaticHolidays

    return max(VietnamStaticHolidays.special_public_holidays)


def installed_version() -> str:
    return metadata.version("holidays")


@functools.cache
def table() -> Table | None:
    """The table, when it was made from the installed version of the package."""
    data = json.loads(TABLE.read_text(encoding="utf-8"))
    if data["version"] != installed_version():
        return None
    return Table(
        version=data["version"],
        last_announced_year=data["last_announced_year"],
        years={
            int(year): PackageYear(
                days=tuple((dt.date.fromisoformat(day), name) for day, name in entry["days"]),
                worked=tuple(dt.date.fromisoformat(day) for day in entry["worked"]),
            )
            for year, entry in data["years"].items()
        },
    )


def write(path: Path = TABLE) -> None:
    """Make the table from the installed package."""
    years = {}
    for year in YEARS:
        answer = from_package(year)
        years[str(year)] = {
            "days": [[day.isoformat(), name] for day, name in answer.days],
            "worked": [day.isoformat() for day in answer.worked],
        }
    head = {"version": installed_version(), "last_announced_year": last_announced_year_of_package()}
    lines = [
        f"{json.dumps(year)}: {json.dumps(entry, ensure_ascii=False)}"
        for year, entry in years.items()
    ]
    text = (
        json.dumps(head, ensure_ascii=False)[:-1] + ', "years": {\n' + ",\n".join(lines) + "\n}}\n"
    )
    path.write_text(text, encoding="utf-8")  # a year a line: a new version's diff reads by year


if __name__ == "__main__":
    write()
    print(f"{TABLE}: years {YEARS.start}–{YEARS.stop - 1} from holidays {installed_version()}")
