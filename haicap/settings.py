"""Settings for haicap.

Everything an operator changes comes from the environment:

- ``DATABASE_URL``: ``postgres://user@host:5432/name``; SQLite in ``var/`` when unset.
- ``HAICAP_SECRET_KEY``: the signing key; generated once into ``var/secret_key`` when unset.
- ``HAICAP_DEBUG``: ``1`` for development error pages (never in production).
- ``HAICAP_ALLOWED_HOSTS``: comma-separated host names (default ``127.0.0.1,localhost``).
- ``DATABASE_REPLICA_URL``: a PostgreSQL streaming replica for the dashboards, reports, exports and
  public figures (docs/replica.md), with ``HAICAP_REPLICA_MAX_LAG_SECONDS``,
  ``HAICAP_REPLICA_STICKY_SECONDS``, ``HAICAP_REPLICA_CHECK_SECONDS``; ignored on SQLite.
- ``HAICAP_SIGNING_DIR``, ``HAICAP_SIGNING_PASSPHRASE``, ``HAICAP_RESULT_SIGNING``: the agencies'
  signing credentials for electronic results (see ``SIGNING_DIR`` below).
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HAICAP_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Read the key from the environment, or from a file made on first start (never committed)."""
    from_env = os.environ.get("HAICAP_SECRET_KEY")
    if from_env:
        return from_env
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("HAICAP_DEBUG") == "1"
ALLOWED_HOSTS = os.environ.get("HAICAP_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [
    origin for origin in os.environ.get("HAICAP_CSRF_TRUSTED_ORIGINS", "").split(",") if origin
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_q",
    "csp",
    "ninja",  # the API docs page's scripts and styles from the installed package, not a CDN
    "haicap.core",
    "haicap.calendar",
    "haicap.units",
    "haicap.accounts",
    "haicap.catalog",
    "haicap.dossiers",
    "haicap.exchange",
    "haicap.kpi",
    "haicap.payments",
    "haicap.staffing",
    "haicap.assets",
    "haicap.budget",
    "haicap.feedback",
    "haicap.reports",
    "haicap.oversight",
    "haicap.desk",
    "haicap.portal",
    "haicap.operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "haicap.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "haicap.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # before CSRF, which reads the body: an oversized upload is refused unread
    "haicap.core.middleware.BodySizeLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "haicap.core.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "haicap.core.middleware.DomainErrorPageMiddleware",
]

ROOT_URLCONF = "haicap.urls"
WSGI_APPLICATION = "haicap.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "haicap" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

SILENCED_SYSTEM_CHECKS: list[str] = []

