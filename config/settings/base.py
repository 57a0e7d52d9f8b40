"""Settings shared by every mode. Each value comes from the environment with a safe default."""

import shutil
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from chorale.invoicing.options import from_environment as engine_options

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("CHORALE_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "dsfr",
    "widget_tweaks",
    "captcha",
    "axes",
    "django_tasks_db",
    "django_countries",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "chorale.core",
    "chorale.accounts",
    "chorale.structures",
    "chorale.directory",
    "chorale.engagements",
    "chorale.invoicing",
    "chorale.lifecycle",
    "chorale.routing",
    "chorale.flows",
    "chorale.support",
    "chorale.portal",
    "chorale.api",
    "chorale.edi",
    "chorale.ops",
]

MIDDLEWARE = [
    "chorale.core.tracing.RequestIdMiddleware",
    "chorale.core.metrics.RequestTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    "chorale.accounts.middleware.UserLanguageMiddleware",
    "chorale.accounts.oidc.SecretQuestionRequiredMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chorale.core.context_processors.site",
                "chorale.accounts.oidc.provider",
                "chorale.structures.context_processors.spaces",
            ],
        },
    }
]
FORM_RENDERER = "django.forms.renderers.DjangoTemplates"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'chorale.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; a busy timeout instead of errors.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "chorale.accounts.validators.ComplexityValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"

# Activation links live 48 hours; password-reset links one hour.
CHORALE_ACTIVATION_MAX_AGE = env_int("CHORALE_ACTIVATION_MAX_AGE", 48 * 3600)
PASSWORD_RESET_TIMEOUT = env_int("CHORALE_PASSWORD_RESET_MAX_AGE", 3600)
CHORALE_SECRET_ANSWER_MAX_FAILURES = 5
# Wrong secret answers are counted per account, across reset links; the count lapses this
# long after the last wrong answer.
CHORALE_SECRET_ANSWER_LOCK_HOURS = env_int("CHORALE_SECRET_ANSWER_LOCK_HOURS", 24)
# « Mot de passe oublié »: requests per hour for one address, and from one client address.
CHORALE_PASSWORD_RESET_PER_EMAIL = env_int("CHORALE_PASSWORD_RESET_PER_EMAIL", 3)
CHORALE_PASSWORD_RESET_PER_IP = env_int("CHORALE_PASSWORD_RESET_PER_IP", 20)

# FranceConnect-style sign-in: any OpenID Connect provider, found from its issuer
# (/.well-known/openid-configuration). The button shows only when the three are set.
CHORALE_OIDC_ISSUER = env_str("CHORALE_OIDC_ISSUER", "")
CHORALE_OIDC_CLIENT_ID = env_str("CHORALE_OIDC_CLIENT_ID", "")
CHORALE_OIDC_CLIENT_SECRET = env_str("CHORALE_OIDC_CLIENT_SECRET", "")
CHORALE_OIDC_NAME = env_str("CHORALE_OIDC_NAME", "FranceConnect")
CHORALE_OIDC_SCOPES = env_str("CHORALE_OIDC_SCOPES", "openid email given_name family_name")
# FranceConnect's e-mail addresses are verified but it sends no `email_verified` claim: set
# this to trust the provider's addresses; otherwise an account is linked by e-mail only when
# the claim says `email_verified: true`.
CHORALE_OIDC_EMAILS_VERIFIED = env_bool("CHORALE_OIDC_EMAILS_VERIFIED", False)

