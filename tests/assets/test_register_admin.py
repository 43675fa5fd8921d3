"""The register in the admin, for system administrators: the tables are listed, an asset
entered or corrected there goes through the services (its identifier given, its first movement,
its audit), and nothing there deletes an asset or changes a movement."""

import pytest

from haicap.assets.models import Asset, Movement
from haicap.core.models import AuditRecord
from tests.assets import register_world as w
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
ADMIN = "/desk/admin/assets"


@pytest.fixture
def world(db):
    return w.make()


def form(world, **changes) -> dict:
    values = {
        "holder": w.agency(w.BACH_HA_PPC).pk,
        "origin": w.former("xã", "Thịnh Sơn").pk,
        "kind": world.kinds["KHAC"].pk,
        "name": "Bộ bàn ghế hội trường",
        "address": "",
        "area_m2": "",
        "original_value": 45_000_000,
        "remaining_value": 5_000_000,
        "acquired_year": 2015,
        "condition": "fair",
        "movements-TOTAL_FORMS": 0,
        "movements-INITIAL_FORMS": 0,
    }
    return values | changes


@pytest.mark.parametrize("model", ["assetkind", "asset", "movement"])
def test_each_table_is_listed(world, model):
    assert client_for("admin").get(f"{ADMIN}/{model}/").status_code == 200


def test_an_asset_entered_in_the_admin_goes_through_the_service(world):
    admin = client_for("admin")
    assert admin.get(f"{ADMIN}/asset/add/").status_code == 200
    answer = admin.post(f"{ADMIN}/asset/add/", form(world))
    assert answer.status_code == 302, answer.content.decode()[:3000]
    asset = Asset.objects.get(name="Bộ bàn ghế hội trường")
    assert asset.identifier == "TS.40.000005"
    assert asset.movements.get().kind == Movement.Kind.REGISTERED
    record = AuditRecord.objects.get(action="asset.registered", object_id=str(asset.pk))
    assert record.actor.username == "admin"


def test_the_admin_says_what_the_service_would_refuse(world):
    admin = client_for("admin")
    answer = admin.post(f"{ADMIN}/asset/add/", form(world, remaining_value=50_000_000))
    assert answer.status_code == 200
    assert "remaining_value" in answer.context["adminform"].form.errors
    assert not Asset.objects.filter(name="Bộ bàn ghế hội trường").exists()


def test_a_correction_in_the_admin_keeps_the_identifier_holder_and_origin(world):
    admin = client_for("admin")
    office = world.office
    page = admin.get(f"{ADMIN}/asset/{office.pk}/change/")
    assert page.status_code == 200
    assert "holder" not in page.context["adminform"].form.fields
    data = form(
        world,
        kind=world.kinds["TRUSO"].pk,
        name="Trụ sở xã Đà Sơn cũ (đã sửa)",
        area_m2="450.5",
        original_value=3_200_000_000,
        remaining_value=1_000_000_000,
        holder=w.agency(w.BACH_HA_PPC).pk,
        **{"movements-TOTAL_FORMS": 1, "movements-INITIAL_FORMS": 1},
        **{"movements-0-id": office.movements.get().pk, "movements-0-asset": office.pk},
    )
    answer = admin.post(f"{ADMIN}/asset/{office.pk}/change/", data)
    assert answer.status_code == 302, answer.content.decode()[:3000]
    office.refresh_from_db()
    assert (office.name, office.remaining_value) == ("Trụ sở xã Đà Sơn cũ (đã sửa)", 1_000_000_000)
    assert (office.identifier, office.holder.code) == ("TS.40.000001", w.DO_LUONG_PPC)
    assert office.origin == w.former("xã", "Đà Sơn")
    assert AuditRecord.objects.filter(action="asset.updated", object_id=str(office.pk)).exists()


def test_nothing_in_the_admin_deletes_an_asset_or_changes_a_movement(world):
    admin = client_for("admin")
    office = world.office
    assert admin.post(f"{ADMIN}/asset/{office.pk}/delete/", {"post": "yes"}).status_code == 403
    movement = office.movements.get()
    assert admin.get(f"{ADMIN}/movement/{movement.pk}/change/").status_code == 200
    answer = admin.post(f"{ADMIN}/movement/{movement.pk}/change/", {"decision": "sửa"})
    assert answer.status_code == 403
    assert admin.get(f"{ADMIN}/movement/add/").status_code == 403
    assert Asset.objects.filter(pk=office.pk).exists()
    movement.refresh_from_db()
    assert movement.decision == ""
