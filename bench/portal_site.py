"""Settings of the server that ``bench.portal`` measures (benchmark only).

The platform's own settings, unchanged, with the URLconf ``bench.portal_urls`` (the platform's
URLs plus the baseline page). With ``BENCH_VISITS=0`` the visit-counting middleware is left
out: the "visits off" server.

    DJANGO_SETTINGS_MODULE=bench.portal_site gunicorn dangwu.wsgi:application
"""

import os

from dangwu.settings import *  # noqa: F403  (the platform's settings, unchanged)
from dangwu.settings import MIDDLEWARE

ROOT_URLCONF = "bench.portal_urls"
if os.environ.get("BENCH_VISITS", "1") == "0":
    MIDDLEWARE = [m for m in MIDDLEWARE if not m.endswith("VisitMiddleware")]
