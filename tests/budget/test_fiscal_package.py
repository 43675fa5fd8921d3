"""The Fiscal Data Package writer, without a database: the zip holds a descriptor and five CSV
tables that frictionless finds valid against their own schemas (types, constraints, primary and
foreign keys), the FDP ``model`` names real columns, and any rows come back from the CSV as they
went in (amounts to the đồng, Vietnamese text letter for letter)."""

import copy
import csv
import datetime as dt
import io
import json
import typing
import zipfile
from dataclasses import fields, replace
from pathlib import Path

import frictionless
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haicap.budget import fiscal_package as fp
from haicap.budget import fiscal_tables as ft

CODES = ft.Codes(
    fields=(("transport", "Giao thông"), ("education", "Giáo dục và đào tạo")),
    sources=(("district", "Ngân sách huyện"), ("central", "Ngân sách trung ương hỗ trợ")),
    levels=(("province", "Tỉnh"), ("district", "Huyện (đã kết thúc)"), ("commune", "Xã")),
    kinds=(
        ("allocation", "Giao kế hoạch"),
        ("transfer", "Điều chuyển"),
        ("reversal", "Bút toán đảo"),
    ),
    plan_kinds=(("medium_term", "Trung hạn"), ("annual", "Hằng năm")),
)
CREATED = dt.datetime(2025, 9, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
META = fp.Meta(
    name="haicap-capital-plans-nghe-an",
    title="Kế hoạch vốn đầu tư công",
    description="Các kế hoạch vốn và thay đổi.",
    publisher="Sổ cái kế hoạch vốn, tỉnh Nghệ An",
    created=CREATED,
    years=(2025, 2025),
    codes=CODES,
)
ROAD = ft.ProjectRow(
    code="DL-GT-01",
    name='Đường "liên xã" Đô Lương, Bạch Ngọc\ngiai đoạn 2',  # quotes, comma, new line
    field_code="transport",
    field_label="Giao thông",
    location_code="17662",
    location_name="xã Đô Lương",
    investor_level="commune",
    investor_level_label="Xã",
    investor_unit_code="17662",
    investor_unit_name="xã Đô Lương",
    investor_code="17662.01.H40",
    investor_name="Ủy ban nhân dân xã Đô Lương",
    former_investor="Ủy ban nhân dân huyện Đô Lương",
    former_district_code="430",
    former_district_name="huyện Đô Lương",
    total_investment=20_000_000_000,
)
ORPHAN = replace(
    ROAD,
    code="DL-VH-04",
    name="Nhà văn hóa trung tâm",
    location_code=None,
    location_name=None,
    investor_level=None,
    investor_level_label=None,
    investor_unit_code=None,
    investor_unit_name=None,
    investor_code=None,
    investor_name=None,
)
PLAN = ft.PlanRow("2025", "Kế hoạch năm 2025", "annual", "Hằng năm", 2025, 2025)


def allocation(pk: int, project: str, amount: int, **more) -> ft.ChangeRow:
    values = {
        "id": pk,
        "plan": "2025",
        "project": project,
        "source": "district",
        "level": "district",
        "amount": amount,
        "kind": "allocation",
        "kind_label": "Giao kế hoạch",
        "decision_number": "15/QĐ-UBND",
        "decision_date": dt.date(2025, 1, 10),
        "reason": "Giao kế hoạch vốn năm 2025",
        "batch": None,
        "reverses": None,
    }
    return ft.ChangeRow(**(values | more))


def rows(**changes) -> ft.Rows:
    made = {
        "plans": [PLAN],
        "projects": [ROAD, ORPHAN],
        "balances": [
            ft.BalanceRow(
                "2025", 2025, 2025, "DL-GT-01", "district", "NS huyện", "commune", "Xã", 7_999
            )
        ],
        "changes": [
            allocation(1, "DL-GT-01", 8_000),
            allocation(2, "DL-VH-04", 1_000),
            allocation(
                3,
                "DL-GT-01",
                -8_000,
                kind="transfer",
                kind_label="Điều chuyển",
                batch=7,
                reason="Chuyển vốn huyện về xã",
            ),
            allocation(4, "DL-GT-01", 8_000, level="commune", kind="transfer", batch=7),
            allocation(5, "DL-GT-01", -1, level="commune", kind="reversal", reverses=4),
        ],
        "disbursement": [ft.DisbursementRow("DL-GT-01", 2025, 3, 1_250_000)],
    }
    return ft.Rows(**(made | changes))


def unzipped(tmp_path: Path, package_rows: ft.Rows, meta: fp.Meta = META) -> Path:
    buffer = io.BytesIO()
    fp.write_zip(buffer, meta, package_rows)
    with zipfile.ZipFile(buffer) as archive:
        archive.extractall(tmp_path)
    return tmp_path


def validated(folder: Path, descriptor: dict | None = None) -> frictionless.Report:
    """frictionless's report on the package in ``folder``, against its own schemas.

    The FDP JSON profile itself lives online (frictionless fetches
    specs.frictionlessdata.io for ``profile: fiscal-data-package``), which the tests may not
    reach: the package is checked as the Tabular Data Package it also is, and its model by
    ``MODEL_SCHEMA`` below."""
    described = copy.deepcopy(descriptor or json.loads((folder / fp.DESCRIPTOR).read_text()))
    described["profile"] = "tabular-data-package"
    return frictionless.Package(described, basepath=str(folder)).validate()


def read(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as text:
        return list(csv.DictReader(text))


def test_each_tables_columns_are_its_rows_fields_in_order():
    for table in ft.tables(CODES):
        assert table.header() == [f.name for f in fields(table.row)], table.name


def test_the_package_is_valid_against_its_own_schemas(tmp_path):
    folder = unzipped(tmp_path, rows())
    described = json.loads((folder / fp.DESCRIPTOR).read_text(encoding="utf-8"))
    assert described["profile"] == "fiscal-data-package"
    assert described["countryCode"] == "VN" and described["currency"] == "VND"
    assert described["fiscalPeriod"] == {"start": "2025-01-01", "end": "2025-12-31"}
    assert [r["name"] for r in described["resources"]] == [
        "plans",
        "projects",
        "plan",
        "changes",
        "disbursement",
    ]
    report = validated(folder)
    assert report.valid, report.flatten(["resourceName", "rowNumber", "type", "note"])
    assert [task.stats["rows"] for task in report.tasks] == [1, 2, 1, 5, 1]


def test_every_resource_reads_back_typed_as_its_schema_says(tmp_path):
    folder = unzipped(tmp_path, rows())
    described = json.loads((folder / fp.DESCRIPTOR).read_text(encoding="utf-8"))
    package = frictionless.Package(
        described | {"profile": "tabular-data-package"}, basepath=str(folder)
    )
    projects = package.get_resource("projects").read_rows()
    assert projects[0]["name"] == ROAD.name
    assert projects[0]["total_investment"] == 20_000_000_000
    assert projects[1]["investor_code"] is None  # no investor: an empty cell, not ""
    changes = package.get_resource("changes").read_rows()
    assert changes[2]["amount"] == -8_000 and changes[2]["batch"] == 7
    assert changes[0]["decision_date"] == dt.date(2025, 1, 10)
    assert changes[4]["reverses"] == 4


@pytest.mark.parametrize(
    "broken, error",
    [
        # a balance of a project the package does not hold
        (
            {
                "balances": [
                    ft.BalanceRow("2025", 2025, 2025, "XX", "district", "", "commune", "", 1)
                ]
            },
            "foreign-key",
        ),
        # a reversal of an entry the ledger does not hold
        ({"changes": [allocation(1, "DL-GT-01", -5, kind="reversal", reverses=99)]}, "foreign-key"),
        # the same month twice
        (
            {
                "disbursement": [
                    ft.DisbursementRow("DL-GT-01", 2025, 3, 1),
                    ft.DisbursementRow("DL-GT-01", 2025, 3, 2),
                ]
            },
            "primary-key",
        ),
        # a source the schema does not know
        ({"changes": [allocation(1, "DL-GT-01", 5, source="lottery")]}, "constraint-error"),
        ({"disbursement": [ft.DisbursementRow("DL-GT-01", 2025, 13, 1)]}, "constraint-error"),
    ],
)
def test_frictionless_finds_what_breaks_the_schema(tmp_path, broken, error):
    report = validated(unzipped(tmp_path, rows(**broken)))
    assert not report.valid
    assert error in {e for (e,) in report.flatten(["type"])}


# The FDP 0.3 profile's rules for ``model`` and the package's own keys, restated from the spec
# (https://specs.frictionlessdata.io/fiscal-data-package/) for the tests to check offline.
NAME = {"type": "string", "pattern": r"^\w+"}
MODEL_SCHEMA = {
    "type": "object",
    "required": ["name", "title", "resources", "model", "profile"],
    "properties": {
        "name": {"type": "string", "pattern": r"^([-a-z0-9._/])+$"},
        "countryCode": {"type": "string", "pattern": "^[A-Z]{2}$"},
        "granularity": {"enum": ["aggregated", "transactional"]},
        "fiscalPeriod": {
            "type": "object",
            "required": ["start"],
            "properties": {
                "start": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                "end": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
            },
        },
        "model": {
            "type": "object",
            "required": ["measures", "dimensions"],
            "properties": {
                "measures": {
                    "type": "object",
                    "minProperties": 1,
                    "additionalProperties": {
                        "type": "object",
                        "required": ["source", "currency"],
                        "properties": {
                            "source": {"type": "string"},
                            "resource": {"type": "string"},
                            "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
                            "direction": {"enum": ["expenditure", "revenue"]},
                            "phase": {"enum": ["proposed", "approved", "adjusted", "executed"]},
                        },
                    },
                },
                "dimensions": {
                    "type": "object",
                    "minProperties": 1,
                    "additionalProperties": {
                        "type": "object",
                        "required": ["attributes", "primaryKey"],
                        "properties": {
                            "attributes": {
                                "type": "object",
                                "minProperties": 1,
                                "additionalProperties": {
                                    "type": "object",
                                    "required": ["source"],
                                },
                            },
                            "primaryKey": {"type": "array", "items": NAME, "minItems": 1},
                            "dimensionType": {
                                "enum": [
                                    "datetime",
                                    "entity",
                                    "classification",
                                    "activity",
                                    "fact",
                                    "location",
                                    "other",
                                ]
                            },
                            "classificationType": {
                                "enum": ["functional", "administrative", "economic"]
                            },
                        },
                    },
                },
            },
        },
    },
}


def test_the_model_follows_the_spec_and_names_real_columns():
    described = fp.descriptor(META)
    jsonschema.validate(described, MODEL_SCHEMA)
    columns = {
        r["name"]: {f["name"]: f for f in r["schema"]["fields"]} for r in described["resources"]
    }
    model = described["model"]
    for name, measure in model["measures"].items():
        column = columns[measure["resource"]][measure["source"]]
        assert (column["type"], column["columnType"], measure["currency"]) == (
            "integer",
            "value",
            "VND",
        ), name
    for name, dimension in model["dimensions"].items():
        attributes = dimension["attributes"]
        assert set(dimension["primaryKey"]) <= set(attributes), name
        for attribute in attributes.values():
            assert attribute["source"] in columns[attribute["resource"]], (name, attribute)
            linked = {attribute.get("labelfor"), attribute.get("parent")} - {None}
            assert linked <= set(attributes), (name, attribute)  # a label names its code
    # the classifications the spec asks for are there, with the taxonomy's hints
    assert {"field", "source", "level", "investor"} <= set(model["dimensions"])
    hints = {f.get("columnType") for table in columns.values() for f in table.values()}
    assert {
        "value",
        "date:fiscal-year",
        "activity:generic:project:code",
        "functional-classification:generic:level1:code",
        "fin-source:generic:level1:code",
        "administrative-classification:generic:level1:code",
        "administrative-classification:generic:level2:code",
    } <= hints


def test_the_descriptor_says_the_note_first_and_keeps_vietnamese_letters():
    noted = fp.descriptor(replace(META, note="Số liệu minh họa"))
    assert noted["description"].startswith("Số liệu minh họa\n\n")
    assert "Số liệu minh họa" in fp.descriptor_json(noted).decode("utf-8")  # not \u escapes
    assert "fiscalPeriod" not in fp.descriptor(replace(META, years=None))
    assert fp.descriptor(META)["licenses"][0]["name"] == "CC-BY-4.0"


def test_a_cell_is_never_a_float_or_a_yes_no():
    assert fp.cell(-8_000_000_000) == "-8000000000"
    assert fp.cell(dt.date(2025, 7, 1)) == "2025-07-01"
    assert fp.cell(None) == ""
    for wrong in (1.5, True):
        with pytest.raises(TypeError):
            fp.cell(wrong)
    with pytest.raises(TypeError):
        fp.write_table(io.BytesIO(), ft.tables(CODES)[0], [ROAD])  # a project among plans


# --- any rows round-trip --------------------------------------------------------------------

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵĐƯ"
)
text = st.text(
    alphabet=st.sampled_from(VIETNAMESE + " ,;\"'\n\r\t-=+@#/–") | st.characters(codec="utf-8"),
    min_size=1,
    max_size=40,
)
maybe_text = st.none() | text
amount = st.integers(-(10**16), 10**16)
code = st.text(alphabet="ABCDĐ-0123456789", min_size=1, max_size=12)


@st.composite
def any_rows(draw) -> ft.Rows:
    projects = draw(
        st.lists(
            st.builds(
                ft.ProjectRow,
                code=code,
                name=text,
                field_code=text,
                field_label=text,
                location_code=maybe_text,
                location_name=maybe_text,
                investor_level=maybe_text,
                investor_level_label=maybe_text,
                investor_unit_code=maybe_text,
                investor_unit_name=maybe_text,
                investor_code=maybe_text,
                investor_name=maybe_text,
                former_investor=maybe_text,
                former_district_code=maybe_text,
                former_district_name=maybe_text,
                total_investment=amount,
            ),
            max_size=4,
        )
    )
    changes = draw(
        st.lists(
            st.builds(
                ft.ChangeRow,
                id=st.integers(1, 10**12),
                plan=code,
                project=code,
                source=text,
                level=text,
                amount=amount,
                kind=text,
                kind_label=text,
                decision_number=text,
                decision_date=st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
                reason=text,
                batch=st.none() | st.integers(1, 10**9),
                reverses=st.none() | st.integers(1, 10**9),
            ),
            max_size=4,
        )
    )
    year = st.integers(1, 9999)
    balances = draw(
        st.lists(
            st.builds(
                ft.BalanceRow,
                plan=code,
                first_year=year,
                last_year=year,
                project=code,
                source=text,
                source_label=text,
                level=text,
                level_label=text,
                amount=amount,
            ),
            max_size=3,
        )
    )
    months = draw(
        st.lists(
            st.builds(
                ft.DisbursementRow,
                project=code,
                year=year,
                month=st.integers(1, 12),
                amount=amount,
            ),
            max_size=3,
        )
    )
    plans = draw(
        st.lists(
            st.builds(
                ft.PlanRow,
                code=code,
                name=text,
                kind=text,
                kind_label=text,
                first_year=year,
                last_year=year,
            ),
            max_size=2,
        )
    )
    return ft.Rows(plans, projects, balances, changes, months)


def value_of(cell: str, kind: type) -> object:
    """A cell read back as its column's kind (the empty cell is None)."""
    if cell == "":
        return None
    if kind is int:
        return int(cell)
    if kind is dt.date:
        return dt.date.fromisoformat(cell)
    return cell


@settings(max_examples=60, deadline=None)
@given(any_rows())
def test_any_rows_come_back_from_the_csv_as_they_went_in(package_rows):
    buffer = io.BytesIO()
    fp.write_zip(buffer, META, package_rows)
    tables = ft.tables(CODES)
    by_table = (
        package_rows.plans,
        package_rows.projects,
        package_rows.balances,
        package_rows.changes,
        package_rows.disbursement,
    )
    with zipfile.ZipFile(buffer) as archive:
        for table, written in zip(tables, by_table, strict=True):
            raw = archive.read(table.path)
            assert not raw.startswith(b"\xef\xbb\xbf")  # UTF-8 without a byte-order mark
            lines = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
            assert lines[0] == table.header()
            kinds = {f.name: f.type for f in fields(table.row)}
            for line, row in zip(lines[1:], written, strict=True):
                back = {
                    name: value_of(cell, _kind(kinds[name]))
                    for name, cell in zip(table.header(), line, strict=True)
                }
                assert back == {name: getattr(row, name) for name in table.header()}


def _kind(annotation: object) -> type:
    """A row field's type, optional or not."""
    for kind in (int, dt.date):
        if annotation is kind or kind in typing.get_args(annotation):
            return kind
    return str
