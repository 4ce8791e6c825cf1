"""Access matrix cases of the archive app (see tests/matrix/__init__.py)."""

from tests.matrix import Case

CASES: list[Case] = []
