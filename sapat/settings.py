"""Sapat settings. Everything that differs between installations comes from the environment
(see README, "Configuration")."""

from pathlib import Path

import dj_database_url

from sapat.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("SAPAT_DEBUG", False)
SECRET_KEY = env_str("SAPAT_SECRET_KEY") or (
    "insecure-development-key-set-SAPAT_SECRET_KEY-in-production" if DEBUG or env_bool("SAPAT_TESTING") else ""
)
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set SAPAT_SECRET_KEY (or SAPAT_DEBUG=1 for a local demo).")

ALLOWED_HOSTS = env_list("SAPAT_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("SAPAT_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "sapat.core",
    "sapat.org",
    "sapat.documents",
    "sapat.processes",
    "sapat.audits",
    "sapat.complaints",
    "sapat.improvement",
    "sapat.surveys",
    "sapat.accreditation",
    "sapat.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sapat.core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "sapat.urls"
WSGI_APPLICATION = "sapat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "sapat.org.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("SAPAT_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers and one writer work at once; the timeout rides out short write bursts.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
elif DATABASES["default"]["ENGINE"].endswith("postgresql") and env_bool("SAPAT_DB_PREPARED", True):
    # Lets the survey answer statement (sapat/surveys/answering.py, the hottest path) be planned
    # once per connection; Django's own queries bind on the client and are never prepared.
    # Switch off behind PgBouncer in transaction mode older than 1.21.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 1
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed sign-ins allowed per user name and address before a pause.
LOGIN_MAX_FAILURES = env_int("SAPAT_LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT_SECONDS = env_int("SAPAT_LOGIN_LOCKOUT_SECONDS", 900)
# Reverse proxies (nginx) in front of the app; their X-Forwarded-For tells the client's address.
PROXY_COUNT = env_int("SAPAT_PROXY_COUNT", 0)
# The public complaints pages (sapat.complaints.spam): (requests, seconds) per client address,
# and the least time in seconds a person takes to fill in the form.
COMPLAINT_LIMITS = {
    "submit": (env_int("SAPAT_COMPLAINTS_PER_HOUR", 5), 3600),
    "track": (30, 3600),  # wrong tracking codes: guessing them is slowed down
    "follow_up": (10, 3600),
}
COMPLAINT_MIN_FILL_SECONDS = env_int("SAPAT_COMPLAINT_MIN_FILL_SECONDS", 5)

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "sapat_cache",
    }
}

LANGUAGE_CODE = "ky"
LANGUAGES = [("ky", "Кыргызча"), ("ru", "Русский"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "sapat_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = env_str("SAPAT_TIME_ZONE", "Asia/Bishkek")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or env_bool("SAPAT_TESTING")
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or env_bool("SAPAT_TESTING")
# Uploaded files live outside the web root and are only served through permission checks.
MEDIA_ROOT = Path(env_str("SAPAT_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
UPLOAD_MAX_BYTES = env_int("SAPAT_UPLOAD_MAX_MB", 50) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if env_str("SAPAT_EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env_str("SAPAT_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("SAPAT_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("SAPAT_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("SAPAT_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("SAPAT_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("SAPAT_EMAIL_FROM", "sapat@localhost")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "sapat.org.api.exceptions.exception_handler",
    # POST /api/token/ per client address and per user name (sapat.org.api.views).
    "DEFAULT_THROTTLE_RATES": {"api_token": "10/min", "api_token_user": "10/min"},
    "NUM_PROXIES": PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sapat API",
    "DESCRIPTION": "Quality management and accreditation platform for universities and colleges",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The API browser is served from our own static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets sharing a field name ("status", "kind") get their own enum names.
    "ENUM_NAME_OVERRIDES": {
        "DocumentStatusEnum": "sapat.documents.choices.DocumentStatus",
        "ObjectiveStatusEnum": "sapat.processes.models_policy.ObjectiveStatus",
        "RiskStatusEnum": "sapat.processes.models_risks.RiskStatus",
        "RiskKindEnum": "sapat.processes.models_risks.RiskKind",
        "ComplaintStatusEnum": "sapat.complaints.choices.Status",
        "ComplaintCategoryEnum": "sapat.complaints.choices.Category",
        "NonconformityStateEnum": "sapat.improvement.models.NcState",
        "NonconformitySourceEnum": "sapat.improvement.models.NcSource",
        "ActionKindEnum": "sapat.improvement.models.ActionKind",
        "ActionStatusEnum": "sapat.improvement.models.ActionStatus",
        "FrameworkKindEnum": "sapat.accreditation.models_frameworks.FrameworkKind",
        "AccreditationKindEnum": "sapat.accreditation.models_register.AccreditationKind",
        "AccreditationEventKindEnum": "sapat.accreditation.models_register.EventKind",
        "CommissionMemberCategoryEnum": "sapat.accreditation.models_projects.MemberCategory",
        "SelfEvaluationReportKindEnum": "sapat.accreditation.models_projects.ReportKind",
        "EvidenceKindEnum": "sapat.accreditation.models_projects.EvidenceKind",
        "AgencyRemarkKindEnum": "sapat.accreditation.models_projects.RemarkKind",
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SAPAT_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SAPAT_SECURE_COOKIES", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SAPAT_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SAPAT_HSTS_SECONDS", 0)
# Only sent once HSTS is switched on; an institution whose sub-domains are not all on HTTPS turns these off.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SAPAT_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SAPAT_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("SAPAT_LOG_LEVEL", "WARNING")},
}
