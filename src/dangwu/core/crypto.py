"""National-algorithm cryptography for personal data at rest.

SM4-GCM encrypts values (random 96-bit nonce, authenticated); HMAC-SM3 gives a keyed lookup
index so that an encrypted ID number can still be found by equality (imports are idempotent by
ID number) without storing it in clear.
"""

import base64
import hashlib
import os
from datetime import date
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, modes
from cryptography.hazmat.primitives.ciphers.algorithms import SM4
from cryptography.hazmat.primitives.hmac import HMAC
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_NONCE_BYTES = 12
_TAG_BYTES = 16
_VERSION = b"\x01"


@lru_cache(maxsize=8)
def _derive(master: str, purpose: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SM3(), length=length, salt=None, info=purpose).derive(
        master.encode()
    )


def _encryption_key() -> bytes:
    return _derive(settings.FIELD_ENCRYPTION_KEY, b"dangwu field encryption sm4", 16)


def _index_key() -> bytes:
    return _derive(settings.FIELD_ENCRYPTION_KEY, b"dangwu blind index hmac-sm3", 32)


def _audit_key() -> bytes:
    return _derive(settings.SECRET_KEY, b"dangwu audit chain hmac-sm3", 32)


def encrypt(plaintext: str) -> str:
    """Return ``plaintext`` encrypted with SM4-GCM as printable text."""
    nonce = os.urandom(_NONCE_BYTES)
    encryptor = Cipher(SM4(_encryption_key()), modes.GCM(nonce)).encryptor()
    ciphertext = encryptor.update(plaintext.encode()) + encryptor.finalize()
    return base64.b64encode(_VERSION + nonce + ciphertext + encryptor.tag).decode("ascii")


def decrypt(token: str) -> str:
    """Return the plaintext of a value made by :func:`encrypt`; raise ValueError if tampered."""
    raw = base64.b64decode(token)
    if raw[:1] != _VERSION:
        raise ValueError("unknown ciphertext version")
    nonce, body = raw[1 : 1 + _NONCE_BYTES], raw[1 + _NONCE_BYTES :]
    ciphertext, tag = body[:-_TAG_BYTES], body[-_TAG_BYTES:]
    decryptor = Cipher(SM4(_encryption_key()), modes.GCM(nonce, tag)).decryptor()
    return (decryptor.update(ciphertext) + decryptor.finalize()).decode()


def _hmac_sm3(key: bytes, data: bytes) -> str:
    mac = HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize().hex()


def blind_index(value: str) -> str:
    """Return the keyed HMAC-SM3 lookup index of a normalized value."""
    return _hmac_sm3(_index_key(), value.strip().upper().encode())


def audit_mac(data: bytes) -> str:
    """Return the HMAC-SM3 that links an audit record to its predecessor."""
    return _hmac_sm3(_audit_key(), data)


def visitor_mac(day: date, data: bytes) -> str:
    """Return the HMAC-SM3 of a visitor's identity under a key of that ``day`` alone.

    The key changes every day, so one person's visits cannot be linked from one day to the next.
    """
    key = _derive(settings.SECRET_KEY, b"dangwu visitor hmac-sm3 " + day.isoformat().encode(), 32)
    return _hmac_sm3(key, data)


def token_digest(token: str) -> str:
    """Return the digest under which an API token is stored (the token itself never is)."""
    return hashlib.sha256(token.encode()).hexdigest()