# Lock-out after repeated failed sign-ins (django-axes), per account.
AXES_FAILURE_LIMIT = env_int("CHORALE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("CHORALE_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
# By account, like the reference service: an IP-wide lock would shut out a whole public body
# behind one address (axes.W006 warns about the IP choice we deliberately do not make).
AXES_LOCKOUT_PARAMETERS = ["username"]
# models.W040: the invoice list indexes carry INCLUDE columns for PostgreSQL's index-only scans;
# SQLite, the embedded default, simply builds them without (nothing is lost there).
SILENCED_SYSTEM_CHECKS = ["axes.W006", "models.W040"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "chorale.accounts.lockout.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "chorale.core.network.client_ip"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
# The project's catalogues (scripts/compile_messages.py compiles them): French for what the
# packages we use leave in English, English for foreign suppliers.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Files (deposits, attachments): the local folder by default; any S3-compatible object store
# (AWS, OVHcloud, Scaleway, MinIO, Garage…) with CHORALE_STORAGE=s3, so that web and task
# workers on several machines share them.
CHORALE_STORAGE = env_str("CHORALE_STORAGE", "local")
if CHORALE_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("CHORALE_S3_BUCKET"),
            "endpoint_url": env_str("CHORALE_S3_ENDPOINT_URL") or None,
            "region_name": env_str("CHORALE_S3_REGION") or None,
            "access_key": env_str("CHORALE_S3_ACCESS_KEY") or None,
            "secret_key": env_str("CHORALE_S3_SECRET_KEY") or None,
            "location": env_str("CHORALE_S3_PREFIX"),
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
elif CHORALE_STORAGE != "local":
    raise ImproperlyConfigured("CHORALE_STORAGE must be local or s3")

# Background work: Django's tasks API on a durable, database-backed queue.
# /readyz answers 503 when the oldest task ready to run has waited longer than this (seconds).
CHORALE_READY_MAX_QUEUE_AGE = env_int("CHORALE_READY_MAX_QUEUE_AGE", 600)
# /metrics is closed unless configured: the addresses it answers (comma-separated; `*` for
# every address), and/or a token sent as `Authorization: Bearer <token>`.
CHORALE_METRICS_ALLOWED_IPS = env_list("CHORALE_METRICS_ALLOWED_IPS", [])
CHORALE_METRICS_TOKEN = env_str("CHORALE_METRICS_TOKEN")
# The reverse proxies in front of the site (addresses or networks, comma-separated): only
# their `X-Forwarded-For` is believed when telling a client's address (rate limits, logs).
CHORALE_TRUSTED_PROXIES = env_list("CHORALE_TRUSTED_PROXIES", [])
# Counters shared by every process and machine (rate limits): a table of the database by
# default, Redis when CHORALE_REDIS_URL is set (redis://host:6379/0).
CHORALE_REDIS_URL = env_str("CHORALE_REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CHORALE_REDIS_URL}
        if CHORALE_REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "chorale_cache",
        }
    )
}
# Three queues: flows, e-mails and the rest on "default"; webhook deliveries on "webhooks" and
# what is sent to AS2 partners on "edi", run by their own worker (`manage.py worker --queue-name
# webhooks,edi`), so that a slow endpoint never delays the judging of flows.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "webhooks", "edi"],
    }
}

# E-mail: real SMTP when SMTP_HOST is set, otherwise one .eml file a message in var/mail/.
SMTP_HOST = env_str("SMTP_HOST")
CHORALE_DOMAIN = env_str("CHORALE_DOMAIN", "localhost")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"Chorale <ne-pas-repondre@{CHORALE_DOMAIN}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if SMTP_HOST:
    _smtp_port = env_int("SMTP_PORT", 587)
    _smtp_ssl = env_bool("SMTP_SSL", False)
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": SMTP_HOST,
                "port": _smtp_port,
                "username": env_str("SMTP_USER") or None,
                "password": env_str("SMTP_PASSWORD") or None,
                "use_ssl": _smtp_ssl,
                "use_tls": env_bool("SMTP_STARTTLS", _smtp_port == 587 and not _smtp_ssl),
                "timeout": env_int("SMTP_TIMEOUT", 30),
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "chorale.core.mail.EmlFileBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }
# Without SMTP the links that e-mails carry are also logged, so a developer can follow them.
CHORALE_LOG_EMAIL_LINKS = not SMTP_HOST

# The validation engine (chorale/invoicing/options.py, shared with the standalone validator):
# CHORALE_MAX_XML_BYTES, CHORALE_VALIDATION_ENGINE (native, official or both),
# CHORALE_VALIDATION_ISOLATED (Saxon in a child process), CHORALE_FR_RULES (off, warning, fatal).
globals().update(engine_options())

# Deposits: one file or a batch (zip or tar), and what a batch may expand to.
CHORALE_MAX_DEPOSIT_BYTES = env_int("CHORALE_MAX_DEPOSIT_BYTES", 120 * 1024 * 1024)
CHORALE_MAX_BATCH_FILES = env_int("CHORALE_MAX_BATCH_FILES", 10_000)
CHORALE_MAX_BATCH_EXPANDED_BYTES = env_int("CHORALE_MAX_BATCH_EXPANDED_BYTES", 1024 * 1024 * 1024)
# A batch whose members expand to more than this many times its size is refused at once (a zip
# bomb), unless it expands to less than 10 MB.
CHORALE_MAX_BATCH_RATIO = env_int("CHORALE_MAX_BATCH_RATIO", 100)
# Documents judged together are cut by bytes too: memory stays bounded whatever the batch.
CHORALE_CHUNK_BYTES = env_int("CHORALE_CHUNK_BYTES", 32 * 1024 * 1024)
# A flow's worker renews its lease after each chunk; the sweep resumes a flow whose lease ran
# out (seconds), and stops one that has been started this many times without finishing.
CHORALE_FLOW_LEASE_SECONDS = env_int("CHORALE_FLOW_LEASE_SECONDS", 60)
CHORALE_FLOW_MAX_ATTEMPTS = env_int("CHORALE_FLOW_MAX_ATTEMPTS", 3)

