"""Settings shared by every environment. Configuration comes from environment variables (see .env.example)."""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _
from dotenv import load_dotenv
from kombu import Queue

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent
VAR_DIR = Path(__import__("os").environ.get("URJA_VAR_DIR", BASE_DIR / "var"))

load_dotenv(BASE_DIR / ".env")

import os  # noqa: E402  (after load_dotenv so .env values are visible)


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
# True only under urja.settings.production: commands that make demo data refuse to run there.
URJA_PRODUCTION = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "urja.common",
    "urja.org",
    "urja.network",
    "urja.customers",
    "urja.metering",
    "urja.tariffs",
    "urja.ledger",
    "urja.billing",
    "urja.payments",
    "urja.energyaudit",
    "urja.mis",
    "urja.revenue",
    "urja.arrears",
    "urja.workflow",
    "urja.connections",
    "urja.helpdesk",
    "urja.notifications",
    "urja.api",
    "urja.staff",
    "urja.portal",
    "urja.field",
    "urja.legacy_import",
    "urja.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files (CSS, the Devanagari web font) served by the app itself, compressed and cached.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Refuses a NUL anywhere in the request and a body over the upload limits with a clear 4xx
    # (API: JSON), before anything reads the session or the body.
    "urja.common.middleware.RequestInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "urja.common.middleware.SecurityHeadersMiddleware",
    "urja.common.errors.NotFoundMiddleware",
]

ROOT_URLCONF = "urja.urls"
WSGI_APPLICATION = "urja.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
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

DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'urja.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env("DATABASE_URL", DEFAULT_SQLITE), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a writer commits; IMMEDIATE makes write transactions take the
    # lock up front instead of failing halfway with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A few indexes carry INCLUDE columns for PostgreSQL's index-only scans (the command centre's
    # revenue); SQLite builds the same index without them, which is all it needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: Urja's queries are short or index-driven, and compiling them cost more than it saved
    # (the energy audit's collections query at 1M consumers: 2.2 s of 4.5 s was JIT; docs/benchmarks.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # A connection pool per process (psycopg's; docs/operations/deployment.md): URJA_DB_POOL_MAX
    # connections at most, shared by the process's threads, so gunicorn workers × threads never open
    # more than workers × URJA_DB_POOL_MAX. Behind PgBouncer (transaction mode) leave it unset.
    # Behind PgBouncer in transaction mode a session is not kept between transactions: no server-side
    # cursors outside a transaction (Django's own prepared statements are off already).
    if env_bool("URJA_PGBOUNCER", False):
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
        DATABASES["default"]["CONN_MAX_AGE"] = 0
    elif env("URJA_DB_POOL_MAX"):
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections, not Django
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": 1,
            "max_size": int(env("URJA_DB_POOL_MAX")),
            "timeout": int(env("URJA_DB_POOL_TIMEOUT", "10")),
        }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["urja.org.auth.ThrottledModelBackend"]
# Login throttling (urja/org/auth.py, docs/decisions/0005-login-throttling.md). Within one window of
# LOGIN_LOCKOUT_SECONDS a client address may try LOGIN_FAILURE_LIMIT wrong passwords for one username
# and LOGIN_ADDRESS_FAILURE_LIMIT in all (an office shares one public address); past
# LOGIN_ACCOUNT_FAILURE_LIMIT wrong passwords for one username from anywhere, only addresses it logged
# in from within LOGIN_KNOWN_ADDRESS_DAYS may still try.
LOGIN_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(env("LOGIN_ADDRESS_FAILURE_LIMIT", str(4 * LOGIN_FAILURE_LIMIT)))
LOGIN_ACCOUNT_FAILURE_LIMIT = int(env("LOGIN_ACCOUNT_FAILURE_LIMIT", str(10 * LOGIN_FAILURE_LIMIT)))
LOGIN_LOCKOUT_SECONDS = int(env("LOGIN_LOCKOUT_SECONDS", "900"))
LOGIN_KNOWN_ADDRESS_DAYS = int(env("LOGIN_KNOWN_ADDRESS_DAYS", "30"))
# Addresses of the reverse proxies in front of Urja (IPs or networks): only a request from one of these
# has its client address taken from X-Forwarded-For; anyone else could write that header.
LOGIN_TRUSTED_PROXIES = env_list("LOGIN_TRUSTED_PROXIES", "")

LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "staff:login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("hi", _("Hindi"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Kolkata"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT")) if env("STATIC_ROOT") else VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Production serves static files under content-hashed names (cached for a year: a change is a new
# name) and pre-compressed (gzip and Brotli) by whitenoise; development and tests serve them as they are.
PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Without `collectstatic` (demo, tests) WhiteNoise finds files in the apps directly.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = env_bool("DEBUG", False)
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "urja"}}
if env("REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL")}
    }

# Background work: Celery with a real broker in production; without CELERY_BROKER_URL tasks run
# in-process (eager), so the embedded default needs no server.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    CELERY_BROKER_URL = "memory://"  # never contacted: eager tasks run in-process
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Bill-run partitions have a queue of their own, so a month's billing never waits behind SMS, PDFs and
# sweeps, nor they behind it: `celery -A urja worker -Q billing` and `-Q celery` run apart in production
# (docs/operations/); a worker started without -Q takes both.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = (Queue("celery", routing_key="celery"), Queue("billing", routing_key="billing"))
CELERY_TASK_ROUTES = {
    "urja.billing.tasks.bill_partition_task": {"queue": "billing", "routing_key": "billing"}
}
# Periodic work (a `celery beat` process reads this; without a broker run the commands from cron).
CELERY_BEAT_SCHEDULE = {
    # Items past their SLA: escalate, deem or notify (urja/workflow/tasks.py; `urja workflow sweep`).
    "workflow-sweep-breaches": {
        "task": "urja.workflow.sweep_breaches",
        "schedule": int(env("URJA_WORKFLOW_SWEEP_SECONDS", "300")),
    },
    # Complaints past their level's time climb the ladder (urja/helpdesk/tasks.py; `urja helpdesk escalate`).
    "helpdesk-escalate-overdue": {
        "task": "urja.helpdesk.escalate_overdue",
        "schedule": int(env("URJA_WORKFLOW_SWEEP_SECONDS", "300")),
    },
    # Whatever the after-commit task did not send (broker down, backoff, a promotional window, a
    # sender that died): the outbox sweep (docs/notifications.md; `urja notifications send`).
    "notifications-outbox-drain": {"task": "notifications.outbox_drain", "schedule": 60.0},
    # Due-date reminders, daily at 10:30 IST (inside the window for optional messages; `urja remind`).
    # Self-reading photos left by consumers who never confirmed the value (`urja portal_purge_pending`).
    "portal-purge-pending": {"task": "urja.portal.purge_pending", "schedule": 3600.0},
    "billing-due-reminders": {"task": "urja.billing.due_reminders", "schedule": crontab(hour=10, minute=30)},
    # The command centre's monthly roll-up (docs/energy-audit.md; `urja energy rollup`): the last two
    # months hourly (late bills and payments of the month just ended), thirteen nightly at 02:15.
    "energy-rollup-recent": {
        "task": "urja.energyaudit.rollup_refresh",
        "schedule": 3600.0,
        "kwargs": {"months": 2},
    },
    "energy-rollup-year": {
        "task": "urja.energyaudit.rollup_refresh",
        "schedule": crontab(hour=2, minute=15),
        "kwargs": {"months": 13},
    },
}

# How old the current month's roll-up may be for the command centre to show its arrears (as of its
# refresh) instead of summing every ledger balance live: the hourly refresh above keeps it younger.
URJA_ROLLUP_FRESH_MINUTES = 120

