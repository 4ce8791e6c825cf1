import base64

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes

from dangwu.core import crypto

SM3_ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_sm3_matches_the_standard_test_vector():
    digest = hashes.Hash(hashes.SM3())
    digest.update(b"abc")

    assert digest.finalize().hex() == SM3_ABC


@pytest.mark.parametrize("text", ["430102197001011234", "13912345678", "中文 与 emoji 🎉", "党员"])
def test_sm4_gcm_round_trip(text):
    sealed = crypto.encrypt(text)

    assert text not in sealed
    assert crypto.decrypt(sealed) == text


def test_same_value_encrypts_differently_each_time():
    assert crypto.encrypt("430102197001011234") != crypto.encrypt("430102197001011234")


def test_tampered_ciphertext_is_refused():
    raw = bytearray(base64.b64decode(crypto.encrypt("430102197001011234")))
    raw[20] ^= 0x01
    tampered = base64.b64encode(bytes(raw)).decode()

    with pytest.raises(InvalidTag):
        crypto.decrypt(tampered)


def test_unknown_ciphertext_version_is_refused():
    raw = bytearray(base64.b64decode(crypto.encrypt("x")))
    raw[0] = 0x09

    with pytest.raises(ValueError, match="version"):
        crypto.decrypt(base64.b64encode(bytes(raw)).decode())


def test_ciphertext_under_another_key_does_not_decrypt(settings):
    sealed = crypto.encrypt("430102197001011234")
    settings.FIELD_ENCRYPTION_KEY = "another-field-key-entirely-different-0123"

    with pytest.raises(InvalidTag):
        crypto.decrypt(sealed)


def test_blind_index_is_stable_and_normalized():
    index = crypto.blind_index("43010219700101123x")

    assert index == crypto.blind_index(" 43010219700101123X ")
    assert len(index) == 64
    assert index != crypto.blind_index("430102197001011234")


def test_blind_index_depends_on_the_key(settings):
    before = crypto.blind_index("430102197001011234")
    settings.FIELD_ENCRYPTION_KEY = "another-field-key-entirely-different-0123"

    assert crypto.blind_index("430102197001011234") != before


def test_token_digest_is_not_the_token():
    assert crypto.token_digest("dw_secret") != "dw_secret"
    assert crypto.token_digest("dw_secret") == crypto.token_digest("dw_secret")