# The Chorus Pro-compatible API (chorale.api): limits per call, rate limits per OAuth2 client
# (per process: each web process counts on its own), webhooks.
CHORALE_API_MAX_FLUX_BYTES = env_int("CHORALE_API_MAX_FLUX_BYTES", 30 * 1024 * 1024)
CHORALE_API_MAX_FILE_BYTES = env_int("CHORALE_API_MAX_FILE_BYTES", 10 * 1024 * 1024)
CHORALE_API_MAX_PDF_GROUP = env_int("CHORALE_API_MAX_PDF_GROUP", 50)
# A JSON body carries files in base64 (4/3 of their size): room for the largest flux.
DATA_UPLOAD_MAX_MEMORY_SIZE = CHORALE_API_MAX_FLUX_BYTES * 4 // 3 + 1024 * 1024
CHORALE_WEBHOOKS_ALLOW_LOOPBACK = env_bool("CHORALE_WEBHOOKS_ALLOW_LOOPBACK", False)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["chorale.api.auth.ChorusAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["chorale.api.auth.ClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "client": env_str("CHORALE_API_RATE", "1200/min"),
        "token": env_str("CHORALE_API_TOKEN_RATE", "60/min"),
    },
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "chorale.api.rest.handle_exception",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Chorale — API compatible Chorus Pro",
    "DESCRIPTION": (
        "Les services de l'API Chorus Pro (PISTE) : mêmes chemins, champs, codes et pages. "
        "Jeton OAuth2 à /api/oauth/token, puis chaque appel avec Authorization: Bearer et "
        "cpro-account. Voir docs/api.md."
    ),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
}

# Optional live look-up of unknown SIRETs in INSEE's API Sirene (off without a key).
SIRENE_API_KEY = env_str("SIRENE_API_KEY")
SIRENE_API_URL = env_str("SIRENE_API_URL", "https://api.insee.fr/api-sirene/3.11").rstrip("/")
SIRENE_API_TIMEOUT = env_int("SIRENE_API_TIMEOUT", 5)

# EDI connections: each one's tree (depot/, retour/, annuaire/) and the SFTP server's address.
CHORALE_EDI_ROOT = env_str("CHORALE_EDI_ROOT", str(VAR_DIR / "edi"))
CHORALE_EDI_SFTP_HOST = env_str("CHORALE_EDI_SFTP_HOST", "127.0.0.1")
CHORALE_EDI_SFTP_PORT = env_int("CHORALE_EDI_SFTP_PORT", 2222)
# AS2: Chorale's AS2 name (production; the same followed by _QUALIF for qualification) and its
# key and certificate (one PEM file); without it, one is made at first use under
# CHORALE_EDI_ROOT/as2/.
CHORALE_EDI_AS2_NAME = env_str("CHORALE_EDI_AS2_NAME", "CHORALE")
CHORALE_EDI_AS2_KEY = env_str("CHORALE_EDI_AS2_KEY", "")

# Absolute links in e-mails sent outside a request (notices from the worker or services). Without
# it, the local address on the port the site serves (`PORT`, as `make run` and gunicorn take it).
CHORALE_BASE_URL = env_str(
    "CHORALE_BASE_URL", f"http://127.0.0.1:{env_str('PORT', '8000')}"
).rstrip("/")
CHORALE_STATE_BRANDING = env_bool("CHORALE_STATE_BRANDING", False)
CHORALE_SITE_TITLE = env_str("CHORALE_SITE_TITLE", "Chorale")

# Captcha: an image of letters; test mode (the word PASSED) is for automated tests only.
CAPTCHA_TEST_MODE = False
# The sound alternative of the captcha (its characters spelled by Debian's flite); none without
# flite.
CAPTCHA_FLITE_PATH = env_str("CAPTCHA_FLITE_PATH", shutil.which("flite") or "") or None
CAPTCHA_IMAGE_SIZE = (160, 50)
CAPTCHA_FONT_SIZE = 36
CAPTCHA_LENGTH = 6
CAPTCHA_TIMEOUT = 15

DSFR_MARK_OPTIONAL_FIELDS = True
DSFR_USE_INTEGRITY_CHECKSUMS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("CHORALE_SESSION_SECONDS", 8 * 3600)
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
# Logs: one line each, with the request id (also carried into the tasks a request enqueues);
# LOG_FORMAT=json writes structured JSON lines (the production default).
LOG_FORMAT = env_str("LOG_FORMAT", "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "chorale.core.tracing.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["asctime", "levelname", "name", "request_id", "process", "message"],
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT if LOG_FORMAT in ("plain", "json") else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "chorale": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.tasks": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
    },
}

# Content-Security-Policy (Django's own middleware): scripts, styles, fonts and images from the
# site only, no inline script, no framing; forms post to the site (and the identity provider).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    # DSFR and Chart.js set a few style attributes; styles cannot run code.
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF, *([CHORALE_OIDC_ISSUER] if CHORALE_OIDC_ISSUER else [])],
}
