"""Staff accounts: Argon2 passwords, memberships and who may grant them, API tokens."""

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.models import Group
from django.test import Client

from haicap.accounts import services, tokens
from haicap.accounts.models import ApiToken, Membership, User
from haicap.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from haicap.core.models import AuditRecord
from haicap.core.roles import Role
from haicap.core.scoping import scope_of
from haicap.units.models import Agency

pytestmark = pytest.mark.django_db

DO_LUONG_PPC = "17662.01.H40"
DO_LUONG_DESK = "17662.05.H40"
VAN_HIEN_DESK = "17677.05.H40"


def agency(code: str) -> Agency:
    return Agency.objects.get(code=code)


def new_user(username: str = "nv.moi") -> User:
    return services.create_staff_user(
        None, username=username, full_name="Nhân Viên Mới", password="mat-khau-dai-2026"
    )


def test_passwords_are_hashed_with_argon2(user):
    assert identify_hasher(user("tiepnhan.doluong").password).algorithm == "argon2"


def test_a_weak_password_is_refused():
    with pytest.raises(InvalidInput):
        services.create_staff_user(None, username="yeu", full_name="", password="12345678")
    assert not User.objects.filter(username="yeu").exists()


def test_a_taken_username_is_refused_whatever_its_case(user):
    with pytest.raises(Conflict):
        services.create_staff_user(
            None, username="TiepNhan.DoLuong", full_name="", password="mat-khau-dai-2026"
        )


def test_only_a_system_administrator_creates_accounts(user):
    with pytest.raises(PermissionDenied):
        services.create_staff_user(
            user("quantri.doluong"), username="x.y", full_name="", password="mat-khau-dai-2026"
        )
    created = services.create_staff_user(
        user("admin"), username="x.y", full_name="X", password="mat-khau-dai-2026"
    )
    record = AuditRecord.objects.get(action="account.created", object_id=str(created.pk))
    assert record.actor_label == "admin"
    assert "password" not in record.after


def test_an_agency_admin_grants_roles_in_their_own_agency(user):
    staff = new_user()
    membership = services.grant_membership(
        user("quantri.doluong"), staff, agency(DO_LUONG_PPC), Role.SPECIALIST
    )
    assert AuditRecord.objects.filter(
        action="membership.granted", object_id=str(membership.pk), actor_label="quantri.doluong"
    ).exists()
    # granting it again changes nothing
    again = services.grant_membership(
        user("quantri.doluong"), staff, agency(DO_LUONG_PPC), Role.SPECIALIST
    )
    assert again.pk == membership.pk
    assert Membership.objects.filter(user=staff).count() == 1


def test_an_agency_admin_cannot_grant_in_another_agency(user):
    with pytest.raises(PermissionDenied):
        services.grant_membership(
            user("quantri.doluong"), new_user(), agency(VAN_HIEN_DESK), Role.INTAKE_OFFICER
        )


def test_an_agency_admin_cannot_grant_province_wide_roles(user):
    with pytest.raises(PermissionDenied):
        services.grant_membership(
            user("quantri.doluong"), new_user(), agency(DO_LUONG_PPC), Role.PROVINCE_SUPERVISOR
        )


def test_a_supervisor_changes_nothing(user):
    assert scope_of(user("giamsat")).read_only
    with pytest.raises(PermissionDenied, match="không được thay đổi"):
        services.require_writable(user("giamsat"))
    with pytest.raises(PermissionDenied, match="không được thay đổi"):
        services.grant_membership(
            user("giamsat"), new_user(), agency(DO_LUONG_DESK), Role.INTAKE_OFFICER
        )
    services.require_writable(user("quantri.doluong"))  # an agency administrator may


def test_revoking_a_membership_narrows_the_scope_at_once(user):
    staff = new_user()
    membership = services.grant_membership(
        user("admin"), staff, agency(DO_LUONG_DESK), Role.INTAKE_OFFICER
    )
    assert scope_of(staff).agency_ids == {membership.agency_id}
    services.revoke_membership(user("admin"), membership)
    assert scope_of(staff).agency_ids == frozenset()
    assert AuditRecord.objects.filter(action="membership.revoked").exists()


def test_a_token_is_stored_only_as_a_digest_and_authenticates_its_owner(user):
    owner = user("chuyenvien.doluong")
    token, plaintext = services.issue_api_token(owner, owner, "kho dữ liệu")
    assert tokens.looks_like_token(plaintext)
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == tokens.digest_of(plaintext) != plaintext
    assert plaintext not in str(AuditRecord.objects.filter(object_id=str(token.pk)).values())
    assert services.authenticate_token(plaintext) == owner
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_a_revoked_or_forged_token_authenticates_nobody(user):
    owner = user("chuyenvien.doluong")
    token, plaintext = services.issue_api_token(owner, owner, "tạm")
    services.revoke_api_token(owner, token.pk)
    assert services.authenticate_token(plaintext) is None
    assert services.authenticate_token(plaintext[:-1] + "x") is None
    assert services.authenticate_token("not a token") is None


def test_a_token_of_an_inactive_account_authenticates_nobody(user):
    owner = user("chuyenvien.doluong")
    _token, plaintext = services.issue_api_token(owner, owner, "tạm")
    User.objects.filter(pk=owner.pk).update(is_active=False)
    assert services.authenticate_token(plaintext) is None


def test_nobody_revokes_another_users_token(user):
    owner = user("chuyenvien.doluong")
    token, _plaintext = services.issue_api_token(owner, owner, "tạm")
    with pytest.raises(NotFound):
        services.revoke_api_token(user("tiepnhan.vanhien"), token.pk)
    with pytest.raises(PermissionDenied):
        services.issue_api_token(user("tiepnhan.vanhien"), owner, "x")
    with pytest.raises(InvalidInput):
        services.issue_api_token(owner, owner, "   ")


def test_administration_changes_are_audited(user):
    client = Client()
    client.force_login(user("admin"))
    officer = user("tiepnhan.vanhien")
    response = client.post(
        f"/desk/admin/accounts/user/{officer.pk}/password/",
        {"password1": "mat-khau-moi-2026", "password2": "mat-khau-moi-2026"},
    )
    assert response.status_code == 302
    record = AuditRecord.objects.get(action="account.password_changed")
    assert (record.object_id, record.actor_label) == (str(officer.pk), "admin")
    group = Group.objects.create(name="trực tuyến")
    data = {
        "username": officer.username,
        "full_name": officer.full_name,
        "email": "",
        "is_active": "on",
        "groups": [group.pk],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "26/11/2026",
        "date_joined_1": "08:00:00",
    }
    response = client.post(f"/desk/admin/accounts/user/{officer.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    record = AuditRecord.objects.get(action="user.relations_changed")
    assert (record.before, record.after) == ({"groups": []}, {"groups": [group.pk]})
