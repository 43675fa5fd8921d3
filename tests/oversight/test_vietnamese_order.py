"""Issue 15: names in oversight lists are in Vietnamese alphabetical order (Đ after D, before
E; never after Z), and the participants offered are the people of the group's agencies, not the
system's administrator."""

import pytest

from haicap.catalog.models import Field
from haicap.oversight import selectors
from haicap.oversight.conclusion_notice import notice_of
from haicap.units.models import Agency
from tests.oversight.conftest import DO_LUONG, PPC_OFFICE, VAN_HIEN, agency, staff

pytestmark = pytest.mark.django_db


def test_the_administrator_is_not_offered_as_a_participant(people, group):
    offered = set(selectors.possible_participants(group))
    assert people.admin.memberships.filter(agency__code=PPC_OFFICE).exists()  # the trap
    assert people.admin not in offered
    assert {people.secretary, people.finance, people.home_affairs} <= offered


def test_participants_are_offered_in_vietnamese_order(people, group):
    dang = staff("chuyenvien.dang", PPC_OFFICE)
    dang.full_name = "Đặng Văn Bình"
    dang.save(update_fields=["full_name"])
    yen = staff("chuyenvien.yen", PPC_OFFICE)
    yen.full_name = "Yên Thị Hoa"
    yen.save(update_fields=["full_name"])
    names = [p.full_name for p in selectors.possible_participants(group)]
    assert names.index("Đặng Văn Bình") < names.index("Yên Thị Hoa")


def test_the_pack_and_the_notice_name_do_luong_before_van_hien(people, visit):
    pack = selectors.briefing_pack(people.secretary, visit.inspection)
    assert [c.commune.code for c in pack.communes] == [DO_LUONG, VAN_HIEN]
    notice = notice_of(people.secretary, visit.inspection.pk)
    assert [f.commune for f in notice.findings] == ["Xã Đô Lương", "Xã Văn Hiến"]
    page = selectors.inspection_with_findings(people.secretary, visit.inspection.pk)
    assert [c.code for c in page.communes.all()] == [DO_LUONG, VAN_HIEN]


def test_fields_sort_dat_dai_among_the_ds(db):
    names = [f.name for f in selectors.staffed_fields()]
    dat_dai = Field.objects.get(code="DATDAI").name
    assert dat_dai.startswith("Đ")
    after = [n for n in names if n[0] in "EÊGHKLMNOÔƠPQRSTUƯVXY"]
    assert after and names.index(dat_dai) < min(names.index(n) for n in after)


def test_the_agencies_to_act_put_communes_first_and_do_luong_before_van_hien(people, visit):
    agencies = list(selectors.agencies_to_act(visit.inspection))
    units = [a.unit.code for a in agencies if a.unit.tier == "commune"]
    assert units.index(DO_LUONG) < units.index(VAN_HIEN)
    assert all(a.unit.tier == "commune" for a in agencies[: len(units)])
    assert isinstance(agencies[0], Agency) and agency(PPC_OFFICE) in agencies
