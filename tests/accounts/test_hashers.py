"""Staff passwords are hashed with Argon2id at OWASP's parameters; older hashes are upgraded."""

import argon2
import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, get_hasher, make_password
from django.test import Client
from django.urls import reverse

from haicap.accounts.hashers import OwaspArgon2idHasher
from haicap.accounts.models import User


def parameters(encoded: str) -> argon2.Parameters:
    return argon2.extract_parameters("$" + encoded.split("$", 1)[1])


def test_new_hashes_are_argon2id_with_19_mib_two_passes_one_lane():
    assert isinstance(get_hasher("default"), OwaspArgon2idHasher)
    found = parameters(make_password("a long staff passphrase"))
    assert found.type is argon2.Type.ID
    assert (found.memory_cost, found.time_cost, found.parallelism) == (19 * 1024, 2, 1)


@pytest.mark.django_db
def test_a_hash_made_with_djangos_default_argon2_signs_in_and_is_upgraded():
    user = User.objects.create(username="cu.hash")
    user.password = Argon2PasswordHasher().encode("mat-khau-cu-2020", Argon2PasswordHasher().salt())
    user.save(update_fields=["password"])
    before = parameters(user.password)
    assert (before.memory_cost, before.parallelism) == (102400, 8)  # Django's defaults

    response = Client().post(
        reverse("desk:login"), {"username": "cu.hash", "password": "mat-khau-cu-2020"}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    after = parameters(user.password)
    assert (after.memory_cost, after.time_cost, after.parallelism) == (19456, 2, 1)
    assert user.check_password("mat-khau-cu-2020")
