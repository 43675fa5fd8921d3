"""The capital plans as a Fiscal Data Package (pure: no Django).

A Fiscal Data Package is a Tabular Data Package (``datapackage.json`` beside CSV files, each
described by a Table Schema) whose descriptor adds a ``model``: the measures (amounts, with
their currency) and the dimensions that classify them. The columns also carry the budget
taxonomy's ``columnType`` hints (``value``, ``date:fiscal-year``,
``administrative-classification:generic:level1:code``…), so a reader that knows the spec
understands the columns without knowing haicap.

Five CSV files (their rows and Table Schemas are in ``fiscal_tables``), UTF-8 with a header
row, comma-separated, days as ISO dates, amounts in whole đồng written as integers (never a
float, never a thousands separator):

- ``plans.csv``: the plans (code, kind, years);
- ``projects.csv``: the projects and their classifications;
- ``plan.csv``: each non-zero balance of a plan (project, source, budget level);
- ``changes.csv``: every ledger entry behind those balances;
- ``disbursement.csv``: what each project disbursed in each month.

The rows are written as they come (any iterable), so a caller can stream them from the
database into the zip without holding them.
"""

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from haicap.budget.fiscal_tables import (
    BUDGET_LEVEL,
    Codes,
    Rows,
    Table,
    tables,
)

PROFILE = "fiscal-data-package"
DESCRIPTOR = "datapackage.json"
CURRENCY = "VND"
COUNTRY = "VN"
# The budget taxonomy the columnType hints come from (haicap adds ``BUDGET_LEVEL``).
TAXONOMY = "https://frictionlessdata.io/taxonomies/fiscal/budgets.json"


# --- what the descriptor says ------------------------------------------------------------------
@dataclass(frozen=True)
class License:
    name: str  # an Open Definition identifier
    path: str
    title: str


OPEN_LICENSE = License(
    "CC-BY-4.0",
    "https://creativecommons.org/licenses/by/4.0/",
    "Creative Commons Attribution 4.0",
)


@dataclass(frozen=True)
class Meta:
    name: str  # lower case, digits, "-", "_", "." (the spec's pattern)
    title: str
    description: str
    publisher: str  # who publishes it: the source of the data
    created: dt.datetime
    years: tuple[int, int] | None  # the first and last fiscal year of the plans included
    codes: Codes
    note: str = ""  # said first in the description (illustrative data says so)
    license: License = OPEN_LICENSE
    keywords: tuple[str, ...] = ("public investment", "capital plan", "Vietnam")


def _measure(resource: str, phase: str) -> dict[str, str]:
    return {
        "source": "amount",
        "resource": resource,
        "currency": CURRENCY,
        "direction": "expenditure",
        "phase": phase,
    }


def _attribute(resource: str, source: str, **more: str) -> dict[str, str]:
    return {"source": source, "resource": resource, **more}


MODEL = {
    "measures": {
        "plan_amount": _measure("plan", "approved"),
        "change_amount": _measure("changes", "adjusted"),
        "disbursed_amount": _measure("disbursement", "executed"),
    },
    "dimensions": {
        "plan": {
            "dimensionType": "datetime",
            "primaryKey": ["plan"],
            "attributes": {
                "plan": _attribute("plan", "plan"),
                "first_year": _attribute("plan", "first_year"),
                "last_year": _attribute("plan", "last_year"),
            },
        },
        "project": {
            "dimensionType": "activity",
            "primaryKey": ["project"],
            "attributes": {
                "project": _attribute("projects", "code"),
                "project_name": _attribute("projects", "name", labelfor="project"),
            },
        },
        "field": {
            "dimensionType": "classification",
            "classificationType": "functional",
            "primaryKey": ["field"],
            "attributes": {
                "field": _attribute("projects", "field_code"),
                "field_label": _attribute("projects", "field_label", labelfor="field"),
            },
        },
        "source": {
            "dimensionType": "classification",
            "primaryKey": ["source"],
            "attributes": {
                "source": _attribute("plan", "source"),
                "source_label": _attribute("plan", "source_label", labelfor="source"),
            },
        },
        "level": {
            "dimensionType": "classification",
            "classificationType": "administrative",
            "primaryKey": ["level"],
            "attributes": {
                "level": _attribute("plan", "level"),
                "level_label": _attribute("plan", "level_label", labelfor="level"),
            },
        },
        "investor": {
            "dimensionType": "classification",
            "classificationType": "administrative",
            "primaryKey": ["investor_level", "investor_unit", "investor"],
            "attributes": {
                "investor_level": _attribute("projects", "investor_level"),
                "investor_level_label": _attribute(
                    "projects", "investor_level_label", labelfor="investor_level"
                ),
                "investor_unit": _attribute(
                    "projects", "investor_unit_code", parent="investor_level"
                ),
                "investor_unit_name": _attribute(
                    "projects", "investor_unit_name", labelfor="investor_unit"
                ),
                "investor": _attribute("projects", "investor_code", parent="investor_unit"),
                "investor_name": _attribute("projects", "investor_name", labelfor="investor"),
            },
        },
        "location": {
            "dimensionType": "location",
            "primaryKey": ["location"],
            "attributes": {
                "location": _attribute("projects", "location_code"),
                "location_name": _attribute("projects", "location_name", labelfor="location"),
            },
        },
    },
}

