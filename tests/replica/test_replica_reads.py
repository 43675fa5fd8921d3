"""The dashboards read from a real streaming replica, and fall back to the primary when they
must: after the reader's own write, when the replica is down, when it lags too far."""

import time

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from haicap.accounts.services import issue_api_token
from haicap.catalog.models import Field
from haicap.core import replica_health
from haicap.kpi.models import FieldMonthlyFigures
from haicap.kpi.views import today
from haicap.units.kinds import Duty
from haicap.units.models import Agency, AgencyDuty

PROVINCE_READER = "lanhdao.tinh"
MARK = 987  # dossiers received this month, a number the empty demo province shows nowhere else


def write_figures(received: int, agency_code: str | None = None) -> None:
    """This month's figures of one agency and field, written on the primary."""
    agencies = Agency.objects.filter(code=agency_code) if agency_code else Agency.objects
    agency = agencies.order_by("pk").first()
    FieldMonthlyFigures.objects.update_or_create(
        period=today().replace(day=1),
        agency=agency,
        field=Field.objects.order_by("pk").first(),
        defaults={"unit_id": agency.unit_id, "received": received},
    )


def shows(client: Client, name: str, received: int) -> bool:
    response = client.get(reverse(name))
    assert response.status_code == 200
    return f">{received}<" in response.content.decode()


def reader(username: str = PROVINCE_READER) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_dashboards_read_the_replica_and_other_pages_the_primary(replicated) -> None:
    replicated.standby.one("SELECT pg_wal_replay_pause()")
    write_figures(MARK)
    assert FieldMonthlyFigures.objects.filter(received=MARK).exists()  # on the primary
    client = reader()
    assert not shows(client, "desk:indicators", MARK)
    assert not shows(Client(), "portal:figures", MARK)
    replicated.standby.one("SELECT pg_wal_replay_resume()")
    replicated.wait_replayed()
    assert shows(client, "desk:indicators", MARK)
    assert shows(Client(), "portal:figures", MARK)


def test_whoever_has_just_written_reads_from_the_primary(replicated, settings) -> None:
    replicated.standby.one("SELECT pg_wal_replay_pause()")
    write_figures(MARK)
    writer, writer_elsewhere, refused = reader(), reader(), reader()
    assert not shows(writer, "desk:indicators", MARK)
    assert refused.post("/api/v1/reports", {}, content_type="application/json").status_code == 422
    assert not shows(refused, "desk:indicators", MARK)  # a refused write pins no one
    assert writer.post(reverse("desk:notices_read"), {"all": "1"}).status_code == 302
    assert shows(writer, "desk:indicators", MARK)  # the cookie, and the user
    # Another browser of the same user (or an API client with a token: no cookie either).
    assert shows(writer_elsewhere, "desk:indicators", MARK)
    assert not shows(Client(), "portal:figures", MARK)  # everyone else: the replica


def test_a_write_through_the_api_keeps_its_user_on_the_primary(replicated) -> None:
    username, agency = "chuyenvien.sonoivu", "000.03.00.H40"  # Home Affairs drafts plans
    replicated.standby.one("SELECT pg_wal_replay_pause()")
    write_figures(MARK, agency)
    page = reader(username)
    assert not shows(page, "desk:indicators", MARK)
    AgencyDuty.objects.get_or_create(agency=Agency.objects.get(code=agency), duty=Duty.STAFFING)
    user = get_user_model().objects.get(username=username)
    _token, plaintext = issue_api_token(user, user, "replica test")
    api = Client(headers={"Authorization": f"Bearer {plaintext}"})  # sends no cookie back
    plan = {"title": "Thử", "starts_on": "2026-12-01", "months": 6, "max_travel_minutes": 60,
            "max_per_agency": 2}  # fmt: skip
    answer = api.post("/api/v1/staffing/plans", plan, content_type="application/json")
    assert answer.status_code == 201, answer.content
    assert shows(page, "desk:indicators", MARK)


def test_the_primary_reads_last_only_as_long_as_set(replicated, settings) -> None:
    settings.REPLICA_STICKY_SECONDS = 1
    replicated.standby.one("SELECT pg_wal_replay_pause()")
    write_figures(MARK)
    writer = reader()
    assert writer.post(reverse("desk:notices_read"), {"all": "1"}).status_code == 302
    assert shows(writer, "desk:indicators", MARK)
    time.sleep(1.5)
    assert not shows(writer, "desk:indicators", MARK)


def test_a_replica_that_stops_is_read_around(replicated, settings) -> None:
    settings.REPLICA_CHECK_SECONDS = 600  # the verdict "usable" is kept when it stops
    client = reader()
    assert not shows(client, "desk:indicators", MARK)  # a connection to the replica is open
    replicated.standby.one("SELECT pg_wal_replay_pause()")
    write_figures(MARK)
    replicated.standby.stop()
    # The read on the replica fails half-way: the page is read again from the primary.
    assert shows(client, "desk:indicators", MARK)
    # Checked again, the replica is down: the primary at once, without trying it first.
    replica_health.forget()
    started = time.monotonic()
    assert shows(Client(), "portal:figures", MARK)
    assert replica_health.replica_usable() is False
    assert time.monotonic() - started < 10


def test_a_replica_lagging_past_the_limit_is_read_around(replicated, settings) -> None:
    settings.REPLICA_MAX_LAG_SECONDS = 4
    write_figures(111)
    replicated.wait_replayed()  # the replica's last transaction is a moment old
    replicated.standby.one("SELECT pg_wal_replay_pause()")
    write_figures(MARK)
    assert shows(Client(), "portal:figures", 111)  # behind, but within the limit
    time.sleep(4.5)
    assert shows(Client(), "portal:figures", MARK)  # too far behind: the primary


def test_an_idle_replica_that_has_replayed_everything_is_not_behind(replicated, settings) -> None:
    settings.REPLICA_MAX_LAG_SECONDS = 1
    write_figures(111)
    replicated.wait_replayed()
    time.sleep(1.5)  # nothing new: the last replay grows old, the replica is still current
    assert replica_health.replica_usable() is True
