"""Access matrix cases of the incoming app (see tests/matrix/__init__.py)."""

from tests.matrix import Case

CASES: list[Case] = []
