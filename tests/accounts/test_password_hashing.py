"""Passwords and passphrases are hashed with Argon2id at OWASP's minimum cost or above (issue 14, item 3);
PBKDF2 hashes made before still verify and are re-hashed on their next successful use.

The test run hashes with MD5 for speed (storebot/settings_test.py); these tests
put production's hashers back with override_settings.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import identify_hasher, make_password
from django.test import override_settings
from django.utils.module_loading import import_string

from accounts.hashers import Argon2idPasswordHasher
from accounts.models import User
from storebot import settings as production

PRODUCTION_HASHERS = override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS)
PBKDF2 = "django.contrib.auth.hashers.PBKDF2PasswordHasher"


def test_production_hashes_with_argon2id_first_and_keeps_pbkdf2_to_verify_old_hashes():
    first = import_string(production.PASSWORD_HASHERS[0])()

    assert isinstance(first, Argon2idPasswordHasher)
    assert PBKDF2 in production.PASSWORD_HASHERS[1:]


def test_argon2id_parameters_meet_owasp_s_minimum():
    hasher = Argon2idPasswordHasher()

    assert hasher.memory_cost >= 19 * 1024  # KiB
    assert hasher.time_cost >= 2
    assert hasher.parallelism >= 1
    encoded = hasher.encode("open sesame", hasher.salt())
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert hasher.verify("open sesame", encoded)
    assert not hasher.verify("open sesam", encoded)


@PRODUCTION_HASHERS
@pytest.mark.django_db
def test_a_new_passphrase_and_password_are_hashed_with_argon2id():
    user = User.objects.create_user("carol@example.com", "a long login password")
    user.set_passphrase("quiet harbour lamp")

    assert identify_hasher(user.password).algorithm == "argon2"
    assert user.passphrase_hash.startswith("argon2$argon2id$")


@PRODUCTION_HASHERS
@pytest.mark.django_db
def test_a_pbkdf2_passphrase_is_rehashed_with_argon2id_by_its_next_right_check(user):
    User.objects.filter(pk=user.pk).update(
        passphrase_hash=make_password("open sesame", hasher="pbkdf2_sha256"), passphrase_fingerprint=""
    )
    user.refresh_from_db()

    assert not user.check_passphrase("open sesam")
    user.refresh_from_db()
    assert user.passphrase_hash.startswith("pbkdf2_sha256$")  # a wrong one changes nothing

    assert user.check_passphrase("open sesame")
    user.refresh_from_db()
    assert user.passphrase_hash.startswith("argon2$argon2id$")
    assert user.check_passphrase("open sesame")
    assert user.passphrase_digest is not None  # the fingerprint follows the new hash


@PRODUCTION_HASHERS
@pytest.mark.django_db
def test_a_passphrase_changed_during_a_check_is_not_overwritten_by_the_rehash(user):
    User.objects.filter(pk=user.pk).update(passphrase_hash=make_password("open sesame", hasher="pbkdf2_sha256"))
    user.refresh_from_db()
    newer = make_password("quiet harbour lamp")
    User.objects.filter(pk=user.pk).update(passphrase_hash=newer)  # another request changed it meanwhile

    assert user.check_passphrase("open sesame")  # against the hash it had read
    user.refresh_from_db()
    assert user.passphrase_hash == newer


@PRODUCTION_HASHERS
@pytest.mark.django_db
def test_a_pbkdf2_password_is_rehashed_with_argon2id_by_its_next_right_check():
    user = User.objects.create_user("dave@example.com")
    User.objects.filter(pk=user.pk).update(password=make_password("a long login password", hasher="pbkdf2_sha256"))
    user.refresh_from_db()

    assert user.check_password("a long login password")
    user.refresh_from_db()
    assert identify_hasher(user.password).algorithm == "argon2"
