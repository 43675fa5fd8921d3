"""The officer's notifications page: the dossiers' and the directives' warnings together, newest
first, the unread marked and counted in the menu, and marking them read (audited)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from haicap.calendar.workdays import VIETNAM
from haicap.core.models import AuditRecord
from haicap.core.notices import Notice, newest_first
from haicap.dossiers.models import Notification
from haicap.oversight.models import DirectiveNotification
from tests.conftest import client_for
from tests.desk.test_dossier_pages import received
from tests.oversight.conftest import group, people, visit  # noqa: F401  (the oversight world)

pytestmark = pytest.mark.django_db
OFFICER = "chuyenvien.noivu"  # Home Affairs: leads the staffing directive


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 6, day, hour, tzinfo=VIETNAM)


@pytest.fixture
def three(people, visit, user):  # noqa: F811
    """A directive due soon (1 June), a dossier overdue (2 June), the directive overdue (3 June),
    all for the Home Affairs officer; and one for someone else."""
    dossier = received(user)[0]
    me = people.home_affairs
    soon = DirectiveNotification.objects.create(
        recipient=me, directive=visit.staffing, kind="due_soon", created_at=at(1, 8)
    )
    late = Notification.objects.create(
        recipient=me, dossier=dossier, kind="overdue", created_at=at(2, 8)
    )
    overdue = DirectiveNotification.objects.create(
        recipient=me, directive=visit.staffing, kind="overdue", created_at=at(3, 8)
    )
    Notification.objects.create(
        recipient=people.finance, dossier=dossier, kind="overdue", created_at=at(4, 8)
    )
    return dossier, soon, late, overdue


def test_an_officer_reads_both_kinds_newest_first_with_the_unread_counted(three, visit):  # noqa: F811
    dossier = three[0]
    client = client_for(OFFICER)
    page = client.get(reverse("desk:notices")).content.decode()
    rows = page.split('data-testid="notice"')[1:]
    assert len(rows) == 3  # not the finance officer's
    assert "Nhiệm vụ quá hạn" in rows[0] and visit.staffing.title in rows[0]
    assert dossier.code in rows[1] and reverse("desk:dossier", args=[dossier.code]) in rows[1]
    assert "Nhiệm vụ sắp đến hạn" in rows[2]
    assert all('data-testid="unread"' in row for row in rows)
    assert 'data-testid="unread-count">(3)' in page  # the menu


def test_marking_one_read_and_then_all(three):
    late = three[2]
    client = client_for(OFFICER)
    client.post(reverse("desk:notices_read"), {"source": "dossiers", "id": late.pk})
    late.refresh_from_db()
    assert late.read_at is not None
    page = client.get(reverse("desk:notices")).content.decode()
    assert page.count('data-testid="unread"') == 2 and "(2)" in page
    assert AuditRecord.objects.filter(action="notice.read").count() == 1
    client.post(reverse("desk:notices_read"), {"all": "1"})
    page = client.get(reverse("desk:notices")).content.decode()
    assert 'data-testid="unread"' not in page and 'data-testid="unread-count"' not in page
    assert AuditRecord.objects.filter(action="notice.read").count() == 2  # directives' only


def test_no_one_marks_anothers_notice(three):
    late = three[2]
    client_for("chuyenvien.sotaichinh").post(
        reverse("desk:notices_read"), {"source": "dossiers", "id": late.pk}
    )
    late.refresh_from_db()
    assert late.read_at is None
    answer = client_for(OFFICER).post(reverse("desk:notices_read"), {"source": "x", "id": "1"})
    assert answer.status_code == 302


def test_the_menus_count_is_asked_once_per_page(three):
    with CaptureQueriesContext(connection) as seen:
        client_for(OFFICER).get(reverse("desk:dossier_list"))
    counted = [q for q in seen.captured_queries if "notification" in q["sql"]]
    assert len(counted) == 3  # one per source: dossiers, directives, petitions


def test_an_officer_without_notices_is_told_so():
    page = client_for("tiepnhan.doluong").get(reverse("desk:notices")).content.decode()
    assert 'data-testid="no-notices"' in page and 'data-testid="unread-count"' not in page


def test_notices_of_several_sources_merge_newest_first():
    def notice(source: str, id: int, day: int) -> Notice:
        return Notice(source, id, "k", "s", "/", at(day, 8), False, False)

    merged = newest_first(
        [[notice("b", 2, 3), notice("b", 1, 1)], [notice("a", 9, 2), notice("a", 8, 1)]], 3
    )
    assert [(n.source, n.id) for n in merged] == [("b", 2), ("a", 9), ("a", 8)]
