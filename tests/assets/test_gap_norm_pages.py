"""The equipment norm pages: everyone reads the norms with their notes; Finance's officers add,
change and remove them (one per kind and per desk or office), audited."""

import pytest
from django.conf import settings

from haicap.accounts.models import User
from haicap.assets.models import EquipmentNorm
from haicap.assets.services.norms import NormSpec, remove_norm, save_norm
from haicap.core.errors import Conflict, InvalidInput, PermissionDenied
from haicap.core.models import AuditRecord
from tests.assets import gap_world
from tests.assets.gap_world import COMMUNE_LEADER, ILLUSTRATIVE, SPECIALIST, kind
from tests.conftest import client_for
from tests.staffing.page_parts import part, parts

world = gap_world.world

pytestmark = pytest.mark.django_db
NORMS = "/desk/tai-san/dinh-muc/"


def english(username: str):
    client = client_for(username)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def user(username: str) -> User:
    return User.objects.get(username=username)


def test_everyone_reads_the_norms_and_their_notes(world):
    html = english(COMMUNE_LEADER).get(NORMS).content.decode()
    rows = [p.text for p in parts(html, "norm-row")]
    assert rows == [
        f"Máy in Per office of a commune 1 {ILLUSTRATIVE}",
        f"Máy quét Per one-stop desk 1 {ILLUSTRATIVE}",
        f"Máy tính Per one-stop desk 2 {ILLUSTRATIVE}",
        f"Máy tính Per office of a commune 1 {ILLUSTRATIVE}",
    ]
    assert parts(html, "norm-new") == []  # a commune does not set them


def test_finance_adds_a_norm_and_the_gap_table_follows(world):
    client = english(SPECIALIST)
    kiosk = kind("queue_kiosk", "Máy lấy số thứ tự")
    assert part(client.get(NORMS).content.decode(), "norm-new").links == [f"{NORMS}moi/"]
    response = client.post(
        f"{NORMS}moi/", {"kind": kiosk.pk, "per": "desk", "count": 1, "note": "Minh họa"}
    )
    assert response.status_code == 302
    norm = EquipmentNorm.objects.get(kind=kiosk)
    assert (norm.per, norm.count, norm.note) == ("desk", 1, "Minh họa")
    assert AuditRecord.objects.filter(
        action="equipmentnorm.created", object_id=str(norm.pk)
    ).exists()
    table = client.get("/desk/tai-san/thieu-hut/", {"q": "Đô Lương"}).content.decode()
    assert part(table, "cell-17662-queue_kiosk").text == "0 of 1 lacks 1"


def test_finance_changes_and_removes_a_norm(world):
    client = english(SPECIALIST)
    norm = EquipmentNorm.objects.get(kind=world.kinds.scanner)
    form = client.get(f"{NORMS}{norm.pk}/sua/").content.decode()
    assert 'name="count" value="1"' in form  # the form starts from the norm
    response = client.post(
        f"{NORMS}{norm.pk}/sua/",
        {"kind": world.kinds.scanner.pk, "per": "desk", "count": 2, "note": "Quyết định 01"},
    )
    assert response.status_code == 302
    norm.refresh_from_db()
    assert (norm.count, norm.note) == (2, "Quyết định 01")
    assert AuditRecord.objects.get(action="equipmentnorm.updated").after == {
        "count": 2,
        "note": "Quyết định 01",
    }
    assert client.post(f"{NORMS}{norm.pk}/xoa/").status_code == 302
    assert not EquipmentNorm.objects.filter(pk=norm.pk).exists()
    assert AuditRecord.objects.filter(action="equipmentnorm.removed").count() == 1


def test_a_second_norm_for_the_same_kind_and_place_is_refused(world):
    client = english(SPECIALIST)
    response = client.post(
        f"{NORMS}moi/", {"kind": world.kinds.scanner.pk, "per": "desk", "count": 3}
    )
    assert response.status_code == 422
    assert "already has a norm there" in part(response.content.decode(), "form-error").text
    assert EquipmentNorm.objects.get(kind=world.kinds.scanner, per="desk").count == 1


def test_only_finances_officers_change_norms(world):
    client = english(COMMUNE_LEADER)
    norm = EquipmentNorm.objects.get(kind=world.kinds.scanner)
    assert client.get(f"{NORMS}moi/").status_code == 403
    assert client.post(f"{NORMS}{norm.pk}/sua/", {"count": 9}).status_code == 403
    assert client.post(f"{NORMS}{norm.pk}/xoa/").status_code == 403
    assert EquipmentNorm.objects.get(pk=norm.pk).count == 1
    with pytest.raises(PermissionDenied):
        save_norm(user(COMMUNE_LEADER), NormSpec(world.kinds.scanner, "office", 1))
    with pytest.raises(PermissionDenied):
        remove_norm(user("giamsat"), norm)


def test_a_norm_counts_from_0_to_100_items(world):
    with pytest.raises(InvalidInput):
        save_norm(world.specialist, NormSpec(world.kinds.printer, "desk", 101))
    with pytest.raises(Conflict):
        save_norm(world.specialist, NormSpec(world.kinds.printer, "office", 2))
    made = save_norm(world.specialist, NormSpec(world.kinds.printer, "desk", 0, " Không "))
    assert (made.count, made.note) == (0, "Không")
