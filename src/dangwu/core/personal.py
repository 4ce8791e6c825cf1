"""Personal data: the ID-number checksum (GB 11643), masking, and the encrypted model field."""

import re
from datetime import date

from django.db import models
from django.utils.translation import gettext as _

from dangwu.core import crypto

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
_PHONE_PATTERN = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")


def id_check_char(first17: str) -> str:
    """Return the MOD 11-2 check character for the first 17 digits of an ID number."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def normalize_id_number(value: str) -> str:
    return value.strip().upper()


def id_number_problem(value: str) -> str | None:
    """Return why ``value`` is not a valid 18-character ID number, or None when it is."""
    value = normalize_id_number(value)
    if not _ID_PATTERN.match(value):
        return _("An ID number has 18 characters: 17 digits and a final digit or X.")
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return _("The birth date inside the ID number does not exist.")
    if id_check_char(value[:17]) != value[17]:
        return _("The ID number's check character is wrong; please check for a typing mistake.")
    return None


def phone_problem(value: str) -> str | None:
    """Return why ``value`` is not a mobile or landline number, or None when it is."""
    if not _PHONE_PATTERN.match(value.strip()):
        return _(
            "Enter an 11-digit mobile number or a landline with its area code (e.g. 0731-12345678)."
        )
    return None


def mask_id_number(value: str) -> str:
    """Keep the first four and last four characters: ``2102**********1234``."""
    if not value:
        return ""
    return value[:4] + "*" * (len(value) - 8) + value[-4:] if len(value) > 8 else "*" * len(value)


def mask_phone(value: str) -> str:
    """Keep the first three and last four digits: ``138****1234``."""
    if not value:
        return ""
    return value[:3] + "*" * (len(value) - 7) + value[-4:] if len(value) > 7 else "*" * len(value)


class EncryptedTextField(models.TextField):
    """A text column stored encrypted (SM4-GCM); Python code sees the plaintext."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value)
