"""Field rules shared by the forms, the services and the spreadsheet import.

Each check returns a list of ``(field, message)`` problems in Chinese; an empty list means
the values are acceptable.
"""

import re
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from dangwu.core.personal import id_number_problem, phone_problem
from dangwu.orgs.enums import ALLOWED_CHILDREN, OrgKind

CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,40}$")

Problems = list[tuple[str, str]]


def org_problems(*, code: str, name: str, kind: str, parent_kind: str | None) -> Problems:
    """Check an organization's own fields and that its kind may sit under its parent."""
    problems: Problems = []
    if not CODE_PATTERN.match(code or ""):
        problems.append(
            ("code", _("The code may only use letters, digits, '-' and '_' (at most 40)."))
        )
    if not (name or "").strip():
        problems.append(("name", _("The name is required.")))
    if kind not in OrgKind.values:
        problems.append(("kind", _("Unknown organization kind.")))
    elif parent_kind is None and kind != OrgKind.COMMITTEE:
        problems.append(("parent", _("Only the working committee can be at the top of the tree.")))
    elif parent_kind is not None and kind not in ALLOWED_CHILDREN[parent_kind]:
        problems.append(
            (
                "kind",
                _("A %(kind)s cannot be placed under a %(parent)s.")
                % {"kind": OrgKind(kind).label, "parent": OrgKind(parent_kind).label},
            )
        )
    return problems


def member_problems(
    *,
    id_number: str,
    phone: str,
    birth_date: date | None,
    joined_on: date | None,
    full_member_on: date | None,
    category: str,
) -> Problems:
    """Check a member's personal fields and that the dates are in a possible order."""
    problems: Problems = []
    if (reason := id_number_problem(id_number or "")) is not None:
        problems.append(("id_number", reason))
    if phone and (reason := phone_problem(phone)) is not None:
        problems.append(("phone", reason))
    today = timezone.localdate()
    if birth_date and birth_date > today:
        problems.append(("birth_date", _("The birth date is in the future.")))
    if joined_on and joined_on > today:
        problems.append(("joined_on", _("The date joined is in the future.")))
    if birth_date and joined_on and joined_on.year - birth_date.year < 18:
        problems.append(("joined_on", _("A member must be at least 18 when joining the Party.")))
    if full_member_on and joined_on and full_member_on < joined_on:
        problems.append(
            ("full_member_on", _("The date made full member is before the date joined."))
        )
    if category == "full" and joined_on and not full_member_on:
        problems.append(
            ("full_member_on", _("A full member needs the date they became a full member."))
        )
    if category == "probationary" and full_member_on:
        problems.append(
            ("full_member_on", _("A probationary member has no date of becoming a full member."))
        )
    return problems
