"""The access matrix's vocabulary, and one module per app with that app's cases.

Each ``tests/matrix/<app>.py`` defines ``CASES``: a list of :class:`Case`; the matrix test
(``tests/test_access_matrix.py``) collects them all.
"""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

from tests.personas import PERSONAS

ANONYMOUS = "anonymous"
EVERYONE = frozenset(PERSONAS) | {ANONYMOUS}
SIGNED_IN = frozenset(PERSONAS)
ADMINS = frozenset({"sysadmin", "secadmin", "auditor"})
BUSINESS = SIGNED_IN - ADMINS
MEMBER_VIEWERS = frozenset({"leader", "orgclerk", "secretary", "other_secretary"})
RECORD_KEEPERS = frozenset({"orgclerk", "secretary", "other_secretary"})
PORTAL_WRITERS = frozenset({"editor", "orgclerk", "secretary", "other_secretary"})
BRANCH1_WRITERS = PORTAL_WRITERS - {"other_secretary"}
PORTAL_REVIEWERS = frozenset({"editor"})


@dataclass(frozen=True)
class Case:
    name: str  # URL name (namespace:name) or API operation id
    method: str
    path: Callable  # world -> path
    allowed: frozenset[str]
    data: dict | Callable | None = None  # a callable: world -> dict


def app_cases() -> list[Case]:
    """Return the cases of every ``tests/matrix/<app>.py`` module, in module-name order."""
    cases: list[Case] = []
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        cases += importlib.import_module(f"{__name__}.{module}").CASES
    return cases
