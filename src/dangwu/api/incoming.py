"""API of incoming documents: same services and policy as the pages."""

from ninja import Router

router = Router(tags=["incoming"])