# Notifications (docs/notifications.md, docs/decisions/0032-exactly-once-messages.md).
URJA_NOTIFICATIONS = {
    "SMS_PROVIDER": env("URJA_SMS_PROVIDER", "console"),  # console | http | a dotted path
    # Send each message right after its transaction commits (else only the sweep sends: `urja demo`
    # turns this off while it writes its history).
    "DISPATCH_ON_COMMIT": True,
    "EMAIL_PROVIDER": env("URJA_EMAIL_PROVIDER", "email"),
    "HTTP": {
        "URL": env("URJA_SMS_HTTP_URL", ""),
        "STATUS_URL": env("URJA_SMS_HTTP_STATUS_URL", ""),
        "AUTH_HEADER": env("URJA_SMS_HTTP_AUTH_HEADER", "Authorization"),
        "AUTH_VALUE": env("URJA_SMS_HTTP_AUTH_VALUE", ""),
        "USERNAME": env("URJA_SMS_HTTP_USERNAME", ""),
        "PASSWORD": env("URJA_SMS_HTTP_PASSWORD", ""),
        # "PARAMS": {"to": "mobile", "body": "message", ...} renames the form fields (providers.HTTP_DEFAULTS).
    },
    # Delivery reports (POST /notifications/delivery/) are signed with this; none = every report refused.
    "WEBHOOK_SECRET": env("URJA_SMS_WEBHOOK_SECRET", ""),
    "WEBHOOK_WINDOW_SECONDS": 300,
    "MAX_ATTEMPTS": 6,
    "BACKOFF_BASE_SECONDS": 30,  # 30 s, 1, 2, 4, 8 min … up to the cap
    "BACKOFF_MAX_SECONDS": 3600,
    # A row still "sending" this long after its claim is asked about, never simply sent again.
    "SENDING_LEASE_SECONDS": 600,
    "PROMOTIONAL_HOURS": (10, 21),  # IST, DOMAIN.md "SMS details"
}

# E-mail (codes to prove an address, e-bills: urja/notifications/providers.py EmailProvider) goes through
# Django's mail backend: SMTP here and in production, the console in development, locmem under test.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Urja <no-reply@urja.invalid>")

# Security middleware and headers (production tightens the transport settings).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = False
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)

# Keyed hash for KYC document numbers (lets duplicates be found without keeping the number).
KYC_HASH_KEY = env("KYC_HASH_KEY", "") or SECRET_KEY

# Personal data is masked in every log record, whichever handler writes it (urja/common/logging.py).
LOGGING_CONFIG = "urja.common.logging.configure"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_pii": {"()": "urja.common.logging.MaskPersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["mask_pii"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "celery.app.trace": {"level": "WARNING"},
        "kombu.connection": {"level": "ERROR"},
    },
}

URJA = {
    # Public name of the utility shown on pages and documents.
    "UTILITY_NAME": env("URJA_UTILITY_NAME", "Urja Demo Discoms (UP)"),
    "DEMO_PASSWORD": env("URJA_DEMO_PASSWORD", "urja-demo-2026"),
    # The largest file upload (multipart request) taken, in bytes; other bodies are limited by
    # Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB). Larger requests get a 413.
    "UPLOAD_MAX_BYTES": int(env("URJA_UPLOAD_MAX_BYTES", str(50 * 1024 * 1024))),
}

# Billing rules that are configuration, not code (DOMAIN.md: uncertain values are data).
# Load / category changes (urja.connections.changes): the security deposit per kW a load increase
# calls for (Rs).
URJA_CONNECTION_CHANGES = {
    "DEPOSIT_PER_KW": env("URJA_DEPOSIT_PER_KW", "500"),
    # A connection left temporarily disconnected this long is disconnected permanently
    # (`urja disconnection permanent`): final reading, final bill, deposit set against the dues.
    "PERMANENT_AFTER_MONTHS": int(env("URJA_PERMANENT_AFTER_MONTHS", "6")),
}
# Field app (issue 11): a reading taken farther than this from the consumer's recorded location is
# flagged on the supervisor's map (metres).
URJA_FIELD = {
    "FAR_METRES": int(env("URJA_FIELD_FAR_METRES", "200") or "200"),
}

# A monitor presenting this in the X-Urja-Health-Token header gets /healthz's detail (broker, queue
# depths, outbox, bill runs in progress); unset, only signed-in superusers do (docs/operations/).
URJA_HEALTH_TOKEN = env("URJA_HEALTH_TOKEN", "")

