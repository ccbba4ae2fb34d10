"""TokenCipher and load_cipher: Fernet keys, passphrases, rotation, and the generated key file."""

from __future__ import annotations

import base64
import logging
import os
import stat

import pytest
from cryptography.fernet import Fernet, InvalidToken

from bot.crypto import TokenCipher, load_cipher
from bot.errors import StoreError


def test_fernet_key_round_trip_and_is_used_as_is() -> None:
    key = Fernet.generate_key().decode()
    cipher = TokenCipher.from_keys([key])
    token = cipher.encrypt("zoom-access-token")
    assert "zoom-access-token" not in token
    assert cipher.decrypt(token) == "zoom-access-token"
    assert Fernet(key.encode()).decrypt(token.encode()) == b"zoom-access-token"  # a real key is not re-derived


def test_passphrase_is_derived_deterministically() -> None:
    phrase = "correct horse battery staple"
    one, two = TokenCipher.from_keys([phrase]), TokenCipher.from_keys([phrase])
    assert two.decrypt(one.encrypt("secret")) == "secret"
    other = TokenCipher.from_keys(["another passphrase"])
    with pytest.raises(StoreError) as info:
        other.decrypt(one.encrypt("secret"))
    assert isinstance(info.value.__cause__, InvalidToken)


def test_unicode_plaintext_and_passphrase() -> None:
    cipher = TokenCipher.from_keys(["pässwörd ✓"])
    assert cipher.decrypt(cipher.encrypt("tökén ✓")) == "tökén ✓"


def test_garbage_ciphertext_is_store_error() -> None:
    with pytest.raises(StoreError):
        TokenCipher.from_keys(["k"]).decrypt("not a fernet token")


def test_rotation_moves_tokens_to_the_primary_key() -> None:
    key_a, key_b = Fernet.generate_key().decode(), "passphrase B"
    old = TokenCipher.from_keys([key_a]).encrypt("tok")
    both = TokenCipher.from_keys([key_b, key_a])
    assert both.decrypt(old) == "tok"
    rotated = both.rotate(old)
    assert TokenCipher.from_keys([key_b]).decrypt(rotated) == "tok"
    with pytest.raises(StoreError):
        TokenCipher.from_keys([key_a]).decrypt(rotated)


def test_primary_secret_bytes() -> None:
    key = Fernet.generate_key().decode()
    secret = TokenCipher.from_keys([key, "older"]).primary_secret_bytes()
    assert len(secret) == 32
    assert secret == TokenCipher.from_keys([key]).primary_secret_bytes()
    assert secret != base64.urlsafe_b64decode(key)  # derived, not the encryption key itself
    assert secret != TokenCipher.from_keys(["older", key]).primary_secret_bytes()


def test_load_cipher_from_comma_separated_keys(tmp_path) -> None:
    db = str(tmp_path / "meetbot.db")
    old = TokenCipher.from_keys(["old key"]).encrypt("tok")
    cipher = load_cipher(" new key ,  old key ,", db)
    assert cipher.decrypt(old) == "tok"
    assert TokenCipher.from_keys(["new key"]).decrypt(cipher.encrypt("x")) == "x"
    assert not os.path.exists(db + ".key")


def test_key_file_created_0600_once_and_reused(tmp_path, caplog) -> None:
    db = str(tmp_path / "meetbot.db")
    previous = os.umask(0)  # the file must be private whatever the umask
    try:
        with caplog.at_level(logging.WARNING, logger="meetbot.crypto"):
            first = load_cipher(None, db)
    finally:
        os.umask(previous)
    path = db + ".key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    key = open(path).read().strip()
    Fernet(key.encode())  # a real Fernet key
    warnings = [r for r in caplog.records if r.name == "meetbot.crypto"]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING
    assert path in warnings[0].getMessage() and "MEETBOT_SECRET_KEY" in warnings[0].getMessage()
    assert key not in caplog.text

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="meetbot.crypto"):
        second = load_cipher("", db)  # empty means unset
    assert not caplog.records
    assert second.decrypt(first.encrypt("tok")) == "tok"
    assert open(path).read().strip() == key


def test_memory_database_needs_no_key_file(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    cipher = load_cipher(None, ":memory:")
    assert cipher.decrypt(cipher.encrypt("x")) == "x"
    assert os.listdir(tmp_path) == []


def test_empty_key_file_is_store_error(tmp_path) -> None:
    db = str(tmp_path / "meetbot.db")
    open(db + ".key", "w").close()
    with pytest.raises(StoreError, match="empty"):
        load_cipher(None, db)


def test_unwritable_key_location_is_store_error(tmp_path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="not-a-dir"):
        load_cipher(None, str(blocker / "meetbot.db"))


def test_repr_hides_keys() -> None:
    key = Fernet.generate_key().decode()
    assert key not in repr(TokenCipher.from_keys([key]))
