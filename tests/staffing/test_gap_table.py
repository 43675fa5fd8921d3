"""The gap table's figures, worked out by hand (``gap_world``), its order, filters and totals,
and what each reader sees."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from haicap.accounts.models import User
from haicap.core.errors import NotFound
from haicap.staffing import selectors
from haicap.staffing.models import Position
from haicap.staffing.norms import Reason
from haicap.units.models import AdministrativeUnit
from tests.staffing import gap_world
from tests.staffing.gap_world import BACH_HA, BACH_NGOC, DO_LUONG, THUAN_TRUNG, VAN_HIEN

# the world's fixtures, for this module's tests
staff_world, world, on_the_day = gap_world.staff_world, gap_world.world, gap_world.on_the_day

pytestmark = pytest.mark.django_db


def standing(table, code: str, field: str):
    unit = next(c for c in table.communes if c.code == code)
    return table.cell(unit.pk, field).standing


def figures(table, code: str, field: str) -> tuple:
    s = standing(table, code, field)
    return s.norm, s.own, s.seconded_in, s.seconded_out, s.filled, s.gap, s.surplus


def current_communes() -> int:
    return AdministrativeUnit.objects.filter(tier="commune", valid_to=None).count()


def test_each_cell_counts_the_norm_the_officers_and_the_gap(world):
    table = selectors.gap_table(world.authority)
    #                                                  norm own in out filled gap surplus
    assert figures(table, DO_LUONG, "DATDAI") == (2, 2, 0, 1, 1, 1, 0)
    assert figures(table, DO_LUONG, "CNTT") == (1, 2, 0, 0, 2, 0, 1)
    assert figures(table, BACH_HA, "DATDAI") == (1, 0, 1, 0, 1, 0, 0)
    assert figures(table, BACH_HA, "CNTT") == (2, 0, 0, 0, 0, 2, 0)
    assert figures(table, BACH_NGOC, "DATDAI") == (4, 1, 0, 0, 1, 3, 0)
    assert figures(table, BACH_NGOC, "CNTT") == (1, 0, 1, 0, 1, 0, 0)
    assert figures(table, VAN_HIEN, "DATDAI") == (1, 0, 0, 0, 0, 1, 0)
    assert figures(table, VAN_HIEN, "CNTT") == (1, 0, 0, 0, 0, 1, 0)


def test_the_workload_behind_a_norm_is_the_fields_dossiers_a_month_and_those_overdue(world):
    table = selectors.gap_table(world.authority)
    assert table.on == dt.date(2026, 4, 1)
    assert table.window == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    land = standing(table, DO_LUONG, "DATDAI")
    assert (land.dossiers_per_month, land.overdue_open) == (Decimal("4.0"), 9)
    quiet = standing(table, BACH_HA, "DATDAI")
    assert (quiet.dossiers_per_month, quiet.overdue_open) == (Decimal(0), 0)


def test_without_dossiers_a_workload_norm_is_the_minimum(on_the_day):
    table = selectors.gap_table(on_the_day.authority)
    assert figures(table, DO_LUONG, "DATDAI") == (1, 2, 0, 1, 1, 0, 0)


def test_each_cell_says_why(world):
    table = selectors.gap_table(world.authority)
    reasons = {
        (code, field): standing(table, code, field).reason
        for code in (DO_LUONG, BACH_HA, BACH_NGOC, VAN_HIEN)
        for field in ("DATDAI", "CNTT")
    }
    assert reasons == {
        (DO_LUONG, "DATDAI"): Reason.SECONDED_OUT,
        (DO_LUONG, "CNTT"): Reason.SURPLUS,
        (BACH_HA, "DATDAI"): Reason.COVERED,
        (BACH_HA, "CNTT"): Reason.NO_OFFICER,
        (BACH_NGOC, "DATDAI"): Reason.FIXED,
        (BACH_NGOC, "CNTT"): Reason.COVERED,
        (VAN_HIEN, "DATDAI"): Reason.NO_OFFICER,
        (VAN_HIEN, "CNTT"): Reason.NO_OFFICER,
    }
    cell = table.cell(world.communes.do_luong.pk, "DATDAI")
    with translation.override("vi"):
        assert cell.sentence == (
            "Xã Đô Lương đủ công chức đất đai theo định mức (cần 2 người) nhưng 1 người đang "
            "được biệt phái sang xã Bạch Hà đến 14/09/2026, chỉ còn 1; 9 hồ sơ đất đai đang quá "
            "hạn."
        )
        # a commune covered only thanks to an officer seconded in says so, and from where
        assert table.cell(world.communes.bach_ha.pk, "DATDAI").sentence == (
            "Xã Bạch Hà có đủ 1 công chức đất đai theo định mức, trong đó 1 người biệt phái đến "
            "từ xã Đô Lương đến 14/09/2026."
        )
        assert table.cell(world.communes.bach_ngoc.pk, "CNTT").sentence == (
            "Xã Bạch Ngọc có đủ 1 công chức công nghệ thông tin theo định mức, trong đó 1 người "
            "biệt phái đến từ Sở Nội vụ đến 30/06/2026."
        )


def test_a_secondment_counts_from_its_start_date_and_only_once_approved(staff_world):
    before = selectors.gap_table(staff_world.authority, on=dt.date(2026, 3, 14))
    assert figures(before, BACH_HA, "DATDAI")[1:5] == (0, 0, 0, 0)
    assert figures(before, DO_LUONG, "DATDAI")[1:5] == (2, 0, 0, 2)
    first_day = selectors.gap_table(staff_world.authority, on=dt.date(2026, 3, 15))
    assert figures(first_day, BACH_HA, "DATDAI")[1:5] == (0, 1, 0, 1)
    # Giang's secondment to Văn Hiến ended on 1 March; An's to Văn Hiến is only proposed
    assert figures(first_day, VAN_HIEN, "DATDAI")[1:5] == (0, 0, 0, 0)
    assert figures(first_day, BACH_NGOC, "DATDAI")[1:5] == (1, 0, 0, 1)
    last_day = selectors.gap_table(staff_world.authority, on=dt.date(2026, 9, 14))
    assert figures(last_day, BACH_HA, "DATDAI")[1:5] == (0, 1, 0, 1)
    after = selectors.gap_table(staff_world.authority, on=dt.date(2026, 9, 15))
    assert figures(after, BACH_HA, "DATDAI")[1:5] == (0, 0, 0, 0)


def test_the_rows_are_in_vietnamese_alphabetical_order(on_the_day):
    names = [c.name for c in selectors.gap_table(on_the_day.authority).communes]
    assert len(names) == current_communes()
    assert names.index("Bạch Hà") < names.index("Bạch Ngọc") < names.index("Đô Lương")
    # Đ is a letter of its own, after D and before E: not after V, as code points would have it
    last_d = max(i for i, n in enumerate(names) if n[0] == "D")
    first_after_d = min(i for i, n in enumerate(names) if n[0] not in "ABCDĐ")
    assert last_d < names.index("Đô Lương") < first_after_d
    assert names.index("Đô Lương") < names.index("Văn Hiến")


def test_the_columns_are_the_fields_in_vietnamese_order_and_a_field_without_norm_has_no_cells(
    on_the_day,
):
    table = selectors.gap_table(on_the_day.authority)
    assert [f.code for f in table.fields] == ["CNTT", "DATDAI", "YTE"]
    assert table.cell(on_the_day.communes.van_hien.pk, "YTE") is None


def test_the_filters_narrow_to_a_field_to_communes_short_and_to_a_name(on_the_day):
    user = on_the_day.authority
    land = selectors.gap_table(user, field_code="DATDAI")
    assert [f.code for f in land.fields] == ["DATDAI"]
    assert {code for (_unit, code) in land.cells} == {"DATDAI"}
    named = selectors.gap_table(user, query="bach")
    assert [c.name for c in named.communes] == ["Bạch Hà", "Bạch Ngọc"]
    assert [c.name for c in selectors.gap_table(user, query="Đô  LƯƠNG").communes] == ["Đô Lương"]
    short_in_land = selectors.gap_table(user, field_code="DATDAI", short_only=True, query="bach")
    assert [c.name for c in short_in_land.communes] == ["Bạch Ngọc"]  # Bạch Hà is covered
    short_anywhere = selectors.gap_table(user, short_only=True, query="bach")
    assert [c.name for c in short_anywhere.communes] == ["Bạch Hà", "Bạch Ngọc"]
    # without dossiers, Đô Lương needs 1 land officer and has 1, and has 2 IT officers for 1
    assert selectors.gap_table(user, short_only=True, query="Đô Lương").communes == []


def test_the_totals_add_up_the_rows_shown_gaps_and_surpluses_apart(world):
    table = selectors.gap_table(world.authority, query="Bạch")
    bach_ha, bach_ngoc = table.communes
    assert (table.row_total(bach_ha.pk).norm, table.row_total(bach_ha.pk).filled) == (3, 1)
    assert table.row_total(bach_ha.pk).gap == 2
    assert table.row_total(bach_ngoc.pk).gap == 3
    land, it = table.column_total("DATDAI"), table.column_total("CNTT")
    assert (land.norm, land.filled, land.gap) == (5, 2, 3)
    assert (it.norm, it.filled, it.gap) == (3, 1, 2)
    assert (table.total().norm, table.total().filled, table.total().gap) == (8, 3, 5)
    with_surplus = selectors.gap_table(world.authority, query="Đô Lương").total()
    # 1 land officer short and 1 IT officer over: the surplus does not fill the gap
    assert (with_surplus.gap, with_surplus.surplus) == (1, 1)


def test_home_affairs_and_supervisors_read_the_province(on_the_day):
    for user in (on_the_day.authority, User.objects.get(username="giamsat")):
        assert len(selectors.gap_table(user).communes) == current_communes()


def test_a_commune_reads_its_own_row_only(on_the_day):
    own = User.objects.get(username="chuyenvien.doluong")
    table = selectors.gap_table(own)
    assert [c.code for c in table.communes] == [DO_LUONG]
    assert selectors.commune_field_standing(own, on_the_day.communes.do_luong.pk, "DATDAI")
    with pytest.raises(NotFound):
        selectors.commune_field_standing(own, on_the_day.communes.bach_ha.pk, "DATDAI")


def test_a_department_that_does_not_administer_staff_reads_no_commune(on_the_day):
    justice = User.objects.get(username="chuyenvien.sotuphap")
    assert selectors.gap_table(justice).communes == []


def test_a_field_without_norm_or_a_former_commune_has_no_standing_page(on_the_day):
    user = on_the_day.authority
    with pytest.raises(NotFound):
        selectors.commune_field_standing(user, on_the_day.communes.van_hien.pk, "YTE")
    former = AdministrativeUnit.objects.filter(tier="commune").exclude(valid_to=None).first()
    with pytest.raises(NotFound):
        selectors.commune_field_standing(user, former.pk, "DATDAI")


def test_the_standing_page_lists_the_officers_behind_the_figures(on_the_day):
    people = on_the_day.officers
    found = selectors.commune_field_standing(
        on_the_day.authority, on_the_day.communes.do_luong.pk, "DATDAI"
    )
    assert [o.full_name for o in found.own] == [people.an.full_name, people.binh.full_name]
    assert [s.officer for s in found.seconded_out] == [people.binh]
    assert found.seconded_in == []
    assert set(found.away) == {people.binh.pk}
    host = selectors.commune_field_standing(
        on_the_day.authority, on_the_day.communes.bach_ha.pk, "DATDAI"
    )
    assert host.own == [] and [s.officer for s in host.seconded_in] == [people.binh]


def test_an_officer_moved_since_the_secondment_began_is_away_from_the_commune_that_counts_him(
    on_the_day,
):
    """Bình, seconded from Đô Lương to Bạch Hà, is moved to a post in Thuận Trung: Thuận Trung
    counts him as its own, away; Đô Lương no longer counts him at all."""
    binh = on_the_day.officers.binh
    post, _made = Position.objects.get_or_create(
        agency=gap_world.agency(f"{THUAN_TRUNG}.03.H40"),
        field=on_the_day.land,
        grade="Chuyên viên",
        defaults={"approved": 2},
    )
    binh.agency, binh.position = post.agency, post
    binh.save()
    table = selectors.gap_table(on_the_day.authority)
    #                                       norm own in out filled gap surplus
    assert figures(table, DO_LUONG, "DATDAI") == (1, 1, 0, 0, 1, 0, 0)
    assert figures(table, THUAN_TRUNG, "DATDAI") == (1, 1, 0, 1, 0, 1, 0)
    assert figures(table, BACH_HA, "DATDAI") == (1, 0, 1, 0, 1, 0, 0)
    away = selectors.commune_field_standing(
        on_the_day.authority, gap_world.commune(THUAN_TRUNG).pk, "DATDAI"
    )
    assert [s.officer for s in away.seconded_out] == [binh]
