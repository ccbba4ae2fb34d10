"""Provider tokens are encrypted at rest with Fernet; several keys allow rotation (newest first).

A key is either a real Fernet key (urlsafe base64 of 32 bytes) or any passphrase, which is stretched into one
with HKDF-SHA256. HKDF does not slow down guessing, so a passphrase should be long and random.
Keys are never logged.
"""

from __future__ import annotations

import base64
import logging
import os
import re
import time

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bot.errors import StoreError

log = logging.getLogger("meetbot.crypto")

_TOKEN_KEY_INFO = b"meetbot token key v1"
_SIGNING_INFO = b"meetbot signing v1"
_FERNET_KEY = re.compile(r"[A-Za-z0-9_-]{43}=")


def _hkdf(material: bytes, info: bytes) -> bytes:
    """32 bytes derived from `material`, separated by purpose through `info`."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(material)


def _fernet_key(key: str) -> bytes:
    """A Fernet key as given, or one derived deterministically from a passphrase."""
    key = key.strip()
    if _FERNET_KEY.fullmatch(key):  # 43 base64 characters + "=" encode exactly 32 bytes
        return key.encode("ascii")
    return base64.urlsafe_b64encode(_hkdf(key.encode("utf-8"), _TOKEN_KEY_INFO))


class TokenCipher:
    """Encrypts with the first key, decrypts with any: MultiFernet over the configured keys."""

    def __init__(self, keys: list[bytes]) -> None:
        if not keys:
            raise ValueError("TokenCipher needs at least one key")
        self._primary = keys[0]
        self._multi = MultiFernet([Fernet(k) for k in keys])

    @classmethod
    def from_keys(cls, keys: list[str]) -> TokenCipher:
        """Accept Fernet keys or passphrases, newest (primary) first."""
        cleaned = [k.strip() for k in keys if k and k.strip()]
        if not cleaned:
            raise ValueError("TokenCipher needs at least one non-empty key")
        return cls([_fernet_key(k) for k in cleaned])

    def encrypt(self, plaintext: str) -> str:
        """Encrypt under the primary key; the result is ASCII, safe for a TEXT column."""
        return self._multi.encrypt(plaintext.encode("utf-8")).decode("ascii")

    def decrypt(self, ciphertext: str) -> str:
        """Decrypt with whichever key fits; StoreError when none does (wrong or missing key)."""
        try:
            return self._multi.decrypt(ciphertext.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError) as exc:
            raise StoreError("a stored token could not be decrypted: is MEETBOT_SECRET_KEY missing a key?") from exc

    def rotate(self, ciphertext: str) -> str:
        """Re-encrypt under the primary key (for key rotation)."""
        try:
            return self._multi.rotate(ciphertext.encode("ascii")).decode("ascii")
        except (InvalidToken, UnicodeError) as exc:
            raise StoreError("a stored token could not be decrypted: is MEETBOT_SECRET_KEY missing a key?") from exc

    def primary_secret_bytes(self) -> bytes:
        """A 32-byte secret for HMAC (OAuth state), derived from but unequal to the encryption key."""
        return _hkdf(base64.urlsafe_b64decode(self._primary), _SIGNING_INFO)

    def __repr__(self) -> str:  # never show key material
        return "TokenCipher(<keys hidden>)"


def _is_memory(db_path: str) -> bool:
    """SQLite's in-memory / temporary databases have no place for a key file."""
    return db_path in ("", ":memory:") or (db_path.startswith("file:") and "mode=memory" in db_path)


def _read_key_file(path: str) -> str:
    """The key in `path`; waits briefly if another process has just created it and is still writing."""
    deadline = time.monotonic() + 0.5
    while True:
        try:
            with open(path, encoding="ascii") as fh:
                content = fh.read().strip()
        except (OSError, UnicodeError) as exc:
            raise StoreError(f"cannot read the key file {path}: {exc.__class__.__name__}") from exc
        if content or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    if not content:
        raise StoreError(f"the key file {path} is empty: restore it from a backup or set MEETBOT_SECRET_KEY")
    return content


def _create_key_file(path: str) -> str | None:
    """Create `path` with a new key, mode 0600 from the first byte; None if it already exists."""
    key = Fernet.generate_key().decode("ascii")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return None
    except OSError as exc:
        raise StoreError(f"cannot create the key file {path}: {exc.strerror or exc.__class__.__name__}") from exc
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(key + "\n")
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        try:
            os.unlink(path)
        except OSError:
            pass
        raise StoreError(f"cannot write the key file {path}: {exc.strerror or exc.__class__.__name__}") from exc
    log.warning(
        "MEETBOT_SECRET_KEY is not set: generated a key file at %s; back it up or set MEETBOT_SECRET_KEY", path
    )
    return key


def load_cipher(secret_key: str | None, db_path: str) -> TokenCipher:
    """The cipher from MEETBOT_SECRET_KEY (comma-separated, newest first), else from `<db_path>.key`."""
    keys = [k.strip() for k in (secret_key or "").split(",") if k.strip()]
    if keys:
        return TokenCipher.from_keys(keys)
    if _is_memory(db_path):
        return TokenCipher.from_keys([Fernet.generate_key().decode("ascii")])
    path = f"{db_path}.key"
    key = _create_key_file(path)
    if key is None:
        key = _read_key_file(path)
    return TokenCipher.from_keys([key])
