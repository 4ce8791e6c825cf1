import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangwu.settings")
application = get_wsgi_application()

# This process serves pages: count their visits and flush the counts when it exits.
from dangwu.analytics.buffer import arm  # noqa: E402  (needs the settings loaded above)

arm()
