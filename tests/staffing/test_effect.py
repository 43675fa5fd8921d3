"""The worker gives a seconded officer's account its role at the host on the start date and
takes it back the day after the end date: idempotently, audited, and never a role the account
held before."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from haicap.accounts.models import Membership
from haicap.core import clock
from haicap.core.models import AuditRecord
from haicap.core.roles import Role
from haicap.staffing.effect import apply_secondments, host_role, run_scheduled
from haicap.staffing.models import SecondmentGrant, SecondmentPlan
from tests.staffing.effect_world import (
    BACH_HA_DESK,
    BACH_HA_ECONOMY,
    END,
    START,
    agency,
    at,
    make_world,
    plan,
    second,
    staff,
)

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


@pytest.fixture
def world(db):
    return make_world()


def holds(world, role: Role = Role.SPECIALIST, at_agency: str = BACH_HA_ECONOMY) -> bool:
    return Membership.objects.filter(
        user=world.account, agency=agency(at_agency), role=role
    ).exists()


def run_on(day: dt.date):
    with clock.fixed_at(at(day, hour=2)):  # the nightly job's hour
        return apply_secondments()


def test_the_role_is_granted_on_the_start_date_not_before(world):
    assert run_on(START - DAY).granted == []
    assert not holds(world)
    done = run_on(START)
    assert [g.secondment for g in done.granted] == [world.secondment]
    assert holds(world)
    grant = SecondmentGrant.objects.get(secondment=world.secondment)
    assert (grant.user, grant.agency, grant.role) == (
        world.account,
        agency(BACH_HA_ECONOMY),
        Role.SPECIALIST,
    )
    assert grant.granted_on == START and grant.revoked_on is None and not grant.already_held


def test_an_officer_without_an_account_gets_nothing(world):
    run_on(START)
    assert not SecondmentGrant.objects.filter(secondment=world.other).exists()


def test_the_role_stays_through_the_end_date_and_goes_the_day_after(world):
    run_on(START)
    assert run_on(END).taken_back == []
    assert holds(world)
    done = run_on(END + DAY)
    assert [g.secondment for g in done.taken_back] == [world.secondment]
    assert not holds(world)
    assert SecondmentGrant.objects.get(secondment=world.secondment).revoked_on == END + DAY
    # the officer's home role is untouched
    assert holds(world, at_agency="17662.03.H40")


def test_a_missed_night_catches_up_on_the_next_run(world):
    done = run_on(START + 3 * DAY)  # the worker was down from the 1st to the 3rd
    assert len(done.granted) == 1
    assert SecondmentGrant.objects.get().granted_on == START + 3 * DAY


def test_a_role_the_account_held_before_is_kept_at_the_end(world):
    staff("canbo.dat", BACH_HA_ECONOMY)  # already a specialist at the host
    run_on(START)
    grant = SecondmentGrant.objects.get(secondment=world.secondment)
    assert grant.already_held
    at_host = Membership.objects.filter(user=world.account, agency=agency(BACH_HA_ECONOMY))
    assert at_host.count() == 1
    run_on(END + DAY)
    assert holds(world)
    assert SecondmentGrant.objects.get(secondment=world.secondment).revoked_on == END + DAY


def test_a_superseded_plan_takes_the_role_back(world):
    run_on(START)
    # version 2, approved on 10 April, no longer seconds the officer
    world.plan.status = SecondmentPlan.Status.SUPERSEDED
    world.plan.save()
    plan(revises=world.plan, version=2)
    done = run_on(START + 9 * DAY)
    assert [g.secondment for g in done.taken_back] == [world.secondment]
    assert not holds(world)


def test_a_new_version_repeating_the_secondment_keeps_the_role_throughout(world):
    run_on(START)
    world.plan.status = SecondmentPlan.Status.SUPERSEDED
    world.plan.save()
    repeated = second(plan(revises=world.plan, version=2), world.officer, end=END + 30 * DAY)
    membership = Membership.objects.get(user=world.account, agency=agency(BACH_HA_ECONOMY))
    done = run_on(START + 9 * DAY)
    assert [g.secondment for g in done.granted] == [repeated]
    assert [g.secondment for g in done.taken_back] == [world.secondment]
    # the same membership all along: not taken away and given again
    assert Membership.objects.get(user=world.account, agency=agency(BACH_HA_ECONOMY)) == membership
    new_grant = SecondmentGrant.objects.get(secondment=repeated)
    assert not new_grant.already_held  # the secondment gave it: it goes when this one ends
    run_on(END + DAY)
    assert holds(world)  # version 2 runs 30 days longer
    run_on(END + 31 * DAY)
    assert not holds(world)


def test_running_twice_changes_nothing_more(world):
    first = run_on(START)
    memberships = Membership.objects.count()
    audited = AuditRecord.objects.count()
    again = run_on(START)
    assert len(first.granted) == 1 and again.granted == [] and again.taken_back == []
    assert Membership.objects.count() == memberships
    assert AuditRecord.objects.count() == audited
    run_on(END + DAY)
    audited = AuditRecord.objects.count()
    assert run_on(END + 2 * DAY).taken_back == []
    assert AuditRecord.objects.count() == audited
    assert SecondmentGrant.objects.count() == 1


def test_each_grant_and_take_back_is_audited_under_the_jobs_name(world):
    with clock.fixed_at(at(START, hour=2)):
        summary = run_scheduled()
    assert "1 secondment roles granted" in summary
    grant = SecondmentGrant.objects.get()
    records = AuditRecord.objects.filter(actor_label="worker")
    granted = records.get(action="secondment.role_granted")
    assert granted.object_id == str(grant.pk) and granted.after["role"] == "specialist"
    membership = records.get(action="membership.granted")
    assert membership.after["agency_id"] == agency(BACH_HA_ECONOMY).pk
    with clock.fixed_at(at(END + DAY, hour=2)):
        run_scheduled()
    taken = records.get(action="secondment.role_taken_back")
    assert taken.before["revoked_on"] is None and taken.after["revoked_on"] == "2026-10-01"
    assert records.filter(action="membership.revoked").count() == 1


def test_the_officers_scope_is_forgotten_so_the_host_shows_at_once(world):
    account = world.account
    assert agency(BACH_HA_ECONOMY).unit_id not in account.scope.communes  # cached now
    with clock.fixed_at(at(START, hour=2)):
        done = apply_secondments()
    user = done.granted[0].user
    assert agency(BACH_HA_ECONOMY).unit_id in user.scope.communes


def test_a_secondment_to_a_one_stop_desk_gives_the_intake_role(world):
    assert host_role(agency(BACH_HA_DESK)) == Role.INTAKE_OFFICER
    assert host_role(agency(BACH_HA_ECONOMY)) == Role.SPECIALIST
    at_desk = plan(version=1)
    second(at_desk, world.officer, to=BACH_HA_DESK, start=START + 5 * DAY)
    run_on(START + 5 * DAY)
    assert holds(world, Role.INTAKE_OFFICER, BACH_HA_DESK)
    assert not holds(world, Role.SPECIALIST, BACH_HA_DESK)


def test_a_relinked_account_moves_the_role(world):
    run_on(START)
    other = staff("canbo.dat2", "17662.03.H40")
    world.officer.user = other
    world.officer.save()
    done = run_on(START + DAY)
    assert [g.user for g in done.taken_back] == [world.account]
    assert [g.user for g in done.granted] == [other]
    assert not holds(world)
    assert Membership.objects.filter(user=other, agency=agency(BACH_HA_ECONOMY)).exists()


def test_the_command_does_it_once_and_says_what_it_did(world):
    out = StringIO()
    with clock.fixed_at(at(START, hour=8)):
        call_command("apply_secondments", "--no-warnings", stdout=out)
    assert "granted specialist" in out.getvalue() and "canbo.dat" in out.getvalue()
    assert holds(world)
    record = AuditRecord.objects.get(action="secondment.role_granted")
    assert record.actor_label == "apply_secondments"
    again = StringIO()
    with clock.fixed_at(at(START, hour=9)):
        call_command("apply_secondments", "--no-warnings", stdout=again)
    assert "0 secondment roles granted, 0 taken back" in again.getvalue()


def test_the_system_may_revoke_a_membership_and_it_is_audited(world):
    from haicap.accounts.services import revoke_membership
    from haicap.core.context import acting_as

    membership = Membership.objects.get(user=world.account)
    with acting_as("worker"):
        revoke_membership(None, membership)
    assert not Membership.objects.filter(user=world.account).exists()
    record = AuditRecord.objects.get(action="membership.revoked")
    assert record.actor_label == "worker" and record.actor is None
