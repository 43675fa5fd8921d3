"""The capital plans as open data, read from the database: the package of what the user reads
(Finance the province, a commune its own projects) is valid for frictionless, its plan table adds
up to the ledger's entries, it is read by a fixed number of queries, and the page and the API
offer it."""

import copy
import csv
import io
import json
import zipfile
from collections import defaultdict
from pathlib import Path

import frictionless
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from haicap.accounts import services as account_services
from haicap.budget import fiscal_package, open_data
from haicap.budget.demo_data import NOTE as DEMO_NOTE
from haicap.budget.models import LedgerEntry, Project
from tests.budget import open_data_world, world

pytestmark = pytest.mark.django_db
PAGE = "/desk/von-dau-tu/du-lieu-mo/"
API = "/api/v1/budget"


@pytest.fixture
def made(db):
    return open_data_world.make()


def package(user, codes=()) -> bytes:
    buffer = io.BytesIO()
    open_data.write(user, open_data.chosen_plans(user, list(codes)), buffer)
    return buffer.getvalue()


def unzipped(content: bytes, folder: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        archive.extractall(folder)
    return folder


def table(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as text:
        return list(csv.DictReader(text))


def report_on(folder: Path) -> frictionless.Report:
    """frictionless on the package, against its own schemas (the FDP profile is online: see
    ``test_fiscal_package.validated``)."""
    described = json.loads((folder / fiscal_package.DESCRIPTOR).read_text(encoding="utf-8"))
    assert described["profile"] == "fiscal-data-package"
    checked = copy.deepcopy(described) | {"profile": "tabular-data-package"}
    return frictionless.Package(checked, basepath=str(folder)).validate()


def test_finances_package_is_valid_and_holds_the_province(made, tmp_path):
    folder = unzipped(package(made.who.finance), tmp_path)
    report = report_on(folder)
    assert report.valid, report.flatten(["resourceName", "rowNumber", "type", "note"])
    projects = {row["code"]: row for row in table(folder, "projects")}
    assert set(projects) == {"DL-GT-01", "DL-GD-02", "DL-GT-03", "DL-VH-04"}
    road = projects["DL-GT-01"]
    assert (road["investor_level"], road["investor_unit_code"], road["investor_code"]) == (
        "commune",
        world.DO_LUONG,
        world.DO_LUONG_PPC,
    )
    assert road["name"] == "Đường giao thông liên xã Đô Lương – Bạch Ngọc"
    assert road["field_label"] == "Giao thông"  # labels in Vietnamese, the province's own
    bridge = projects["DL-GT-03"]
    assert (bridge["investor_level"], bridge["investor_level_label"]) == ("province", "Tỉnh")
    assert projects["DL-VH-04"]["investor_code"] == ""  # no investor decided yet
    assert [p["code"] for p in table(folder, "plans")] == ["2021-2025", "2025", "2026"]


def test_the_plan_table_adds_up_to_the_ledger_project_by_project(made, tmp_path):
    folder = unzipped(package(made.who.finance), tmp_path)
    ledger: dict[tuple, int] = defaultdict(int)
    for plan, project, source, level, amount in LedgerEntry.objects.values_list(
        "plan__code", "project__code", "source", "level", "amount"
    ):
        ledger[(plan, project, source, level)] += amount
    expected = {key: total for key, total in ledger.items() if total}
    rows = table(folder, "plan")
    assert {(r["plan"], r["project"], r["source"], r["level"]): int(r["amount"]) for r in rows} == (
        expected
    )
    per_project: dict[str, int] = defaultdict(int)
    for row in rows:
        per_project[row["project"]] += int(row["amount"])
    assert per_project == {
        "DL-GT-01": 10_000 * world.MILLION,
        "DL-GD-02": 5_000 * world.MILLION,
        "DL-GT-03": 12_000 * world.MILLION,
        "DL-VH-04": 1_000 * world.MILLION,
    }
    # the road's capital now sits at the commune level, none left at the district's
    road = {(r["source"], r["level"]) for r in rows if r["project"] == "DL-GT-01"}
    assert road == {("district", "commune"), ("central", "commune")}
    changes = table(folder, "changes")
    assert len(changes) == LedgerEntry.objects.count()
    transfers = [c for c in changes if c["kind"] == "transfer"]
    assert {c["batch"] for c in transfers} == {str(made.batch.pk)}
    assert sum(int(c["amount"]) for c in transfers) == 0  # every minus has its plus


def test_a_commune_exports_only_the_projects_it_invests_in(made, tmp_path):
    folder = unzipped(package(made.who.do_luong), tmp_path)
    assert report_on(folder).valid
    assert [p["code"] for p in table(folder, "projects")] == ["DL-GT-01"]
    for name in ("plan", "changes", "disbursement"):
        assert {row["project"] for row in table(folder, name)} == {"DL-GT-01"}, name
    described = json.loads((folder / fiscal_package.DESCRIPTOR).read_text(encoding="utf-8"))
    assert "Chỉ gồm các dự án" in described["description"]
    # a commune officer who invests in nothing exports an empty, still valid, package
    empty = unzipped(package(made.who.van_hien), tmp_path / "empty")
    assert table(empty, "projects") == [] and report_on(empty).valid


def test_the_plans_chosen_bound_the_plan_table_and_the_months(made, tmp_path):
    open_data_world.disburse(made, {"road": {1: 7}}, year=2026)
    folder = unzipped(package(made.who.finance, ["2026"]), tmp_path)
    assert report_on(folder).valid
    assert [p["code"] for p in table(folder, "plans")] == ["2026"]
    assert table(folder, "plan") == [] and table(folder, "changes") == []
    assert [(d["year"], d["amount"]) for d in table(folder, "disbursement")] == [
        ("2026", str(7 * world.MILLION))
    ]
    with pytest.raises(open_data.InvalidInput, match="9999"):
        open_data.chosen_plans(made.who.finance, ["2025", "9999"])


def test_the_package_is_read_by_the_same_queries_whatever_the_projects(made):
    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            package(made.who.finance)
        return len(queries)

    counted()  # the user's scope is read once, on the first
    few = counted()
    for number in range(12):
        Project.objects.create(
            code=f"TH-{number:02d}",
            name=f"Dự án thêm {number}",
            field="health",
            investor=world.agency(world.BACH_HA_PPC),
            total_investment=world.MILLION,
        )
    assert counted() == few


def test_demo_figures_say_they_are_illustrative(made):
    assert open_data.note_for(made.who.finance) == ""
    Project.objects.create(
        code="DL25-01", name="Dự án demo", field="transport", total_investment=world.MILLION
    )
    described = open_data.descriptor(made.who.finance, [])
    assert described["description"].startswith(DEMO_NOTE)
    page = world.signed_in(made.who.finance, "vi").get(PAGE).content.decode()
    assert "Số liệu là số liệu minh họa của bản demo" in page


# --- the page --------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_page_says_what_the_package_holds_and_offers_it(made, language):
    page = world.signed_in(made.who.finance, language).get(PAGE)
    assert page.status_code == 200
    text = page.content.decode()
    for name in ("plans.csv", "projects.csv", "plan.csv", "changes.csv", "disbursement.csv"):
        assert name in text
    assert 'data-testid="download-zip"' in text and 'data-testid="download-descriptor"' in text
    heading = {"vi": "Gói dữ liệu gồm những gì", "en": "What the package holds"}[language]
    assert heading in text


def test_the_pages_downloads_follow_the_plans_ticked(made, tmp_path):
    client = world.signed_in(made.who.finance, "vi")
    page = client.get(PAGE, {"plan": ["2025"]}).content.decode()
    assert "du-lieu-mo/ke-hoach-von.zip?plan=2025" in page
    answer = client.get(f"{PAGE}ke-hoach-von.zip", {"plan": ["2025"]})
    assert answer["Content-Type"] == "application/zip"
    assert "attachment" in answer["Content-Disposition"]
    folder = unzipped(b"".join(answer.streaming_content), tmp_path)
    assert [p["code"] for p in table(folder, "plans")] == ["2025"]
    alone = client.get(f"{PAGE}datapackage.json", {"plan": ["2025"]})
    assert alone["Content-Type"] == "application/json"
    described = json.loads(alone.content)
    assert described["fiscalPeriod"] == {"start": "2025-01-01", "end": "2025-12-31"}
    assert (
        described["resources"]
        == json.loads((folder / fiscal_package.DESCRIPTOR).read_text(encoding="utf-8"))["resources"]
    )


def test_a_plan_not_offered_is_a_form_error_in_the_readers_language(made):
    for language, words in (("vi", "lựa chọn"), ("en", "Select a valid choice")):
        page = world.signed_in(made.who.finance, language).get(PAGE, {"plan": "9999"})
        assert page.status_code == 200
        text = page.content.decode()
        assert 'role="alert"' in text and words in text


def test_a_commune_is_told_it_exports_its_own_projects_and_a_stranger_nothing(made):
    own = world.signed_in(made.who.do_luong, "en").get(PAGE).content.decode()
    assert 'data-testid="own-projects-only"' in own
    assert 'data-testid="download-zip"' in own
    none = world.signed_in(made.who.van_hien, "en").get(PAGE).content.decode()
    assert 'data-testid="nothing-to-export"' in none
    assert 'data-testid="download-zip"' not in none


# --- the API ---------------------------------------------------------------------------------


def bearer(user) -> Client:
    _token, plaintext = account_services.issue_api_token(user, user, "test")
    return Client(headers={"Authorization": f"Bearer {plaintext}", "Accept-Language": "en"})


def test_the_api_answers_the_zip_and_the_descriptor(made, tmp_path):
    client = bearer(made.who.bach_ha)
    answer = client.get(f"{API}/open-data.zip", {"plan": ["2025"]})
    assert answer.status_code == 200 and answer["Content-Type"] == "application/zip"
    folder = unzipped(b"".join(answer.streaming_content), tmp_path)
    assert report_on(folder).valid
    assert [p["code"] for p in table(folder, "projects")] == ["DL-GD-02"]
    described = client.get(f"{API}/open-data/datapackage.json").json()
    assert described["profile"] == "fiscal-data-package"
    assert described["fiscalPeriod"] == {"start": "2021-01-01", "end": "2026-12-31"}


def test_the_api_refuses_an_unknown_plan_and_a_stranger(made):
    refused = bearer(made.who.finance).get(f"{API}/open-data.zip", {"plan": ["9999"]})
    assert refused.status_code == 422
    assert refused["Content-Type"].startswith("application/problem+json")
    assert "9999" in refused.json()["detail"]
    assert Client().get(f"{API}/open-data/datapackage.json").status_code == 401


def test_the_openapi_document_describes_the_binary_answer():
    schema = Client().get("/api/v1/openapi.json").json()
    zipped = schema["paths"][f"{API}/open-data.zip"]["get"]["responses"]["200"]
    assert zipped["content"]["application/zip"]["schema"] == {"type": "string", "format": "binary"}
    described = schema["paths"][f"{API}/open-data/datapackage.json"]["get"]["responses"]
    assert "application/json" in described["200"]["content"]


def test_the_zips_files_unpack_readable_by_all(made):
    with zipfile.ZipFile(io.BytesIO(package(made.who.finance))) as archive:
        members = archive.infolist()
    assert len(members) == 6  # the descriptor and five tables
    assert {(info.external_attr >> 16) & 0o777 for info in members} == {0o644}
    assert {info.compress_type for info in members} == {zipfile.ZIP_DEFLATED}


@pytest.mark.parametrize(
    ("language", "said"),
    [("vi", "không có mã chính thức"), ("en", "no official code")],
)
def test_the_former_districts_missing_code_is_explained(made, tmp_path, language, said):
    folder = unzipped(package(made.who.finance), tmp_path)
    road = {row["code"]: row for row in table(folder, "projects")}["DL-GT-01"]
    assert road["former_district_code"] == "" and road["former_district_name"]
    described = json.loads((folder / fiscal_package.DESCRIPTOR).read_text(encoding="utf-8"))
    assert "former_district_code" in described["description"]
    assert "former_district_name" in described["description"]
    page = world.signed_in(made.who.finance, language).get(PAGE).content.decode()
    assert said in page
