"""From the start date the host counts the seconded officer: their queue holds the host's
dossiers, and the host's figures count them while the donor's count them out; not the day
before, nor after the end date."""

import datetime as dt

import pytest

from haicap.accounts.models import User
from haicap.catalog.models import Procedure
from haicap.core import clock
from haicap.core.roles import Role
from haicap.dossiers import services
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.selectors import visible_dossiers, work_queues
from haicap.staffing.effect import apply_secondments
from haicap.staffing.standings import province_standings
from tests.staffing.effect_world import (
    BACH_HA_DESK,
    END,
    START,
    agency,
    at,
    land_norm,
    make_world,
    staff,
)

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)
BIRTH = "X.HT.001"  # no fee: forwarded, it waits at the commune's specialists' step


@pytest.fixture
def world(db):
    return make_world()


def bach_ha_dossier() -> str:
    """A dossier received at xã Bạch Hà's desk on 30 March and forwarded to its specialists."""
    desk = staff("tiepnhan.bachha", BACH_HA_DESK, Role.INTAKE_OFFICER)
    with clock.fixed_at(at(START - 2 * DAY)):
        code = services.receive(
            desk,
            procedure=Procedure.objects.get(national_code=BIRTH),
            receiving_agency=agency(BACH_HA_DESK),
            applicant=Applicant(name="Lê Thị Hà", id_number="040195012345"),
        ).dossier.code
        services.act(desk, code, "forward")
    return code


def queue_of(account: User, day: dt.date) -> set[str]:
    fresh = User.objects.get(pk=account.pk)  # as a new request would read it
    moment = at(day, hour=10)
    queues = work_queues(fresh, moment, moment + DAY)
    return {d.code for d in queues["unassigned"]}


def test_the_seconded_officer_sees_the_hosts_dossier_in_their_queue_from_the_start_date(world):
    code = bach_ha_dossier()
    with clock.fixed_at(at(START - DAY, hour=2)):
        apply_secondments()
    assert code not in queue_of(world.account, START - DAY)
    assert not visible_dossiers(User.objects.get(pk=world.account.pk)).filter(code=code).exists()
    with clock.fixed_at(at(START, hour=2)):
        apply_secondments()
    assert code in queue_of(world.account, START)
    assert visible_dossiers(User.objects.get(pk=world.account.pk)).filter(code=code).exists()
    with clock.fixed_at(at(END + DAY, hour=2)):
        apply_secondments()
    assert code not in queue_of(world.account, END + DAY)


def filled(day: dt.date, commune: str) -> int:
    unit_id = agency(f"{commune}.01.H40").unit_id
    return province_standings(on=day, unit_ids=[unit_id]).of(unit_id, "DATDAI").filled


def test_the_host_counts_the_officer_and_the_donor_counts_them_out_while_it_runs(world):
    land_norm()
    host, donor = "17707", "17662"  # Bạch Hà, Đô Lương
    before = filled(START - DAY, host), filled(START - DAY, donor)
    # both of Đô Lương's land officers go to Bạch Hà (one has no account: the figures count
    # them all the same)
    assert (filled(START, host) - before[0], filled(START, donor) - before[1]) == (2, -2)
    assert (filled(END, host) - before[0], filled(END, donor) - before[1]) == (2, -2)
    assert (filled(END + DAY, host), filled(END + DAY, donor)) == before
    standing = province_standings(on=START).of(agency("17707.01.H40").unit_id, "DATDAI")
    assert standing.seconded_in == 2
