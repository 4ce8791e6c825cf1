"""The exams API."""

from ninja import Router

router = Router(tags=["exams"])
