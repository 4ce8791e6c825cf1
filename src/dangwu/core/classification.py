"""The classification guard (涉密不上网): Dangwu is a non-classified system.

Content that carries a state-secret mark (秘密, 机密, 绝密 — with the ★ of GB/T 9704, or in a
密级 field) is refused before anything is saved. 内部 and 工作秘密 are not state secrets and are
handled by visibility instead.
"""

import re
import unicodedata

from django.utils.translation import gettext as _

SECRET_LEVELS = ("绝密", "机密", "秘密")
# How far from the top a ★ mark counts: GB/T 9704 puts it in the first lines of the page.
TOP_CHARACTERS = 200

_STAR_MARK = re.compile(r"(绝密|机密|秘密)\s*[★☆*＊]")
_FIELD_MARK = re.compile(r"密\s*级\s*[:：]?\s*(绝密|机密|秘密)")


def _plain(text: str) -> str:
    # NFKC folds full-width and compatibility forms (PDF text uses them) before matching.
    return unicodedata.normalize("NFKC", text or "")


def classification_problem(*texts: str, declared_level: str = "") -> str | None:
    """Return why the content must be refused, or None when it carries no secret mark.

    ``texts`` are the title, body text or a file's extracted text; a ★ mark counts in the first
    :data:`TOP_CHARACTERS` characters of each, a "密级：秘密" field anywhere near the top too.
    ``declared_level`` is a 密级 chosen in a form.
    """
    refusal = _(
        "This platform is not approved for classified information (涉密不上网). Content marked "
        "%(level)s must not be entered here; handle it through the confidential channels."
    )
    if declared_level in SECRET_LEVELS:
        return refusal % {"level": declared_level}
    for text in texts:
        top = _plain(text)[:TOP_CHARACTERS]
        match = _STAR_MARK.search(top) or _FIELD_MARK.search(top)
        if match:
            return refusal % {"level": match.group(1)}
    return None
