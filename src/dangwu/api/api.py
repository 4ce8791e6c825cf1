"""The JSON API at /api/v1/ (django-ninja); schema at /api/v1/openapi.json."""

from ninja import NinjaAPI

api = NinjaAPI(title="Dangwu API", version="1", urls_namespace="api")