# SQLite is the embedded default; DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'haicap.sqlite3'}",
        conn_max_age=int(os.environ.get("HAICAP_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of failing
        # half-way with "database is locked"; WAL lets readers go on meanwhile.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-haicap.sqlite3")}
    # The running dossiers' index by due moment carries its counted columns (INCLUDE) on
    # PostgreSQL, so the deadline sweep reads no table rows; SQLite has no covering columns and
    # builds the plain index, which is what it needs at its scale. Nothing to act on.
    SILENCED_SYSTEM_CHECKS.append("models.W040")

# An optional read replica (docs/replica.md): the views marked reads_from_replica read there
# while it is usable; everything else, and every write, uses the primary. Unset: nothing changes.
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("HAICAP_REPLICA_MAX_LAG_SECONDS", "30"))
# Longer than the lag allowed, so whoever has just written never reads from before the write.
REPLICA_STICKY_SECONDS = float(
    os.environ.get("HAICAP_REPLICA_STICKY_SECONDS", str(REPLICA_MAX_LAG_SECONDS + 10))
)
REPLICA_CHECK_SECONDS = float(os.environ.get("HAICAP_REPLICA_CHECK_SECONDS", "5"))
_replica_url = os.environ.get("DATABASE_REPLICA_URL", "")
if _replica_url and DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["replica"] = dj_database_url.parse(
        _replica_url,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    # A dead replica costs a short wait, once per check interval, before reads fall back.
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["haicap.core.replica.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "haicap.core.read_your_writes.ReadYourWritesMiddleware",
    )

# Who has just written (haicap.core.read_your_writes, with a replica), seen by every web process
# of this machine: an API client sends no cookie, and its next request may reach another
# gunicorn worker. Several web machines share one directory, or set a shared backend here.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "read_your_writes": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get(
            "HAICAP_READ_YOUR_WRITES_DIR", str(VAR_DIR / "read-your-writes")
        ),
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# The first hasher makes new hashes and verifies every Argon2 hash (its parameters are read from
# the hash); one made with other parameters, such as Django's defaults, is rehashed at sign-in.
PASSWORD_HASHERS = [
    "haicap.accounts.hashers.OwaspArgon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Addresses of reverse proxies in front of haicap; their X-Forwarded-For names the client.
TRUSTED_PROXIES = frozenset(
    ip.strip() for ip in os.environ.get("HAICAP_TRUSTED_PROXIES", "").split(",") if ip.strip()
)

LOGIN_URL = "desk:login"
LOGIN_REDIRECT_URL = "desk:home"
LOGOUT_REDIRECT_URL = "desk:login"

# Failed sign-ins (haicap/accounts/throttle.py): after this many failures for one account from
# one address within the window, further attempts from there are refused until the window has
# passed; one address gets four times as many across accounts. An account gets
# HAICAP_LOGIN_ACCOUNT_MAX_FAILURES across all addresses (against guessing spread over many
# machines), except from an address it signed in from in the last LOGIN_USUAL_ADDRESS_DAYS.
LOGIN_THROTTLE_MAX_FAILURES = int(os.environ.get("HAICAP_LOGIN_MAX_FAILURES", "5"))
LOGIN_THROTTLE_ACCOUNT_MAX_FAILURES = int(
    os.environ.get("HAICAP_LOGIN_ACCOUNT_MAX_FAILURES", str(LOGIN_THROTTLE_MAX_FAILURES * 10))
)
LOGIN_THROTTLE_WINDOW_SECONDS = int(os.environ.get("HAICAP_LOGIN_WINDOW_SECONDS", "900"))
# Filings online by one applicant for one procedure this close together are flagged to the desk.
ONLINE_REPEAT_WINDOW_MINUTES = int(os.environ.get("HAICAP_ONLINE_REPEAT_WINDOW_MINUTES", "10"))
LOGIN_USUAL_ADDRESS_DAYS = int(os.environ.get("HAICAP_LOGIN_USUAL_ADDRESS_DAYS", "90"))
# The desk's time limit to accept or return an online filing, in working hours from when the
# filing's clock would start (convention 3). No national limit was found (domain.md 7, duty 5),
# so this is haicap's convention, set per deployment: one working day, the span within which
# provincial centres say they accept or refuse a filing (a practice, not a verified rule).
ONLINE_REVIEW_LIMIT_WORKING_HOURS = int(os.environ.get("HAICAP_ONLINE_REVIEW_HOURS", "8"))
# A dossier waiting for a supplement that never comes is closed after this many calendar days
# from the request, counted as convention 4 counts calendar days. No general rule was found
# (domain.md 7, duty 5), so this is haicap's convention, set per deployment; the default of 60
# days is a choice, not a sourced limit: a province sets its own.
SUPPLEMENT_WAIT_LIMIT_DAYS = int(os.environ.get("HAICAP_SUPPLEMENT_WAIT_DAYS", "60"))
# A commune's workload in a field, which staffing norms derive from, is its dossiers of the last
# this many days, counted a month (30 days) at a time: haicap's convention, recent enough to
# follow a season's work and long enough not to swing with one busy week.
STAFFING_WORKLOAD_DAYS = int(os.environ.get("HAICAP_STAFFING_WORKLOAD_DAYS", "90"))
# Secondments ending within this many days, and one-stop desk postings this close to their
# rotation limit, are listed and warned about.
STAFFING_WARNING_DAYS = int(os.environ.get("HAICAP_STAFFING_WARNING_DAYS", "30"))
# Dossiers of illustrative history `load_demo_province` makes on an empty province; 0: none.
DEMO_HISTORY_DOSSIERS = int(os.environ.get("HAICAP_DEMO_HISTORY", "30000"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 10  # one working day
SESSION_COOKIE_SECURE = os.environ.get("HAICAP_SECURE_COOKIES") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# No page may be framed; the one exception is the printed form the desk shows in a frame of its
# own page (desk.dossier_views.dossier_form: same origin only).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind HTTPS (secure cookies on), browsers are told to use nothing else for a year.
SECURE_HSTS_SECONDS = (
    int(os.environ.get("HAICAP_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    if SESSION_COOKIE_SECURE
    else 0
)
# Off unless chosen: a haicap served at a domain's apex would bind every service under it to
# HTTPS. An explicit "0" is a decision recorded, so `check --deploy` stops reminding of it.
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("HAICAP_HSTS_INCLUDE_SUBDOMAINS") == "1"
SECURE_HSTS_PRELOAD = os.environ.get("HAICAP_HSTS_PRELOAD") == "1"
_DECIDED_AGAINST = {
    "HAICAP_HSTS_INCLUDE_SUBDOMAINS": "security.W005",
    "HAICAP_HSTS_PRELOAD": "security.W021",
}
SILENCED_SYSTEM_CHECKS += [
    check for name, check in _DECIDED_AGAINST.items() if os.environ.get(name) == "0"
]
# Behind a TLS proxy (deploy/nginx/haicap.conf), which overwrites X-Forwarded-Proto: believe it
# for request.is_secure(), and send plain-HTTP requests to HTTPS. The health check and metrics
# stay answerable over plain HTTP on the machine itself, for its monitors.
if os.environ.get("HAICAP_BEHIND_TLS_PROXY") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("HAICAP_SSL_REDIRECT") == "1"
SECURE_REDIRECT_EXEMPT = [r"^healthz(/live)?$", r"^metrics$"]

# Health (/healthz, haicap/operations/health.py): the worker is late when its last heartbeat
# (written every minute) is older than this; the outbox is late when a message has waited
# undelivered longer than this.
HEALTH_WORKER_MAX_SECONDS = int(os.environ.get("HAICAP_HEALTH_WORKER_SECONDS", "300"))
HEALTH_OUTBOX_MAX_SECONDS = int(os.environ.get("HAICAP_HEALTH_OUTBOX_SECONDS", "1800"))
# The bearer token Prometheus sends to /metrics; unset, /metrics does not exist (404) and no
# request is measured.
METRICS_TOKEN = os.environ.get("HAICAP_METRICS_TOKEN", "")
if METRICS_TOKEN:
    # Outermost, so a request's time includes every middleware and its answer.
    MIDDLEWARE.insert(0, "haicap.operations.middleware.RequestMetricsMiddleware")

# Content-Security-Policy (django-csp): scripts, styles and everything else from haicap itself,
# no inline scripts or styles, no plugins, never framed (but the desk's printed forms).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # the pages' empty icon is a data: address
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["haicap.formats"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

MEDIA_ROOT = Path(os.environ.get("HAICAP_MEDIA_DIR", VAR_DIR / "media"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# The most bytes a request may declare (Content-Length), per path prefix (the longest that
# matches): more is refused (413) before anything reads the body. Each is what the address takes
# at most, plus room for the form's fields (tests/core/test_body_limits.py checks they agree).
_MIB = 1024 * 1024
REQUEST_BODY_LIMITS = {
    "/thu-tuc/": 10 * 10 * _MIB + _MIB,  # an online filing: MAX_SUBMISSION_PAPERS scans
    "/phan-anh/gui/": 5 * 8 * _MIB + _MIB,  # a petition: MAX_PHOTOS photos
    "/open311/": _MIB,  # service requests are text: no uploads
    # the API's public filing: JSON, the photos in base64, within DATA_UPLOAD_MAX_MEMORY_SIZE
    "/api/v1/public/feedback/petitions": DATA_UPLOAD_MAX_MEMORY_SIZE,
}

# Electronic results (Decree 118/2025 Art. 22): each issuing body signs its result PDF with its
# own key and certificate. SIGNING_DIR holds ``agencies/<agency code>.p12`` (key and chain, with
# its passphrase in ``<agency code>.pass`` or HAICAP_SIGNING_PASSPHRASE) and ``trust/*.pem``,
# the roots a signature is checked against. Never in the repository, never in the database.
SIGNING_DIR = Path(os.environ.get("HAICAP_SIGNING_DIR", VAR_DIR / "signing"))
# "required": approving a result signs it, and fails while the agency has no credentials;
# "off": results are issued on paper only (a deployment that has not set up signing yet).
RESULT_SIGNING = os.environ.get("HAICAP_RESULT_SIGNING", "required")
if RESULT_SIGNING not in ("required", "off"):
    raise ValueError("HAICAP_RESULT_SIGNING is 'required' or 'off'")

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "haicap" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG or os.environ.get("HAICAP_STATIC_FROM_FINDERS") == "1":
    STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    WHITENOISE_USE_FINDERS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "haicap.core.logging.MaskPersonalDataFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_personal_data"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("HAICAP_LOG_LEVEL", "INFO")},
    # pikepdf (digitised papers) announces its own start on import: not a line for operators.
    "loggers": {"pikepdf": {"level": "WARNING"}},
}

NINJA_PAGINATION_MAX_LIMIT = 500

# The address citizens reach haicap at, for the QR codes printed on forms (when haicap sits
# behind a proxy whose public name differs from the one requests arrive with).
PUBLIC_BASE_URL = os.environ.get("HAICAP_PUBLIC_URL", "").rstrip("/")

# Background work (python manage.py worker): django-q2 with the database as its queue, so it
# runs on SQLite and PostgreSQL alike with nothing else to install.
Q_CLUSTER = {
    "name": "haicap",
    "orm": "default",
    "workers": int(os.environ.get("HAICAP_WORKER_PROCESSES", "2")),
    "timeout": 600,
    "retry": 900,
    "max_attempts": 3,
    "catch_up": False,  # after a stop, one sweep catches up; missed runs are not replayed
    "ack_failures": True,
    "poll": 1,
    "label": "Worker",
}
