"""Desk and portal pages: scoping, filters, Excel export, languages."""

from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from haicap.units.models import AdministrativeUnit, Agency
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def xlsx_rows(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


def test_the_desk_is_in_vietnamese_by_default_even_for_an_english_browser():
    client = client_for("tiepnhan.doluong")
    page = client.get(reverse("desk:home"), headers={"Accept-Language": "en"}).content.decode()
    assert '<html lang="vi">' in page
    assert "Xin chào, Phạm Thị Lan" in page


def test_english_can_be_chosen_and_stays_chosen():
    client = client_for("tiepnhan.doluong")
    client.post(reverse("set_language"), {"language": "en", "next": "/desk/"})
    page = client.get(reverse("desk:home")).content.decode()
    assert '<html lang="en">' in page and "Welcome, Phạm Thị Lan" in page


def test_the_unit_list_filters_by_name_without_diacritics():
    page = client_for("tiepnhan.doluong").get(reverse("desk:unit_list"), {"q": "bach ha"})
    body = page.content.decode()
    assert "xã Bạch Hà" in body
    assert "1 đơn vị" in body


def test_an_htmx_filter_returns_only_the_results():
    client = client_for("tiepnhan.doluong")
    response = client.get(
        reverse("desk:unit_list"), {"q": "van hien"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert "<html" not in body and "xã Văn Hiến" in body


def test_the_unit_page_shows_where_a_former_unit_went():
    former = AdministrativeUnit.objects.get(
        import_key="40|xã Minh Sơn (huyện Đô Lương) > xã Thuần Trung"
    )
    body = (
        client_for("tiepnhan.vanhien")
        .get(reverse("desk:unit_detail", args=[former.pk]))
        .content.decode()
    )
    assert "Nay thuộc" in body and "xã Thuần Trung" in body


def test_a_missing_unit_is_a_404_page_in_vietnamese():
    response = client_for("tiepnhan.vanhien").get(reverse("desk:unit_detail", args=[999999]))
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


def test_the_agency_export_holds_exactly_the_rows_the_officer_may_see():
    response = client_for("tiepnhan.doluong").get(reverse("desk:agency_list"), {"export": "xlsx"})
    rows = xlsx_rows(response)
    assert rows[0] == ("Mã cơ quan", "Tên", "Loại", "Đơn vị hành chính", "Bộ phận một cửa")
    exported = {row[0] for row in rows[1:]}
    expected = set(
        Agency.objects.filter(unit__code__in=["17662", "40"]).values_list("code", flat=True)
    )
    assert exported == expected


def test_the_unit_export_follows_the_filters():
    response = client_for("giamsat").get(
        reverse("desk:unit_list"), {"export": "xlsx", "kind": "ward", "status": "current"}
    )
    rows = xlsx_rows(response)
    assert len(rows) == 1 + 11
    assert all(row[2] == "Phường" for row in rows[1:])


def test_the_other_communes_agencies_are_not_on_the_officers_list():
    body = (
        client_for("tiepnhan.doluong")
        .get(reverse("desk:agency_list"), {"q": "van hien"})
        .content.decode()
    )
    assert "Phòng Kinh tế xã Văn Hiến" not in body
    assert "0 cơ quan" in body


def test_an_officer_issues_and_revokes_an_api_token_on_the_account_page():
    client = client_for("chuyenvien.doluong")
    page = client.post(reverse("desk:issue_token"), {"name": "kho dữ liệu"}).content.decode()
    token = page.split('data-testid="new-token">')[1].split("<")[0]
    assert Client(headers={"Authorization": f"Bearer {token}"}).get("/api/v1/me").status_code == 200
    token_id = client.get(reverse("desk:account")).context["tokens"][0].pk
    client.post(reverse("desk:revoke_token", args=[token_id]))
    assert Client(headers={"Authorization": f"Bearer {token}"}).get("/api/v1/me").status_code == 401


def test_a_token_without_a_name_is_a_form_error_in_vietnamese():
    response = client_for("chuyenvien.doluong").post(reverse("desk:issue_token"), {"name": ""})
    assert response.status_code == 422
    assert "Trường này là bắt buộc." in response.content.decode()


def test_the_public_home_page_finds_the_new_unit_of_a_former_commune():
    body = Client().get("/", {"q": "Tràng Sơn"}).content.decode()
    assert "xã Tràng Sơn" in body and "xã Lương Sơn" in body


def test_the_public_lookup_needs_no_account_and_shows_no_staff_data():
    body = Client().get("/", {"q": "do luong"}).content.decode()
    assert "xã Đô Lương" in body
    assert "17662.05.H40" not in body  # agencies are staff data


def test_another_communes_page_lists_none_of_its_agencies():
    van_hien = AdministrativeUnit.objects.get(code="17677")
    response = client_for("tiepnhan.doluong").get(reverse("desk:unit_detail", args=[van_hien.pk]))
    assert response.status_code == 200  # the unit itself is public
    assert "17677.03.H40" not in response.content.decode()
    assert "Phòng Kinh tế" not in response.content.decode()


def test_one_bad_filter_is_shown_and_the_others_still_apply():
    response = client_for("tiepnhan.doluong").get(
        reverse("desk:unit_list"), {"q": "thuan trung", "kind": "castle"}
    )
    body = response.content.decode()
    assert "1 đơn vị" in body
    assert 'role="alert"' in body


def test_the_province_page_lists_every_current_commune():
    province = AdministrativeUnit.objects.get(code="40")
    response = client_for("giamsat").get(reverse("desk:unit_detail", args=[province.pk]))
    assert len(response.context["children"]) == 130
    # The 20 former districts, and the 412 former units less those filed under a district:
    # the 32 of items 20–25 (former Đô Lương district) and 16 others the resolution names with
    # their district.
    assert response.context["former_children"] == 20 + 412 - 32 - 16


def test_text_that_looks_like_a_formula_is_exported_as_text(user):
    agency = Agency.objects.get(code="17662.05.H40")
    Agency.objects.filter(pk=agency.pk).update(name='=HYPERLINK("http://x")')
    rows = xlsx_rows(
        client_for("tiepnhan.doluong").get(reverse("desk:agency_list"), {"export": "xlsx"})
    )
    assert ("17662.05.H40", '=HYPERLINK("http://x")') in {row[:2] for row in rows}


def test_the_public_lookup_costs_the_same_few_queries_for_many_results(
    django_assert_max_num_queries,
):
    with django_assert_max_num_queries(4):
        page = Client().get("/", {"q": "son"}).content.decode()
    results = page[page.index('<ul class="lookup">') :]
    assert results[: results.index("</ul>")].count("<li>") == 20