URJA_BILLING = {
    # Days from the bill's issue date to its due date.
    "DUE_DAYS": int(env("URJA_BILL_DUE_DAYS", "15")),
    # A bill revision changing the payable by more than this (rupees) needs approval by a higher role.
    "REVISION_APPROVAL_ABOVE": env("URJA_REVISION_APPROVAL_ABOVE", "5000"),
    # A first bill within this many days of the connection date is held for review.
    "NEW_CONNECTION_DAYS": 62,
    # A temporarily disconnected metered account is billed its fixed (demand) charges, with no energy and
    # no minimum-charge top-up, until it is reconnected or permanently disconnected (decision 0045).
    # UNCERTAIN: no UPERC text for the rule was found; False leaves such accounts out of the runs.
    "DISCONNECTED_FIXED_CHARGES": env_bool("URJA_DISCONNECTED_FIXED_CHARGES", True),
    # An unfinished bill run with no partition started or finished for this long has stopped (a killed
    # worker or server) and may be resumed from the console. A partition (one DC) takes seconds.
    "RUN_STALE_AFTER_MINUTES": int(env("URJA_RUN_STALE_AFTER_MINUTES", "30")),
    # Without a broker, a run started from the console is billed by its own process
    # (`urja billrun --resume RUN`, every core) while the page follows its progress: "process". "inline"
    # bills within the web request instead (the tests; a run then shows finished when the page loads).
    "LOCAL_RUNS": env("URJA_LOCAL_RUNS", "process"),
    # Rooftop solar (urja.domain.solar, docs/decisions/0010). Net metering's settlement year ends with
    # the bills of this month (3: March, the financial year); the units still banked then are paid at
    # the settlement rate. UNCERTAIN: Rs 0.50/unit is the rate of UPERC's 2015 rooftop regulations as
    # reported; the rate under the 2019 regulations is to be confirmed from the Commission's order.
    "SOLAR_SETTLEMENT_MONTH": int(env("URJA_SOLAR_SETTLEMENT_MONTH", "3")),
    "SOLAR_SETTLEMENT_RATE": env("URJA_SOLAR_SETTLEMENT_RATE", "0.50"),
    # Gross metering's feed-in rate (Rs/kWh), set by the Commission: none entered yet, so a gross
    # metering bill with export is held ("no feed-in rate") rather than paid at an invented figure.
    "SOLAR_FEED_IN_RATE": env("URJA_SOLAR_FEED_IN_RATE", "0"),
    # Late-bill rebate (Electricity (Rights of Consumers) Rules 2020, 2-5% as the Commission
    # specifies; docs/decisions/0010): for a bill issued this many days or more after its period ends.
    "LATE_BILL_REBATE_AFTER_DAYS": int(env("URJA_LATE_BILL_REBATE_AFTER_DAYS", "60")),
    "LATE_BILL_REBATE_PERCENT": env("URJA_LATE_BILL_REBATE_PERCENT", "2"),
}
URJA_DEMO_STEPS = [
    "urja.demo.billing.demo_billing_history",
    "urja.demo.collections.demo_payments",
    "urja.demo.connections.demo_new_connections",
    "urja.field.demo.demo_route_books",
    "urja.demo.energy.demo_input_energy",
    "urja.demo.energy.demo_rollup",
]

# Collections (DOMAIN.md: LPSC 1.25%/month for the first 3 months of delay, 2%/month after).
URJA_PAYMENTS = {
    "BOUNCE_CHARGE": env("URJA_BOUNCE_CHARGE", "150.00"),
    "CASH_ONLY_DAYS": int(env("URJA_CASH_ONLY_DAYS", "180")),
    # A manual adjustment larger than this (rupees, either sign) needs approval by a higher role.
    "ADJUSTMENT_APPROVAL_ABOVE": env("URJA_ADJUSTMENT_APPROVAL_ABOVE", "1000.00"),
    # How old (days, by IST date) a new payment's paid_at may be, for every channel. 90 covers a bank's
    # late settlement file or a partner's retry after a long outage, yet a back-dated credit cannot
    # reach into bills and surcharges of earlier quarters (docs/settlement-files.md).
    "PAID_AT_MAX_AGE_DAYS": int(env("URJA_PAID_AT_MAX_AGE_DAYS", "90")),
    "LPSC_PERCENT_FIRST_MONTHS": "1.25",
    "LPSC_PERCENT_LATER": "2.00",
    "LPSC_FIRST_MONTHS": 3,
    # The built-in sandbox gateway signs webhooks with this key (HMAC-SHA256). Set a real secret per gateway in production.
    "SANDBOX_GATEWAY_SECRET": env("URJA_SANDBOX_GATEWAY_SECRET", "sandbox-webhook-secret-not-for-production"),
    "UPI_VPA": env("URJA_UPI_VPA", "urja.demo@upi"),
    # The sandbox gateway posts real ledger payments with no money moving: on only where DEBUG is,
    # unless switched on explicitly (a staging site).
    "SANDBOX_GATEWAY_ENABLED": env_bool("URJA_SANDBOX_GATEWAY_ENABLED", DEBUG),
    "ONLINE_GATEWAY": env("URJA_ONLINE_GATEWAY", "sandbox"),
    # The most one payment may be, per channel (rupees; "default" for a channel not named). Cash at a
    # counter stays below ₹2 lakh (Income-tax Act s.269ST forbids taking ₹2 lakh or more in cash);
    # every other channel takes up to ₹1 crore, above a month's bill of the largest HT consumers.
    # Channels: cash, cheque, dd, card, upi_counter, online, partner, bank (docs/decisions/0007-input-hygiene.md).
    "PAYMENT_MAX": {
        "default": env("URJA_PAYMENT_MAX", "10000000.00"),
        "cash": env("URJA_PAYMENT_MAX_CASH", "199999.00"),
    },
    # The most advance (credit balance) a payment or a credit adjustment may leave on an account; it
    # keeps every balance, bill and statement far inside the 14-digit money columns.
    "ADVANCE_MAX": env("URJA_ADVANCE_MAX", "1000000.00"),
    # The most one manual adjustment may be, either way (rupees).
    "ADJUSTMENT_MAX": env("URJA_ADJUSTMENT_MAX", "10000000.00"),
}

