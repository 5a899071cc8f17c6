"""AUTH-3: length 12+, 64 characters and any Unicode accepted, no composition rules;
common, user-similar and context words (agency, product, roles) refused."""

import pytest
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from cma.staff.models import User
from cma.staff.validators import ContextWordValidator

pytestmark = pytest.mark.django_db


def _user() -> User:
    return User(username="olivia.nguyen", first_name="Olivia", last_name="Nguyen")


@pytest.mark.parametrize(
    "password",
    [
        "x" * 63 + "Z",  # 64 characters
        "correct horse battery staple " * 2 + "tree",  # 62 with spaces
        "Ünïcödé-pässwörd-ßeta",
        "пароль очень длинный и странный",
        "😀🦘🌏 kangaroo hops far",
        "宇宙飛行士はとても遠くへ行く",
        "839204857362",  # digits only: no composition rules (no NumericPasswordValidator)
        "lowercase only words here",
        "abcdefghijkl",  # exactly 12
    ],
)
def test_AUTH_3_long_and_unicode_passwords_are_accepted_and_stored_exactly(password):
    password_validation.validate_password(password, user=_user())
    user = _user()
    user.set_password(password)
    assert user.check_password(password)
    assert not user.check_password(password[:-1])
    assert not user.check_password(password + "x")


def test_AUTH_3_a_128_character_password_is_not_truncated():
    password = "a-long-passphrase-" * 7 + "end!!"
    assert len(password) >= 128
    password_validation.validate_password(password, user=_user())
    user = _user()
    user.set_password(password)
    assert user.check_password(password)
    assert not user.check_password(password[:64])


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("abcdefghijk", "password_too_short"),  # 11 characters
        ("ünïcödé-pw", "password_too_short"),
        ("password1234", "password_too_common"),
        ("olivia.nguyen1", "password_too_similar"),
        ("childsupport2026!", "password_context_word"),
        ("Child Support rules ok", "password_context_word"),
        ("my-Workbench-password", "password_context_word"),
        ("w0rkb3nch-is-great", "password_context_word"),
        ("I love the CMA so much", "password_context_word"),
        ("TeamLeader-of-the-year", "password_context_word"),
        ("best-payee-ever-2026", "password_context_word"),
    ],
)
def test_AUTH_3_weak_passwords_are_refused(password, code):
    with pytest.raises(ValidationError) as info:
        password_validation.validate_password(password, user=_user())
    assert code in {e.code for e in info.value.error_list}


def test_AUTH_3_validators_in_force():
    names = [v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "ContextWordValidator",
    ]
    lengths = [
        v["OPTIONS"]["min_length"]
        for v in settings.AUTH_PASSWORD_VALIDATORS
        if v["NAME"].endswith("MinimumLengthValidator")
    ]
    assert lengths == [12]


def test_context_word_validator_names_the_word_and_has_help_text():
    validator = ContextWordValidator(words=["kangaroo"])
    validator.validate("no marsupials here")
    with pytest.raises(ValidationError, match="kangaroo"):
        validator.validate("K4ngaroo-court-2026")
    assert "agency" in validator.get_help_text()
