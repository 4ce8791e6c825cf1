"""The archive's settings, read in one place (see docs/archive.md)."""

import re

from django.conf import settings

# 全宗号: the committee's fonds code, assigned by the archives bureau.
DEFAULT_FONDS = "0001"
# 机构(问题)代码 offered first: 办公室.
DEFAULT_UNIT = "BGS"
CODE_PATTERN = re.compile(r"^[A-Z0-9]{1,10}$")


def fonds_code() -> str:
    """Return the fonds code (setting ``ARCHIVE_FONDS_CODE``, env ``DANGWU_ARCHIVE_FONDS``)."""
    return str(getattr(settings, "ARCHIVE_FONDS_CODE", DEFAULT_FONDS))


def default_unit() -> str:
    """Return the organizational unit code suggested when archiving."""
    return str(getattr(settings, "ARCHIVE_DEFAULT_UNIT", DEFAULT_UNIT))
