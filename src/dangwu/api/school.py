"""The school API."""

from ninja import Router

router = Router(tags=["school"])