# The workflow engine (urja/workflow, docs/decisions/0020-workflow-engine.md). LADDER: the escalation
# ladder above the officer who first holds an item (JE → SDO → EE → SE), each rung with the time it
# has before the item goes one level higher, as (role, amount, unit); a definition may carry its own.
# WEEKLY_OFF: weekday numbers (Monday 0 … Sunday 6) that are not working days for SLAs in working days.
# New connections (urja.connections.new_connection). SLA_DAYS: the Electricity (Rights of Consumers)
# Rules 2020, rule 4(9) (metro / other municipal / rural), from a complete application; amendments and
# UPERC may shorten them. COMPENSATION: rupees credited once for a connection not given in time — an
# estimate (docs/decisions/0025), set it to the UPERC Standards of Performance figure.
# DISCOM_DIGIT: the first digit of account numbers opened here.
URJA_NEW_CONNECTION = {
    "SLA_DAYS": {
        "metro": int(env("URJA_NC_SLA_METRO_DAYS", "7")),
        "municipal": int(env("URJA_NC_SLA_MUNICIPAL_DAYS", "15")),
        "rural": int(env("URJA_NC_SLA_RURAL_DAYS", "30")),
    },
    "COMPENSATION": env("URJA_NC_COMPENSATION", "500"),
    "DISCOM_DIGIT": int(env("URJA_NC_DISCOM_DIGIT", "1")),
}
URJA_WORKFLOW = {
    "LADDER": [
        ("sdo", int(env("URJA_ESCALATION_SDO_DAYS", "2")), "working_days"),
        ("ee", int(env("URJA_ESCALATION_EE_DAYS", "3")), "working_days"),
        ("se", int(env("URJA_ESCALATION_SE_DAYS", "5")), "working_days"),
    ],
    "WEEKLY_OFF": [int(day) for day in env_list("URJA_WEEKLY_OFF", "6")],
}

# Consumption segmentation (urja.domain.segmentation, docs/segmentation.md): within each sub-division,
# category and load band, LOW = at or below the LOW_PERCENTILE of the month's units, HIGH = above the
# HIGH_PERCENTILE (nearest rank); a band with fewer than MIN_GROUP metered consumers uses its category's
# thresholds. LOAD_BANDS: upper bounds (inclusive) of the load bands in the bill's load unit, keyed by
# category code or prefix (the longest match wins); None keeps the defaults in the domain module.
URJA_SEGMENTATION = {
    "LOW_PERCENTILE": env("URJA_SEGMENT_LOW_PERCENTILE", "33"),
    "HIGH_PERCENTILE": env("URJA_SEGMENT_HIGH_PERCENTILE", "80"),
    "MIN_GROUP": int(env("URJA_SEGMENT_MIN_GROUP", "20")),
    "LOAD_BANDS": None,
}
