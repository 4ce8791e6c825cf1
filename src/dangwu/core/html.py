"""Sanitizing rich text (nh3): what the editor, pasted Word text and .docx imports may keep."""

import html
import re

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "ul",
    "ol",
    "li",
    "blockquote",
    "hr",
    "a",
    "img",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "caption",
    "span",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
# Links may point to the web or inside the platform; images only inside the platform (no
# external loads on the internal network) or be embedded.
URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(value: str) -> str:
    """Return ``value`` with only the allowed tags and attributes; scripts and styles go."""
    cleaned = nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return _drop_external_images(cleaned)


_EXTERNAL_IMG = re.compile(r"<img[^>]*\ssrc=\"(?:https?:)?//[^\"]*\"[^>]*>", re.IGNORECASE)


def _drop_external_images(value: str) -> str:
    return _EXTERNAL_IMG.sub("", value)


_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|tr|blockquote|figcaption|caption)>|<br\s*/?>", re.I)


def html_to_text(value: str) -> str:
    """Return the plain text of sanitized HTML (for search and the classification guard)."""
    text = _BLOCK_END.sub("\n", value or "")
    text = html.unescape(_TAG.sub("", text))
    return re.sub(r"[ \t]+", " ", re.sub(r"\n\s*\n+", "\n", text)).strip()
