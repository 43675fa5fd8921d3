"""The register's pages: what each reader sees (404 out of scope, 403 for what they may not
change), filters, search without diacritics, sorting, pages, the Excel export with its totals,
an asset's history, the forms and their errors in Vietnamese, and importing from the desk."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from haicap.assets.asset_sheet import COLUMNS
from haicap.assets.models import Asset, Movement
from haicap.assets.services import register
from tests.assets import register_world as w
from tests.staffing.page_parts import part, parts

pytestmark = pytest.mark.django_db
ASSETS = "/desk/tai-san/"


@pytest.fixture
def world(db):
    return w.make()


def listed(client, **query) -> list[str]:
    response = client.get(ASSETS, query)
    assert response.status_code == 200
    return [a.identifier for a in response.context["assets"]]


def page_of(asset: Asset) -> str:
    return f"{ASSETS}{asset.pk}/"


# --- who sees what ----------------------------------------------------------------------------


def test_finance_and_supervisors_see_the_province(world):
    everything = ["TS.40.000001", "TS.40.000002", "TS.40.000003", "TS.40.000004"]
    for reader in (world.people.finance, world.people.supervisor, world.people.admin):
        assert listed(w.signed_in(reader)) == everything


def test_a_commune_sees_only_what_its_agencies_hold(world):
    for reader in (world.people.do_luong, world.people.do_luong_admin):
        client = w.signed_in(reader)
        assert listed(client) == ["TS.40.000001", "TS.40.000002"]
        for other in (world.computer, world.car):
            assert client.get(page_of(other)).status_code == 404
            assert client.get(f"{page_of(other)}sua/").status_code == 404
            assert client.get(f"{page_of(other)}bien-dong/").status_code == 404
            assert client.post(f"{page_of(other)}doi-du/").status_code == 404
    assert listed(w.signed_in(world.people.bach_ha_admin)) == ["TS.40.000003"]
    # a department that is not Finance holds nothing
    assert listed(w.signed_in(world.people.home_affairs)) == []


def test_the_desks_menu_leads_to_the_register(world):
    page = w.signed_in(world.people.do_luong, "vi").get("/desk/").content.decode()
    link = part(page, "menu-assets")
    assert link.text == "Tài sản"
    assert link.attrs["href"] == ASSETS


# --- the list ---------------------------------------------------------------------------------


def test_the_kind_filter_offers_the_kinds_by_name_without_their_codes(world):
    response = w.signed_in(world.people.finance).get(ASSETS)
    offered = dict(response.context["form"].fields["kind"].choices)
    car = world.kinds["XEOTO"]
    assert offered[str(car.pk)] == car.name
    assert f"{car.name} ({car.code})" not in response.content.decode()


def test_the_list_filters_by_every_column_it_offers(world):
    client = w.signed_in(world.people.finance)
    assert listed(client, category="equipment") == ["TS.40.000002", "TS.40.000003"]
    assert listed(client, kind=world.kinds["XEOTO"].pk) == ["TS.40.000004"]
    assert listed(client, commune=w.agency(w.DO_LUONG_PPC).unit_id) == [
        "TS.40.000001",
        "TS.40.000002",
    ]
    assert listed(client, holder=w.agency(w.DO_LUONG_DESK).pk) == ["TS.40.000002"]
    assert listed(client, condition="poor") == ["TS.40.000003"]
    assert listed(client, origin=w.former("xã", "Đà Sơn").pk) == ["TS.40.000001"]
    register.mark_surplus(world.people.finance, world.office)
    assert listed(client, status="surplus") == ["TS.40.000001"]


def test_the_list_is_searched_by_identifier_or_name_without_diacritics(world):
    client = w.signed_in(world.people.finance)
    assert listed(client, q="may quet") == ["TS.40.000002"]
    assert listed(client, q="TRU SO DA SON") == ["TS.40.000001"]
    assert listed(client, q="000004") == ["TS.40.000004"]
    assert listed(client, q="máy dell") == ["TS.40.000003"]
    assert listed(client, q="không có") == []


def test_the_list_sorts_and_pages(world):
    client = w.signed_in(world.people.finance)
    assert listed(client, sort="-original_value") == [
        "TS.40.000001",
        "TS.40.000004",
        "TS.40.000002",
        "TS.40.000003",
    ]
    assert listed(client, sort="acquired_year") == [
        "TS.40.000001",
        "TS.40.000004",
        "TS.40.000003",
        "TS.40.000002",
    ]
    for number in range(30):
        new = register.NewAsset(
            w.details(world.kinds["MAYTINH"], f"Máy tính {number}"), w.agency(w.BACH_HA_PPC)
        )
        register.register_asset(None, new)
    first = client.get(ASSETS, {"category": "equipment"})
    assert len(first.context["assets"]) == 25
    second = client.get(ASSETS, {"category": "equipment", "page": 2})
    assert len(second.context["assets"]) == 2 + 30 - 25
    assert "category=equipment" in part(first.content.decode(), "export").attrs["href"]


def test_the_list_shows_values_in_dong_and_the_totals_of_what_it_lists(world):
    vietnamese = w.signed_in(world.people.finance, "vi").get(ASSETS, {"category": "equipment"})
    page = vietnamese.content.decode()
    assert part(page, "total-original").text == "33.500.000 đ"
    assert part(page, "total-remaining").text == "12.000.000 đ"
    assert "18.500.000 đ" in page
    english = w.signed_in(world.people.finance).get(ASSETS, {"category": "equipment"})
    assert part(english.content.decode(), "total-original").text == "33,500,000 VND"


def test_a_fragment_answers_htmx(world):
    client = w.signed_in(world.people.finance)
    answer = client.get(ASSETS, {"q": "xe"}, headers={"HX-Request": "true"})
    assert "<html" not in answer.content.decode()
    assert [a.identifier for a in answer.context["assets"]] == ["TS.40.000004"]


def test_the_export_has_a_title_a_frozen_header_dates_values_and_totals(world):
    register.record_movement(
        world.people.finance,
        world.scanner,
        register.MovementSpec(
            on=dt.date(2025, 8, 20), decision="12/QĐ-STC", to_agency=w.agency(w.BACH_HA_DESK)
        ),
    )
    response = w.signed_in(world.people.finance).get(
        ASSETS, {"category": "equipment", "export": "xlsx"}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0].startswith("Register of public assets on ")
    header = rows[1]
    assert sheet.freeze_panes == "A3"
    scanner = rows[2]
    assert scanner[header.index("Identifier")] == "TS.40.000002"
    assert scanner[header.index("Held by")] == w.agency(w.BACH_HA_DESK).name
    assert scanner[header.index("Came from")] == "huyện Đô Lương"
    assert scanner[header.index("Original value (VND)")] == 18_500_000
    assert scanner[header.index("Date of the last move")] == dt.datetime(2025, 8, 20)
    value_cell = sheet.cell(row=3, column=header.index("Original value (VND)") + 1)
    assert value_cell.number_format == "#,##0"
    day_cell = sheet.cell(row=3, column=header.index("Date of the last move") + 1)
    assert day_cell.number_format == "DD/MM/YYYY"
    total = rows[-1]
    assert total[0] == "Total"
    assert total[header.index("Original value (VND)")] == 18_500_000 + 15_000_000
    assert total[header.index("Remaining value (VND)")] == 9_000_000 + 3_000_000
    assert len(rows) == 2 + 2 + 1
    name_width = sheet.column_dimensions["D"].width
    assert name_width >= len("Máy vi tính để bàn Dell")


def test_a_commune_exports_only_its_own(world):
    response = w.signed_in(world.people.do_luong).get(ASSETS, {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[2:-1]] == ["TS.40.000001", "TS.40.000002"]


# --- an asset and its history -----------------------------------------------------------------


def test_an_assets_page_shows_its_whole_history_oldest_first(world):
    finance = world.people.finance
    register.record_movement(
        finance,
        world.office,
        register.MovementSpec(
            on=dt.date(2025, 9, 1), decision="88/QĐ-UBND", to_agency=w.agency(w.BACH_HA_PPC)
        ),
    )
    register.record_movement(
        world.people.finance_leader,
        world.office,
        register.MovementSpec(on=dt.date(2025, 10, 1), decision="99/QĐ-UBND", disposal="sale"),
    )
    page = w.signed_in(world.people.supervisor, "vi").get(page_of(world.office))
    assert page.status_code == 200
    moves = parts(page.content.decode(), "movement")
    assert [m.text.split(" · ")[0] for m in moves] == [
        "01/07/2025 Ghi vào sổ tài sản — " + w.agency(w.DO_LUONG_PPC).name
        + " — — chuyenvien.sotaichinh",
        "01/09/2025 Điều chuyển " + w.agency(w.DO_LUONG_PPC).name + " "
        + w.agency(w.BACH_HA_PPC).name + " 88/QĐ-UBND — chuyenvien.sotaichinh",
        "01/10/2025 Đã xử lý " + w.agency(w.BACH_HA_PPC).name + " — 99/QĐ-UBND Bán "
        "lanhdao.sotaichinh",
    ]  # fmt: skip
    facts = page.content.decode()
    assert part(facts, "identifier").text == "TS.40.000001"
    assert part(facts, "origin").text == "xã Đà Sơn (huyện Đô Lương)"
    assert part(facts, "original-value").text == "3.200.000.000 đ"
    assert part(facts, "status").text == "Đã xử lý"
    assert b"asset-move" not in page.content and b"asset-edit" not in page.content


def test_finance_sees_the_buttons_and_the_holders_admin_the_condition(world):
    finance = w.signed_in(world.people.finance).get(page_of(world.office)).content.decode()
    assert parts(finance, "asset-edit") and parts(finance, "asset-move")
    admin = w.signed_in(world.people.do_luong_admin).get(page_of(world.office)).content.decode()
    assert not parts(admin, "asset-edit") and not parts(admin, "asset-move")
    assert parts(admin, "asset-condition") and parts(admin, "asset-surplus")
    specialist = w.signed_in(world.people.do_luong).get(page_of(world.office)).content.decode()
    assert not parts(specialist, "asset-condition")


# --- the forms --------------------------------------------------------------------------------


def office_form(world, **changes) -> dict:
    values = {
        "kind": world.kinds["TRUSO"].pk,
        "name": "Trụ sở xã Thịnh Sơn cũ",
        "holder": w.agency(w.DO_LUONG_PPC).pk,
        "origin": w.former("xã", "Thịnh Sơn").pk,
        "address": "Xóm 5",
        "area_m2": "300,5",
        "original_value": "2.500.000.000",
        "remaining_value": "1.000.000.000",
        "acquired_year": "2009",
        "condition": "good",
    }
    return values | changes


def test_finance_enters_an_asset_from_the_desk(world):
    client = w.signed_in(world.people.finance)
    answer = client.post(f"{ASSETS}moi/", office_form(world))
    asset = Asset.objects.get(name="Trụ sở xã Thịnh Sơn cũ")
    assert answer.status_code == 302 and answer["Location"] == page_of(asset)
    assert asset.identifier == "TS.40.000005"
    assert (asset.original_value, str(asset.area_m2)) == (2_500_000_000, "300.5")
    assert asset.origin == w.former("xã", "Thịnh Sơn")
    assert asset.movements.get().kind == Movement.Kind.REGISTERED
    form = client.get(f"{ASSETS}moi/").content.decode()
    assert "xã Thịnh Sơn (huyện Đô Lương) (now xã Đô Lương)" in form


def test_the_forms_errors_are_in_vietnamese(world):
    client = w.signed_in(world.people.finance, "vi")
    answer = client.post(
        f"{ASSETS}moi/",
        office_form(
            world,
            remaining_value="3.000.000.000",
            original_value="2.500.000.000",
            acquired_year=str(register.today().year + 1),
            area_m2="rộng",
        ),
    )
    assert answer.status_code == 422
    errors = answer.context["form"].errors
    assert errors["area_m2"] == [
        "Không phải diện tích (m²) với tối đa một chữ số thập phân, ví dụ 350,5"
    ]
    answer = client.post(
        f"{ASSETS}moi/",
        office_form(
            world,
            remaining_value="3.000.000.000",
            acquired_year=str(register.today().year + 1),
        ),
    )
    errors = answer.context["form"].errors
    assert errors["remaining_value"] == ["Giá trị còn lại lớn hơn nguyên giá"]
    assert errors["acquired_year"] == [f"Năm {register.today().year + 1} chưa đến"]
    assert Asset.objects.count() == 4


def test_only_finance_opens_the_forms_and_the_import(world):
    for reader in (world.people.do_luong_admin, world.people.supervisor):
        client = w.signed_in(reader)
        assert client.get(f"{ASSETS}moi/").status_code == 403
        assert client.get(f"{ASSETS}nhap/").status_code == 403
    admin = w.signed_in(world.people.do_luong_admin)
    assert admin.get(f"{page_of(world.office)}sua/").status_code == 403
    assert admin.get(f"{page_of(world.office)}bien-dong/").status_code == 403


def test_finance_corrects_an_asset_but_the_form_has_no_holder_or_origin(world):
    client = w.signed_in(world.people.finance)
    form = client.get(f"{page_of(world.office)}sua/")
    assert "holder" not in form.context["form"].fields
    assert "origin" not in form.context["form"].fields
    data = office_form(world, name="Trụ sở xã Đà Sơn cũ (nhà A)", holder="", origin="")
    answer = client.post(f"{page_of(world.office)}sua/", data)
    assert answer.status_code == 302
    world.office.refresh_from_db()
    assert world.office.name == "Trụ sở xã Đà Sơn cũ (nhà A)"
    assert (world.office.identifier, world.office.holder.code) == ("TS.40.000001", w.DO_LUONG_PPC)
    assert world.office.origin == w.former("xã", "Đà Sơn")


def test_the_holders_administrator_updates_the_condition_and_declares_surplus(world):
    client = w.signed_in(world.people.do_luong_admin)
    answer = client.post(f"{page_of(world.office)}tinh-trang/", {"condition": "unusable"})
    assert answer.status_code == 302
    world.office.refresh_from_db()
    assert world.office.condition == "unusable"
    client.post(f"{page_of(world.office)}doi-du/")
    world.office.refresh_from_db()
    assert world.office.status == Asset.Status.SURPLUS
    client.post(f"{page_of(world.office)}dang-su-dung/")
    world.office.refresh_from_db()
    assert world.office.status == Asset.Status.IN_USE
    specialist = w.signed_in(world.people.do_luong)
    assert (
        specialist.post(f"{page_of(world.office)}tinh-trang/", {"condition": "good"}).status_code
        == 403
    )


def test_finance_records_a_transfer_and_a_disposal_from_the_desk(world):
    client = w.signed_in(world.people.finance)
    move = f"{page_of(world.scanner)}bien-dong/"
    answer = client.post(
        move,
        {
            "what": "transfer",
            "to_agency": w.agency(w.BACH_HA_DESK).pk,
            "on": "2025-08-01",
            "decision": "15/QĐ-STC",
        },
    )
    assert answer.status_code == 302
    world.scanner.refresh_from_db()
    assert world.scanner.holder.code == w.BACH_HA_DESK
    answer = client.post(
        move,
        {"what": "dispose", "disposal": "liquidation", "on": "2025-09-01", "decision": "16/QĐ"},
    )
    assert answer.status_code == 302
    world.scanner.refresh_from_db()
    assert world.scanner.status == Asset.Status.DISPOSED
    assert client.get(move).status_code == 302  # it moves no more


def test_a_move_form_says_what_is_wrong_in_vietnamese(world):
    client = w.signed_in(world.people.finance, "vi")
    answer = client.post(
        f"{page_of(world.scanner)}bien-dong/",
        {"what": "transfer", "on": "2025-06-01", "decision": ""},
    )
    assert answer.status_code == 422
    errors = answer.context["form"].errors
    assert errors["decision"] == ["Trường này là bắt buộc."]
    answer = client.post(
        f"{page_of(world.scanner)}bien-dong/",
        {"what": "transfer", "on": "2099-06-01", "decision": "1/QĐ"},
    )
    errors = answer.context["form"].errors
    assert errors["to_agency"] == ["Chọn cơ quan nhận tài sản."]
    assert errors["on"] == ["Biến động được ghi sau khi thực hiện: ngày không thể ở tương lai."]
    assert world.scanner.movements.count() == 1


# --- importing --------------------------------------------------------------------------------


def sheet(rows: list[list]) -> SimpleUploadedFile:
    book = Workbook()
    book.active.title = "Tài sản"
    book.active.append([c.header for c in COLUMNS])
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("tai-san.xlsx", buffer.getvalue())


def test_the_import_page_imports_or_lists_every_problem(world):
    client = w.signed_in(world.people.finance, "vi")
    good = ["", "MAYTINH", "Máy tính xách tay", w.BACH_HA_PPC, "", "", "", "20.000.000",
            "15.000.000", 2024, "tốt"]  # fmt: skip
    bad = [*good]
    bad[1], bad[7] = "NHAKHO", "nhiều"
    answer = client.post(f"{ASSETS}nhap/", {"file": sheet([good, bad])})
    assert answer.status_code == 422
    problems = [
        li.strip() for li in part(answer.content.decode(), "import-problems").texts if li.strip()
    ]
    unknown_kind = (
        "Trang “Tài sản”, dòng 3, cột “Loại tài sản”: không có loại tài sản mã NHAKHO (xem "
        "trang Loại tài sản)"
    )
    assert unknown_kind in problems
    assert any("dòng 3, cột “Nguyên giá (đồng)”" in p for p in problems)
    assert Asset.objects.count() == 4
    answer = client.post(f"{ASSETS}nhap/", {"file": sheet([good])})
    assert answer.status_code == 200
    assert "TS.40.000005" in part(answer.content.decode(), "import-done").text


def test_the_template_is_downloaded_from_the_import_page(world):
    client = w.signed_in(world.people.finance)
    page = client.get(f"{ASSETS}nhap/").content.decode()
    link = part(page, "import-template").attrs["href"]
    assert link == f"{ASSETS}nhap/mau-nhap-tai-san.xlsx"
    book = load_workbook(io.BytesIO(client.get(link).content))
    assert [c.value for c in book["Tài sản"][1]] == [c.header for c in COLUMNS]
    assert "Loại tài sản" in book.sheetnames
