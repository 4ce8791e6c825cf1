"""The submissions API."""

from ninja import Router

router = Router(tags=["submissions"])
