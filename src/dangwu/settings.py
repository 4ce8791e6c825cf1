"""The one settings module, configured from environment variables.

Every setting has a safe default for the embedded run (SQLite in ``DANGWU_DATA_DIR``);
``dangwu check --deploy`` refuses the unsafe ones in production.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
env = environ.Env()

DEFAULT_SECRET_KEY = "dangwu-insecure-development-key-change-me"  # noqa: S105

# Which deployment this is (DESIGN.md §3): the whole platform, or the internet site.
SITE = env.str("DANGWU_SITE", default="internal")
if SITE not in ("internal", "public"):
    raise ImproperlyConfigured(f"DANGWU_SITE must be 'internal' or 'public', not {SITE!r}")
DATA_DIR = Path(env.str("DANGWU_DATA_DIR", default=str(Path.cwd() / "var"))).resolve()
SECRET_KEY = env.str("DANGWU_SECRET_KEY", default=DEFAULT_SECRET_KEY)
# Key for personal data at rest (SM4); separate from SECRET_KEY so either can rotate alone.
FIELD_ENCRYPTION_KEY = env.str("DANGWU_FIELD_KEY", default=SECRET_KEY)
DEBUG = env.bool("DANGWU_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DANGWU_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DANGWU_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "dangwu.core",
    "dangwu.audit",
    "dangwu.accounts",
    "dangwu.orgs",
    "dangwu.portal",
    "dangwu.exchange",
    "dangwu.api",
    "dangwu.analytics",
    "dangwu.messages",
    "dangwu.documents",
    "dangwu.incoming",
    "dangwu.archive",
    "dangwu.school",
    "dangwu.exams",
    "dangwu.training",
    "dangwu.library",
    "dangwu.submissions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "dangwu.core.middleware.DomainErrorMiddleware",
    "axes.middleware.AxesMiddleware",
    "dangwu.analytics.middleware.VisitMiddleware",
]

# The public site serves only the public portal: its URLconf has nothing else to route to.
ROOT_URLCONF = "dangwu.urls_public" if SITE == "public" else "dangwu.urls"
WSGI_APPLICATION = "dangwu.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dangwu.core.context_processors.platform",
                "dangwu.core.pagecache.csrf_placeholder",
            ],
        },
    },
]

# An empty DATABASE_URL means "not set": the embedded SQLite database.
DATABASES = {
    "default": env.db_url_config(
        env.str("DATABASE_URL", default="") or f"sqlite:///{DATA_DIR / 'dangwu.sqlite3'}"
    ),
}
# Persistent connections: without them PostgreSQL throughput drops about tenfold.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DANGWU_CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "dangwu.accounts.passwords.CharacterClassValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout: 5 failures lock the account (by username) for 15 minutes.
AXES_FAILURE_LIMIT = env.int("DANGWU_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("DANGWU_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "dangwu.accounts.views.locked_out"
AXES_VERBOSE = False
# The requirement locks the *account*; locking by address too would lock out a whole office
# behind one NAT gateway, so axes' advice to add ip_address is deliberately not followed.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Idle timeout: the session cookie is renewed on every request and expires after this idle time.
SESSION_IDLE_MINUTES = env.int("DANGWU_IDLE_MINUTES", default=30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("DANGWU_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "DANGWU_STATIC_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# Uploads (imports): refuse anything larger than this before reading it.
IMPORT_MAX_BYTES = env.int("DANGWU_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES + 1024 * 1024

# Uploaded files (attachments anywhere): larger ones are refused before they are read; an Office
# file (a zip) may unpack to at most the second limit, which stops zip bombs.
UPLOAD_MAX_BYTES = env.int("DANGWU_ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
UPLOAD_MAX_UNPACKED_BYTES = env.int(
    "DANGWU_ATTACHMENT_MAX_UNPACKED_BYTES", default=200 * 1024 * 1024
)

EMAIL_CONFIG = env.email_url("DANGWU_EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DANGWU_EMAIL_FROM", default="dangwu@localhost")
# The platform's own address, for links in e-mails (e.g. https://dangwu.example.gov.cn).
SITE_URL = env.str("DANGWU_SITE_URL", default="http://127.0.0.1:8000")

# 全宗号: the committee's fonds code in archival numbers (档号), assigned by the archives bureau.
ARCHIVE_FONDS_CODE = env.str("DANGWU_ARCHIVE_FONDS", default="0001")

NINJA_PAGINATION_PER_PAGE = 50

# Visit counting (docs/decisions/0005-visit-counting.md): pages counted, by URL name → kind.
VISITS_PAGES = {"portal:home": "home", "portal:column": "column", "portal:article": "article"}
VISITS_FLUSH_ITEMS = env.int("DANGWU_VISITS_FLUSH_ITEMS", default=1000)
VISITS_FLUSH_SECONDS = env.float("DANGWU_VISITS_FLUSH_SECONDS", default=10.0)
VISITS_BUFFER_LIMIT = env.int("DANGWU_VISITS_BUFFER_LIMIT", default=100_000)
VISITS_COOKIE_NAME = "dangwu_visitor"

# Signed exchange between the two sites (docs/exchange.md): the internal site signs with the
# private key, the public site verifies with the public key; sent bundles are kept in the outbox.
EXCHANGE_KEY_DIR = DATA_DIR / "keys"
EXCHANGE_PRIVATE_KEY = Path(
    env.str("DANGWU_EXCHANGE_PRIVATE_KEY", default=str(EXCHANGE_KEY_DIR / "exchange-ed25519.key"))
)
EXCHANGE_PUBLIC_KEY = Path(
    env.str("DANGWU_EXCHANGE_PUBLIC_KEY", default=str(EXCHANGE_KEY_DIR / "exchange-ed25519.pub"))
)
EXCHANGE_OUTBOX = DATA_DIR / "exchange" / "outbox"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DANGWU_LOG_LEVEL", default="WARNING")},
}

DEMO_PASSWORD = env.str("DANGWU_DEMO_PASSWORD", default="Dangwu@2026")