# The types haicap adds to the taxonomy (the spec's explicit typing).
COLUMN_TYPES = [
    {"name": f"{BUDGET_LEVEL}:code", "dataType": "string", "unique": True},
    {"name": f"{BUDGET_LEVEL}:label", "dataType": "string", "labelOf": f"{BUDGET_LEVEL}:code"},
]


def descriptor(meta: Meta) -> dict[str, Any]:
    """The ``datapackage.json`` of a package holding ``meta``'s plans."""
    described: dict[str, Any] = {
        "profile": PROFILE,
        "name": meta.name,
        "title": meta.title,
        "description": f"{meta.note}\n\n{meta.description}" if meta.note else meta.description,
        "created": meta.created.isoformat(timespec="seconds"),
        "licenses": [
            {"name": meta.license.name, "path": meta.license.path, "title": meta.license.title}
        ],
        "sources": [{"title": meta.publisher}],
        "keywords": list(meta.keywords),
        "countryCode": COUNTRY,
        "currency": CURRENCY,
        "granularity": "aggregated",
    }
    if meta.years is not None:
        first, last = meta.years
        described["fiscalPeriod"] = {"start": f"{first:04d}-01-01", "end": f"{last:04d}-12-31"}
    described["columnTypes"] = [TAXONOMY, COLUMN_TYPES]
    described["model"] = MODEL
    described["resources"] = [table.resource() for table in tables(meta.codes)]
    return described


def descriptor_json(described: dict[str, Any]) -> bytes:
    """The descriptor as the file holds it: UTF-8, Vietnamese letters as they are."""
    return (json.dumps(described, ensure_ascii=False, indent=2) + "\n").encode()


# --- writing -----------------------------------------------------------------------------------


def cell(value: object) -> str:
    """A value as its CSV cell: nothing for None, ISO for a day, digits for an integer."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):  # a bool is an int: never meant here
        raise TypeError("no column holds a yes/no")
    if isinstance(value, int | str):
        return str(value)
    raise TypeError(f"no column holds a {type(value).__name__}")


def write_table(target: IO[bytes], table: Table, rows: Iterable[Any]) -> None:
    """``rows`` (of the table's row class) as CSV into ``target``, header first."""
    with io.TextIOWrapper(target, encoding="utf-8", newline="") as text:
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(table.header())
        for row in rows:
            if not isinstance(row, table.row):
                raise TypeError(f"{table.name} holds {table.row.__name__} rows")
            writer.writerow([cell(value) for value in table.values(row)])


# rw-r--r--: a member named by its path alone is unpacked 0600, unreadable to anyone else
# on a shared server the open data is published from.
MEMBER_MODE = 0o644


def member(path: str, created: dt.datetime) -> zipfile.ZipInfo:
    """A zip member readable by all once unpacked, dated when the package was made."""
    info = zipfile.ZipInfo(path, date_time=created.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = MEMBER_MODE << 16
    return info


def write_zip(target: IO[bytes], meta: Meta, rows: Rows) -> None:
    """The package, zipped, into ``target`` (which may not be seekable)."""
    described = descriptor(meta)
    by_table = (rows.plans, rows.projects, rows.balances, rows.changes, rows.disbursement)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member(DESCRIPTOR, meta.created), descriptor_json(described))
        for table, table_rows in zip(tables(meta.codes), by_table, strict=True):
            with archive.open(member(table.path, meta.created), "w") as entry:
                write_table(entry, table, table_rows)
