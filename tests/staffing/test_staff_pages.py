"""The pages of who works where: what each reader sees (404 out of scope, 403 for what they may
not change), personal numbers masked in lists, exports and pages, filters and sorting, the
forms' errors in Vietnamese, and importing from the desk."""

import datetime as dt
import io
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.staffing import services
from haicap.staffing.models import NormRule, Officer, Position
from haicap.staffing.staff_sheet import COLUMNS, ORDER, TITLES, Kind
from tests.staffing import sheets
from tests.staffing.conftest import (
    BACH_HA,
    BACH_HA_ECONOMIC,
    CITIZEN_ID,
    DO_LUONG,
    DO_LUONG_DESK,
    DO_LUONG_ECONOMIC,
    PHONE,
    agency,
    commune,
    officer_spec,
)

pytestmark = pytest.mark.django_db
OFFICERS = "/desk/nhan-su/can-bo/"
MASKED_ID, MASKED_PHONE = "040******345", "091****678"


def signed_in(user, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def listed(client: Client, **query) -> list[str]:
    response = client.get(OFFICERS, query)
    assert response.status_code == 200
    return [officer.full_name for officer, _id, _phone in response.context["rows"]]


def exported(client: Client, **query) -> list[list]:
    response = client.get(OFFICERS, {**query, "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# --- who sees whom ------------------------------------------------------------------------------


def test_home_affairs_sees_every_officer_with_their_numbers(staffed, people):
    client = signed_in(people.home_affairs)
    assert listed(client) == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]
    page = client.get(OFFICERS).content.decode()
    assert CITIZEN_ID in page and PHONE in page
    rows = exported(client)
    header = rows[0]
    an = rows[1]
    assert an[header.index("Citizen ID number")] == CITIZEN_ID
    assert an[header.index("Phone")] == PHONE


def test_a_commune_sees_its_own_officers_with_their_numbers_masked(staffed, people):
    for reader in (people.do_luong_admin, people.do_luong):
        client = signed_in(reader)
        assert listed(client) == ["Nguyễn Văn An", "Trần Thị Bình"]
        page = client.get(OFFICERS).content.decode()
        assert CITIZEN_ID not in page and PHONE not in page
        assert MASKED_ID in page and MASKED_PHONE in page
        rows = exported(client)
        assert len(rows) == 3
        header = rows[1 - 1]
        assert rows[1][header.index("Citizen ID number")] == MASKED_ID
        assert rows[1][header.index("Phone")] == MASKED_PHONE
        assert all(CITIZEN_ID not in str(cell) for row in rows for cell in row)


def test_a_supervisor_reads_the_province_masked(staffed, people):
    client = signed_in(people.supervisor)
    assert len(listed(client)) == 3
    assert CITIZEN_ID not in client.get(OFFICERS).content.decode()
    detail = client.get(f"{OFFICERS}{staffed.an.pk}/")
    assert detail.context["citizen_id"] == MASKED_ID
    assert detail.context["may_edit"] is False


def test_another_communes_officer_is_not_found(staffed, people):
    client = signed_in(people.do_luong)
    assert client.get(f"{OFFICERS}{staffed.cuong.pk}/").status_code == 404
    assert client.get(f"{OFFICERS}{staffed.cuong.pk}/sua/").status_code == 404
    assert client.post(f"{OFFICERS}{staffed.cuong.pk}/xoa/").status_code == 404
    assert Officer.objects.filter(pk=staffed.cuong.pk).exists()
    admin = signed_in(people.do_luong_admin)
    assert admin.get(f"{OFFICERS}{staffed.cuong.pk}/").status_code == 404


def test_an_officers_page_shows_their_numbers_to_those_who_may_edit_them(staffed, people):
    specialist = signed_in(people.do_luong).get(f"{OFFICERS}{staffed.an.pk}/")
    assert specialist.status_code == 200
    assert (specialist.context["citizen_id"], specialist.context["phone"]) == (
        MASKED_ID,
        MASKED_PHONE,
    )
    assert b"officer-edit" not in specialist.content
    admin = signed_in(people.do_luong_admin).get(f"{OFFICERS}{staffed.an.pk}/")
    assert (admin.context["citizen_id"], admin.context["phone"]) == (CITIZEN_ID, PHONE)
    assert b"officer-edit" in admin.content


def test_an_officers_page_shows_the_account_it_is_linked_to(staffed, people):
    staffed.an.user = people.do_luong
    staffed.an.save()
    page = signed_in(people.home_affairs).get(f"{OFFICERS}{staffed.an.pk}/").content.decode()
    assert "Hoàng Văn Kinh (chuyenvien.doluong)" in page
    assert "The officer has no secondment." in page


def test_the_officers_page_labels_begin_with_a_capital(staffed, people):
    page = signed_in(people.home_affairs, "vi").get(f"{OFFICERS}{staffed.an.pk}/")
    labels = re.findall(r"<dt>([^<]*)</dt>", page.content.decode())
    assert "Tài khoản haicap" in labels
    assert [label for label in labels if label[:1].islower()] == []
    exported_header = exported(signed_in(people.home_affairs, "vi"))[0]
    assert "Tài khoản haicap" in exported_header


def test_who_may_not_change_an_officer_gets_403_on_its_form(staffed, people):
    assert signed_in(people.do_luong).get(f"{OFFICERS}{staffed.an.pk}/sua/").status_code == 403
    assert signed_in(people.supervisor).get(f"{OFFICERS}moi/").status_code == 403
    assert signed_in(people.do_luong).post(f"{OFFICERS}{staffed.an.pk}/xoa/").status_code == 403


# --- filters, search, sorting, pages ----------------------------------------------------------


def test_the_list_filters_by_commune_agency_field_qualification_and_desk(staffed, people):
    client = signed_in(people.home_affairs)
    assert listed(client, commune=commune(BACH_HA).pk) == ["Lê Văn Cường"]
    assert listed(client, agency=agency(DO_LUONG_DESK).pk) == ["Trần Thị Bình"]
    assert listed(client, field="DATDAI") == ["Nguyễn Văn An", "Lê Văn Cường"]
    assert listed(client, qualification="XAYDUNG") == ["Nguyễn Văn An"]
    assert listed(client, desk="yes") == ["Trần Thị Bình"]
    assert listed(client, desk="no") == ["Nguyễn Văn An", "Lê Văn Cường"]


def test_a_name_is_found_without_its_accents(staffed, people):
    client = signed_in(people.home_affairs)
    assert listed(client, q="nguyen van") == ["Nguyễn Văn An"]
    assert listed(client, q="THỊ bình") == ["Trần Thị Bình"]
    assert listed(client, q="không ai") == []


def test_whole_words_of_the_name_come_first_and_a_staff_number_is_found(staffed, people):
    # "thu ha" is inside many names (Thuận, Thủy, Hải, Hào…): the name holding both as whole
    # words, together, comes first, whatever the alphabet says (the desk's procedure search
    # ranks the same way)
    for number, name in (
        ("NA-0020", "Lê Thuận Hải"),
        ("NA-0021", "Phạm Thu Hằng"),
        ("NA-0022", "Đỗ Thị Hà Thu"),
        ("NA-00842", "Nguyễn Thị Thu Hà"),
    ):
        services.save_officer(
            people.home_affairs,
            officer_spec(staffed.bach_ha_land, staff_number=number, full_name=name),
        )
    client = signed_in(people.home_affairs)
    # the phrase of whole words; the phrase with its last word still being typed; each a
    # whole word; words found inside others
    assert listed(client, q="thu ha") == [
        "Nguyễn Thị Thu Hà",
        "Phạm Thu Hằng",
        "Đỗ Thị Hà Thu",
        "Lê Thuận Hải",
    ]
    # a sort chosen is kept
    assert listed(client, q="thu ha", sort="staff_number")[0] == "Lê Thuận Hải"
    assert listed(client, q="NA-00842") == ["Nguyễn Thị Thu Hà"]
    assert listed(client, q="na-002") == ["Lê Thuận Hải", "Phạm Thu Hằng", "Đỗ Thị Hà Thu"]
    assert listed(client, q="00842") == ["Nguyễn Thị Thu Hà"]


def test_communes_and_agencies_are_offered_in_vietnamese_order(staffed, people, fields):
    bac_ly = Position.objects.create(
        agency=agency("16819.03.H40"), field=fields["DATDAI"], grade="Chuyên viên", approved=1
    )
    services.save_officer(
        people.home_affairs,
        officer_spec(bac_ly, staff_number="NA-0030", full_name="Cao Văn Lý"),
    )
    client = signed_in(people.home_affairs)
    listing = client.get(OFFICERS).content.decode()
    communes = listing[listing.index('name="commune"') : listing.index('name="agency"')]
    # Bạch Hà (a) before Bắc Lý (ă), Đô Lương after every D (a folded "bac ly" comes first)
    assert (
        communes.index("xã Bạch Hà") < communes.index("xã Bắc Lý") < communes.index("xã Đô Lương")
    )
    form = client.get(f"{OFFICERS}moi/").content.decode()
    agencies = form[form.index('name="agency"') : form.index('name="position"')]
    names = re.findall(r"<option value=\"\d+\"[^>]*>([^<]+)</option>", agencies)
    assert names.index("Sở Nội vụ") < names.index("Phòng Kinh tế xã Bạch Hà")
    bach = [n for n in names if n.endswith(("xã Bạch Hà", "xã Bắc Lý", "xã Bích Hào"))]
    assert [n.rsplit(" xã ", 1)[1] for n in bach if n.startswith("Phòng Kinh tế")] == [
        "Bạch Hà",
        "Bắc Lý",
        "Bích Hào",
    ]


def test_names_run_by_given_name_in_vietnamese_order(staffed, people, fields):
    # Given names An, Bình, Cường; then Dũng, and Đạt, which Vietnamese puts after every D.
    for number, name in (("NA-0010", "Vũ Văn Đạt"), ("NA-0011", "Hà Văn Dũng")):
        services.save_officer(
            people.home_affairs,
            officer_spec(staffed.bach_ha_land, staff_number=number, full_name=name),
        )
    client = signed_in(people.home_affairs)
    expected = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Hà Văn Dũng", "Vũ Văn Đạt"]
    assert listed(client) == expected
    assert listed(client, sort="-name") == expected[::-1]
    assert listed(client, sort="staff_number")[:2] == ["Nguyễn Văn An", "Trần Thị Bình"]


def test_the_list_is_paginated_and_the_export_holds_every_row(staffed, people, monkeypatch):
    monkeypatch.setattr("haicap.staffing.staff_views.PAGE_SIZE", 2)
    client = signed_in(people.home_affairs)
    assert listed(client) == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert listed(client, page=2) == ["Lê Văn Cường"]
    assert [row[1] for row in exported(client)[1:]] == [
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Lê Văn Cường",
    ]


def test_htmx_gets_the_rows_alone(staffed, people):
    response = signed_in(people.home_affairs).get(OFFICERS, {"q": "an"}, HTTP_HX_REQUEST="true")
    assert b"<h1>" not in response.content
    assert b'data-testid="officers"' in response.content


# --- the officer form -------------------------------------------------------------------------


def form_data(position, **changes) -> dict:
    values = {
        "staff_number": "NA-0200",
        "full_name": "Phạm Thị Hoa",
        "agency": position.agency_id,
        "position": position.pk,
        "qualifications": [position.field_id],
        "grade": "Chuyên viên",
        "experience_years": "2",
        "in_post_since": "2025-07-01",
        "desk_posting_from": "",
        "desk_posting_until": "",
        "account": "",
        "citizen_id": "",
        "phone": "",
    }
    return values | changes


def test_a_commune_administrator_adds_an_officer_to_their_commune(staffed, people):
    client = signed_in(people.do_luong_admin)
    form = client.get(f"{OFFICERS}moi/").context["form"]
    offered = {a.code for a in form.fields["agency"].queryset}
    assert offered == {f"{DO_LUONG}.0{n}.H40" for n in range(1, 6)}
    response = client.post(
        f"{OFFICERS}moi/", form_data(staffed.do_luong_land, account="chuyenvien.doluong")
    )
    hoa = Officer.objects.get(staff_number="NA-0200")
    assert response.status_code == 302
    assert response["Location"] == f"{OFFICERS}{hoa.pk}/"
    assert hoa.user.username == "chuyenvien.doluong"
    # another commune's position is not offered, nor taken
    refused = client.post(
        f"{OFFICERS}moi/",
        form_data(staffed.bach_ha_land, staff_number="NA-0201", agency=agency(BACH_HA_ECONOMIC).pk),
    )
    assert refused.status_code == 422
    assert set(refused.context["form"].errors) == {"agency", "position"}


def test_the_forms_errors_are_in_vietnamese(staffed, people):
    client = signed_in(people.home_affairs, "vi")
    response = client.post(
        f"{OFFICERS}moi/",
        form_data(
            staffed.do_luong_land,
            citizen_id="12345",
            phone="123",
            desk_posting_from="2025-07-01",
            account="khong.co.ai",
        ),
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert errors["account"] == ["Không có tài khoản đang hoạt động nào có tên đăng nhập này."]
    response = client.post(
        f"{OFFICERS}moi/",
        form_data(
            staffed.do_luong_land, citizen_id="12345", phone="123", desk_posting_from="2025-07-01"
        ),
    )
    errors = response.context["form"].errors
    assert errors["citizen_id"] == ["Số định danh cá nhân gồm 12 chữ số."]
    assert errors["phone"] == ["Số điện thoại Việt Nam gồm 10 chữ số, ví dụ 0912345678."]
    assert errors["desk_posting_from"] == [
        "Phòng Kinh tế xã Đô Lương không có bộ phận Một cửa: chỉ cán bộ làm Một cửa mới có ngày"
        " luân chuyển."
    ]
    page = response.content.decode()
    assert "Số định danh cá nhân gồm 12 chữ số." in page
    assert not Officer.objects.filter(staff_number="NA-0200").exists()


def test_a_day_in_post_after_today_is_refused_on_the_form(staffed, people):
    client = signed_in(people.home_affairs, "vi")
    with clock.fixed_at(dt.datetime(2026, 12, 7, 9, tzinfo=VIETNAM)):
        blank = client.get(f"{OFFICERS}moi/").content.decode()
        response = client.post(
            f"{OFFICERS}moi/", form_data(staffed.do_luong_land, in_post_since="2030-01-01")
        )
    assert 'name="in_post_since"' in blank and 'max="2026-12-07"' in blank
    assert response.status_code == 422
    assert response.context["form"].errors["in_post_since"] == [
        "Ngày giữ vị trí sau hôm nay (07/12/2026): hãy ghi ngày cán bộ bắt đầu giữ vị trí."
    ]
    assert not Officer.objects.filter(staff_number="NA-0200").exists()


def test_a_number_out_of_range_is_said_once_in_one_sentence(fields, people):
    client = signed_in(people.home_affairs, "vi")
    norm = client.post(
        "/desk/nhan-su/dinh-muc/moi/", {"field": fields["CNTT"].pk, "basis": "fixed", "count": -1}
    )
    assert norm.status_code == 422
    assert norm.context["form"].errors["count"] == ["Hãy nhập số nguyên từ 0 trở lên."]
    years = client.post(
        f"{OFFICERS}moi/",
        form_data(
            Position.objects.create(
                agency=agency(DO_LUONG_ECONOMIC), field=fields["DATDAI"], grade="CV", approved=1
            ),
            experience_years="81",
        ),
    )
    assert years.context["form"].errors["experience_years"] == ["Hãy nhập số nguyên không quá 80."]


def test_a_desk_posting_ends_after_it_begins(staffed, people):
    response = signed_in(people.home_affairs).post(
        f"{OFFICERS}moi/",
        form_data(
            staffed.do_luong_desk,
            desk_posting_from="2026-07-01",
            desk_posting_until="2026-01-01",
        ),
    )
    assert response.context["form"].errors == {
        "desk_posting_until": ["The posting ends before it begins."]
    }


def test_a_staff_number_taken_is_said_on_the_form(staffed, people):
    response = signed_in(people.home_affairs).post(
        f"{OFFICERS}moi/", form_data(staffed.do_luong_land, staff_number="NA-0003")
    )
    assert response.status_code == 422
    assert "An officer with staff number NA-0003 already exists." in response.content.decode()


def test_an_officer_is_edited_and_moved_within_the_commune(staffed, people):
    client = signed_in(people.do_luong_admin)
    form = client.get(f"{OFFICERS}{staffed.an.pk}/sua/").context["form"]
    assert form["full_name"].value() == "Nguyễn Văn An"
    assert [p.pk for p in form.fields["position"].queryset] == [staffed.do_luong_land.pk]
    response = client.post(
        f"{OFFICERS}{staffed.an.pk}/sua/",
        form_data(
            staffed.do_luong_desk,
            staff_number="NA-0001",
            full_name="Nguyễn Văn An",
            desk_posting_from="2026-01-01",
            citizen_id=CITIZEN_ID,
        ),
    )
    assert response.status_code == 302
    an = Officer.objects.get(pk=staffed.an.pk)
    assert (an.agency.code, an.desk_posting_from.isoformat()) == (DO_LUONG_DESK, "2026-01-01")


def test_choosing_an_agency_offers_its_positions(staffed, people):
    client = signed_in(people.home_affairs)
    page = client.get(f"{OFFICERS}vi-tri/", {"agency": agency(DO_LUONG_DESK).pk}).content.decode()
    assert f'value="{staffed.do_luong_desk.pk}"' in page
    assert f'value="{staffed.do_luong_land.pk}"' not in page


def test_an_officer_is_removed_from_their_page_once_the_removal_is_confirmed(staffed, people):
    client = signed_in(people.do_luong_admin)
    page = client.get(f"{OFFICERS}{staffed.binh.pk}/").content.decode()
    assert f'href="{OFFICERS}{staffed.binh.pk}/?xac-nhan=xoa#remove"' in page
    assert 'data-testid="confirm-remove"' not in page
    # the first press asks; nothing is removed yet
    first = client.post(f"{OFFICERS}{staffed.binh.pk}/xoa/")
    assert first["Location"] == f"{OFFICERS}{staffed.binh.pk}/?xac-nhan=xoa#remove"
    assert Officer.objects.filter(pk=staffed.binh.pk).exists()
    asking = client.get(first["Location"]).content.decode()
    confirm = asking[asking.index('data-testid="confirm-remove"') :]
    assert "Are you sure you want to remove the record of Trần Thị Bình?" in confirm
    assert 'name="confirm" value="yes"' in confirm
    assert f'href="{OFFICERS}{staffed.binh.pk}/">No, go back' in confirm
    response = client.post(f"{OFFICERS}{staffed.binh.pk}/xoa/", {"confirm": "yes"})
    assert response.status_code == 302
    assert not Officer.objects.filter(pk=staffed.binh.pk).exists()


def test_a_position_and_a_norm_are_removed_once_the_removal_is_confirmed(staffed, people, fields):
    client = signed_in(people.home_affairs)
    position = Position.objects.create(
        agency=agency(BACH_HA_ECONOMIC), field=fields["YTE"], grade="Cán sự", approved=1
    )
    norm = NormRule.objects.create(field=fields["YTE"], basis="fixed", count=1)
    for remove, edit, kept in (
        (
            f"/desk/nhan-su/vi-tri/{position.pk}/xoa/",
            f"/desk/nhan-su/vi-tri/{position.pk}/sua/",
            Position.objects.filter(pk=position.pk),
        ),
        (
            f"/desk/nhan-su/dinh-muc/{norm.pk}/xoa/",
            f"/desk/nhan-su/dinh-muc/{norm.pk}/sua/",
            NormRule.objects.filter(pk=norm.pk),
        ),
    ):
        assert f'href="{edit}?xac-nhan=xoa#remove"' in client.get(edit).content.decode()
        first = client.post(remove)
        assert first["Location"] == f"{edit}?xac-nhan=xoa#remove"
        assert kept.exists()
        asking = client.get(first["Location"]).content.decode()
        assert "Are you sure you want to remove the" in asking
        assert 'data-testid="confirm-remove"' in asking
        assert client.post(remove, {"confirm": "yes"}).status_code == 302
        assert not kept.exists()


# --- positions and norms ----------------------------------------------------------------------


def test_positions_show_approved_filled_and_vacant(staffed, people):
    Position.objects.filter(pk=staffed.bach_ha_land.pk).update(approved=0)
    client = signed_in(people.home_affairs)
    response = client.get("/desk/nhan-su/vi-tri/")
    rows = {
        (p.agency.code, p.field.code): (p.approved, p.filled, v, o)
        for p, v, o in response.context["rows"]
    }
    assert rows == {
        (DO_LUONG_ECONOMIC, "DATDAI"): (2, 1, 1, 0),
        (DO_LUONG_DESK, "CNTT"): (1, 1, 0, 0),
        (BACH_HA_ECONOMIC, "DATDAI"): (0, 1, 0, 1),
    }
    assert "1 over the quota" in response.content.decode()
    only = client.get("/desk/nhan-su/vi-tri/", {"agency": agency(DO_LUONG_DESK).pk})
    assert len(only.context["rows"]) == 1
    sheet = load_workbook(
        io.BytesIO(client.get("/desk/nhan-su/vi-tri/", {"export": "xlsx"}).content)
    ).active
    header = next(sheet.iter_rows(values_only=True))
    assert header[-3:] == ("Filled", "Vacant", "Over the quota")
    commune_reader = signed_in(people.do_luong).get("/desk/nhan-su/vi-tri/")
    assert len(commune_reader.context["rows"]) == 2


def test_positions_and_norms_are_changed_by_the_staffing_authority_only(staffed, people):
    admin = signed_in(people.do_luong_admin)
    position = staffed.do_luong_land
    assert admin.get(f"/desk/nhan-su/vi-tri/{position.pk}/sua/").status_code == 403
    assert admin.get("/desk/nhan-su/dinh-muc/moi/").status_code == 403
    client = signed_in(people.home_affairs)
    response = client.post(
        f"/desk/nhan-su/vi-tri/{position.pk}/sua/",
        {
            "agency": position.agency_id,
            "field": position.field_id,
            "grade": "Chuyên viên",
            "approved": 0,
        },
    )
    assert response.status_code == 302
    assert Position.objects.get(pk=position.pk).approved == 0


def test_a_norm_is_set_and_listed(fields, people):
    client = signed_in(people.home_affairs)
    response = client.post(
        "/desk/nhan-su/dinh-muc/moi/",
        {
            "field": fields["DATDAI"].pk,
            "basis": "workload",
            "dossiers_per_officer_month": 60,
            "minimum": 1,
        },
    )
    assert response.status_code == 302
    norm = NormRule.objects.get()
    assert (norm.unit, norm.basis, norm.dossiers_per_officer_month) == (None, "workload", 60)
    page = signed_in(people.do_luong).get("/desk/nhan-su/dinh-muc/").content.decode()
    assert "One officer per 60 dossiers a month, at least 1" in page
    assert "Every commune" in page
    refused = client.post(
        "/desk/nhan-su/dinh-muc/moi/",
        {"field": fields["CNTT"].pk, "basis": "workload", "commune": commune(DO_LUONG).pk},
    )
    assert refused.status_code == 422
    assert "dossiers_per_officer_month" in refused.context["form"].errors


# --- importing --------------------------------------------------------------------------------


def test_the_import_page_is_for_those_who_arrange_staff(people):
    assert signed_in(people.do_luong_admin).get("/desk/nhan-su/nhap/").status_code == 403
    assert signed_in(people.supervisor).get("/desk/nhan-su/nhap/").status_code == 403
    page = signed_in(people.home_affairs).get("/desk/nhan-su/nhap/").content.decode()
    assert "/desk/nhan-su/nhap/mau-nhap-nhan-su.xlsx" in page
    assert "Số hiệu cán bộ" in page


def test_the_template_workbook_is_downloaded_with_the_headers(people):
    response = signed_in(people.home_affairs).get("/desk/nhan-su/nhap/mau-nhap-nhan-su.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="mau-nhap-nhan-su.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    for kind in ORDER:
        assert [c.value for c in book[TITLES[kind]][1]] == [c.header for c in COLUMNS[kind]]


def test_a_workbook_is_imported_from_the_page(fields, people):
    client = signed_in(people.home_affairs, "vi")
    upload = SimpleUploadedFile("nhan-su.xlsx", sheets.workbook())
    response = client.post("/desk/nhan-su/nhap/", {"files": upload})
    assert response.status_code == 200
    assert response.context["done"][0] == (
        "Vị trí việc làm (trang “Vị trí việc làm”): tạo mới 4, cập nhật 0, không đổi 0."
    )
    assert Officer.objects.count() == 3


def test_a_refused_import_lists_its_problems_in_vietnamese(fields, people):
    officers = [row[:] for row in sheets.OFFICERS]
    officers[0][12] = "123"
    client = signed_in(people.home_affairs, "vi")
    content = sheets.workbook({**sheets.ALL, Kind.OFFICERS: officers})
    upload = SimpleUploadedFile("nhan-su.xlsx", content)
    response = client.post("/desk/nhan-su/nhap/", {"files": upload})
    assert response.status_code == 422
    assert response.context["problems"] == [
        "Trang “Cán bộ”, dòng 2, cột “Số CCCD”: Số định danh cá nhân gồm 12 chữ số."
    ]
    assert "Không nhập gì" in response.content.decode()
    assert Officer.objects.count() == 0


def test_csv_files_a_sheet_are_imported_together_from_the_page(fields, people):
    client = signed_in(people.home_affairs)
    files = [
        SimpleUploadedFile("vi-tri.csv", sheets.csv_file(Kind.POSITIONS, sheets.POSITIONS)),
        SimpleUploadedFile("can-bo.csv", sheets.csv_file(Kind.OFFICERS, sheets.OFFICERS)),
    ]
    response = client.post("/desk/nhan-su/nhap/", {"files": files})
    assert response.status_code == 200
    assert len(response.context["done"]) == 2


def test_an_officers_page_lists_the_secondments_and_roles_the_reader_sees(staffed, people):
    import datetime as dt

    from haicap.staffing.models import Secondment, SecondmentGrant, SecondmentPlan

    def plan(status: str) -> SecondmentPlan:
        return SecondmentPlan.objects.create(
            title=f"Phương án {status}",
            status=status,
            max_travel_minutes=60,
            max_per_agency=2,
            months=6,
            starts_on=dt.date(2026, 4, 1),
        )

    def second(plan_row: SecondmentPlan, decision: str) -> Secondment:
        return Secondment.objects.create(
            plan=plan_row,
            officer=staffed.an,
            from_agency=staffed.an.agency,
            to_agency=agency(BACH_HA_ECONOMIC),
            field=staffed.do_luong_land.field,
            start_date=dt.date(2026, 4, 1),
            end_date=dt.date(2026, 9, 30),
            decision_number=decision,
        )

    approved = second(plan("approved"), "12/QĐ-SNV")
    second(plan("draft"), "nháp")
    SecondmentGrant.objects.create(
        secondment=approved,
        user=people.do_luong,
        agency=agency(BACH_HA_ECONOMIC),
        role="specialist",
        granted_on=dt.date(2026, 4, 1),
    )
    home_affairs = signed_in(people.home_affairs).get(f"{OFFICERS}{staffed.an.pk}/")
    decisions = {s.decision_number for s, _grants in home_affairs.context["secondments"]}
    assert decisions == {"12/QĐ-SNV", "nháp"}
    host = signed_in(people.bach_ha_admin).get(f"{OFFICERS}{staffed.an.pk}/")
    assert host.status_code == 200  # seconded into Bạch Hà: its administrator reads the officer
    ((secondment, grants),) = host.context["secondments"]
    assert [role for _grant, role in grants] == ["Specialist"]
    assert secondment.decision_number == "12/QĐ-SNV"
    page = host.content.decode()
    assert "Specialist at Phòng Kinh tế xã Bạch Hà from 01/04/2026" in page
    assert host.context["citizen_id"] == MASKED_ID  # the host may not edit a guest's record


def test_the_staffing_pages_lead_to_each_other_as_far_as_the_reader_may_go(staffed, people):
    def links(user, url: str) -> set[str]:
        page = signed_in(user).get(url).content.decode()
        start = page.index('data-testid="staffing-nav"')
        nav = page[start : page.index("</nav>", start)]
        return set(re.findall(r'href="([^"]+)"', nav))

    everyone = {
        "/desk/nhan-su/thieu-hut/",
        "/desk/nhan-su/can-bo/",
        "/desk/nhan-su/vi-tri/",
        "/desk/nhan-su/dinh-muc/",
        "/desk/nhan-su/biet-phai/",
        "/desk/nhan-su/canh-bao/",
    }
    arranger = everyone | {"/desk/nhan-su/ke-hoach/", "/desk/nhan-su/nhap/"}
    assert links(people.home_affairs, "/desk/nhan-su/thieu-hut/") == arranger
    assert links(people.supervisor, OFFICERS) == everyone | {"/desk/nhan-su/ke-hoach/"}
    assert links(people.do_luong_admin, "/desk/nhan-su/vi-tri/") == everyone
