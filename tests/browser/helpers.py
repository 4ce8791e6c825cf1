"""Small helpers shared by the browser tests."""

from django.utils import translation

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def zh(msgid: str, **values) -> str:
    """Return ``msgid`` as the Chinese pages show it (interpolating ``values`` if given)."""
    with translation.override("zh-hans"):
        text = translation.gettext(msgid)
    return text % values if values else text


def is_xlsx(body: bytes) -> bool:
    """Return True when ``body`` looks like an .xlsx workbook (a zip holding the Excel parts)."""
    return body[:2] == b"PK" and b"[Content_Types].xml" in body


def zh_count(singular: str, plural: str, n: int) -> str:
    """Return the Chinese of a counted message (``{{ n }}`` style) for ``n``."""
    with translation.override("zh-hans"):
        text = translation.ngettext(singular, plural, n)
    return text.replace("%(n)s", str(n)).replace("%(n)d", str(n))
