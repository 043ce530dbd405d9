"""Settings shared by every environment; everything that differs comes from the environment."""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env.read_env(str(BASE_DIR / ".env"))

# --- Core -------------------------------------------------------------------
SECRET_KEY = env("SECRET_KEY", default="insecure-local-only-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    # Django's admin with a site that also asks for the second factor (accounts/otp.py).
    "accounts.apps.VerifiedAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "django_bootstrap5",
    "django_tables2",
    "django_htmx",
    "core",
    "accounts",
    "deputies",
    "appeals",
    "feedback",
    "ratings",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LanguageMiddleware",
    # The RateLimit fields on every /api/ answer, the malformed requests' refusals too.
    "core.api.throttling.RateLimitHeadersMiddleware",
    # After the language is chosen (its error page is translated), before anything reads the body.
    "core.middleware.MalformedRequestMiddleware",
    "core.middleware.RetryAfterMiddleware",
    "core.middleware.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which device verified this session, then: staff go no further without one.
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: it answers locked-out sign-ins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "deputies.context_processors.site",
                "appeals.context_processors.unread",
            ],
        },
    },
]

# Every table: django-tables2 in Bootstrap's markup, in a container that scrolls
# sideways on a phone instead of the page.
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
BOOTSTRAP5 = {"set_placeholder": False, "required_css_class": "required"}

# --- Data -------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# Django checks a reused connection at the first query of each request, so a restarted
# PostgreSQL costs no failed request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and a Celery worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "accounts:home"  # each role to its own start page
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule: its hook revokes API tokens after every password change.
    {"NAME": "accounts.passwords.RevokeApiTokensOnChange"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Brute-force protection: after 5 failures for one account from one address, that pair
# is locked for 15 minutes; other people and other addresses are unaffected.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The sign-in form posts the e-mail as "username" (Django's AuthenticationForm).
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# One spelling of an address and one client address for every limit (core.clients).
AXES_USERNAME_CALLABLE = "core.clients.sign_in_name"
AXES_CLIENT_IP_CALLABLE = "core.clients.client_ip"
# Second factor of staff (django-otp): the name authenticator apps show, and the wait
# after the n-th wrong code in a row, factor × 2^(n-1) seconds, per device.
OTP_TOTP_ISSUER = "Izbiratel"
# Nobody, operators included, reads another person's authenticator key or QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Seconds an e-mail confirmation link stays valid.
EMAIL_CONFIRMATION_MAX_AGE = 3 * 24 * 3600

# --- Language and time ------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True

# --- Static and uploads -----------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads live outside the static root and are served only by views that check access.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "media"))
MEDIA_URL = "/media/"
# A request body is refused with 413 from its declared length, unread, past these: a
# filing's 5 files of 10 MB and its form; any other body (JSON, a form) 2.5 MB, Django's.
MAX_UPLOAD_REQUEST_SIZE = env.int("MAX_UPLOAD_REQUEST_SIZE", default=5 * 10 * 1024 * 1024 + 1024**2)
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
# Request headers: gunicorn's defaults, enforced by core.middleware (431 in the caller's
# form); gunicorn's own limits (config/gunicorn.py) are twice these.
MAX_REQUEST_HEADERS = 100
MAX_REQUEST_HEADER_SIZE = 8190
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Absolute links in e-mails point here.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# --- E-mail -----------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Izbiratel <noreply@izbiratel.local>")

# --- Celery -----------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
    CACHES = {
        "default": {
            # django-redis, for one reason: with Redis away a cache call is a miss, not a
            # 500 (throttles open, sessions read from the database), and it fails fast.
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.25,
                "SOCKET_TIMEOUT": 0.25,
            },
        }
    }
    # Sessions read from Redis, written through to the database: a lost cache logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # No broker configured: tasks run in the calling process.
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Publishing must fail fast when Redis is away: requests never wait on the broker.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 2}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2

# Cache errors ignored above are logged, so an outage is seen.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# --- Webhooks ---------------------------------------------------------------
# Deliver to private, loopback and link-local addresses, and over plain http: tests and
# local development only (production refuses it). Off, a subscription cannot make the
# server call inside its own network (appeals.webhook_sender).
WEBHOOK_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", default=False)

# --- Ratings ----------------------------------------------------------------
# Answers and feedback within this many seconds lead to one recompute.
RATING_DEBOUNCE_SECONDS = env.int("RATING_DEBOUNCE_SECONDS", default=60)

# --- Client address ---------------------------------------------------------
# How many proxies of our own stand before the application (the TLS proxy: 1). With 0
# the peer's address counts and X-Forwarded-For is ignored; with N the N-th address
# from the right of X-Forwarded-For does. The lockout, the API throttles and the mail
# limits all read it through core.clients.client_ip.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)

# --- API ---------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: an anonymous call then gets 401 with WWW-Authenticate, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # Bad filter values and orderings are refused (400 listing what is allowed).
    "DEFAULT_FILTER_BACKENDS": [
        "core.api.filters.FilterBackend",
        "core.api.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PagePagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.throttling.AnonRateThrottle",
        "core.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="120/min"),
        "user": env("API_THROTTLE_USER", default="1200/min"),
        "filing": env("API_THROTTLE_FILING", default="30/min"),
        # Topic suggestions on the filing form (debounced typing): one a second on average.
        "topic_suggestion": env("TOPIC_SUGGESTION_THROTTLE", default="60/min"),
        # Token sign-ins per client address (POST /api/v1/auth/token/), beside the lockout.
        "sign_in": env("API_THROTTLE_SIGN_IN", default="10/min"),
    },
    # drf-standardized-errors' handler, with core.api.exceptions' classes (below).
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON only, without infinities, NaN or lone surrogates (core.api.parsers): one
    # media type per request body; anything else is a 415.
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.JSONParser"],
}
# Errors as RFC 9457 problem details (core/api/problems.py).
DRF_STANDARDIZED_ERRORS = {
    "EXCEPTION_HANDLER_CLASS": "core.api.exceptions.ProblemHandler",
    "EXCEPTION_FORMATTER_CLASS": "core.api.exceptions.ProblemFormatter",
    # The schema's per-operation error responses: core.api.schema.AutoSchema.
    "ALLOWED_ERROR_STATUS_CODES": [
        "400",
        "401",
        "403",
        "404",
        "405",
        "406",
        "409",
        "413",
        "415",
        "429",
        "431",
        "500",
        "503",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Izbiratel API",
    "DESCRIPTION": (
        "Appeals of citizens to their deputies, the deputies' answers, the citizens' "
        "feedback and the deputies' rating. JSON in and out; authenticate with "
        "`Authorization: Token <key>`. Every list is paginated, filtered and ordered as "
        "its parameters say; an appeal's actions are POSTs under `/appeals/{number}/`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Tags and operationIds from the path after the version: `appeals`, `appeals_list`.
    "SCHEMA_PATH_PREFIX": r"/api/v1/",
    # Request bodies get components of their own (`AnswerRequest`), so an output's
    # read-only fields do not make its input's required ones optional.
    "COMPONENT_SPLIT_REQUEST": True,
    # The grounds of rejection are one choice set, in the answer and the reject input.
    "ENUM_NAME_OVERRIDES": {
        "AppealStatusEnum": "appeals.models.Appeal.Status",
        "RejectionReasonEnum": "appeals.models.Appeal.RejectionReason",
        "MessageKindEnum": "appeals.models.Message.Kind",
        "EventTypeEnum": "appeals.models.AppealEvent.Type",
        "BodyLevelEnum": "deputies.models.Body.Level",
        "MunicipalityKindEnum": "deputies.models.Municipality.Kind",
        "SolvedEnum": "feedback.models.Feedback.Solved",
        "AttachmentTypeEnum": "appeals.api.serializers.ATTACHMENT_TYPES",
        "ProblemCodeEnum": "core.api.problems.CODE_CHOICES",
        "WebhookDeliveryStatusEnum": "appeals.models.WebhookDelivery.Status",
        "WebhookEventEnum": "appeals.models.WebhookSubscription.Event",
        "WebhookDeliveryEventEnum": "appeals.api.webhooks.DELIVERY_EVENTS",
    },
    "TAGS": [
        {"name": "auth", "description": "Tokens: get one with e-mail and password, list, revoke."},
        {"name": "me", "description": "Who the token belongs to: role, region, deputy id."},
        {"name": "appeals", "description": "Filing an appeal, reading it, and its actions."},
        {"name": "feedback", "description": "The citizen's rating of an answered appeal."},
        {"name": "ratings", "description": "The deputies' rating: tables and history."},
        {"name": "regions", "description": "Regions (subjects of the federation)."},
        {"name": "municipalities", "description": "Municipalities of a region."},
        {"name": "bodies", "description": "Representative bodies: regional and municipal."},
        {"name": "deputies", "description": "Deputies and whether they accept appeals."},
        {"name": "topics", "description": "The topics an appeal is filed under."},
        {"name": "webhooks", "description": "Signed notifications of appeal events."},
    ],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.tidy_schema",
    ],
}

# --- Content-Security-Policy (django-csp) --------------------------------------
# Only this site's scripts, styles and images; no inline script or style anywhere
# but the API docs page, which is exempt (Swagger UI starts with an inline script).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Limits on filing and on account mail -------------------------------------
# Beside the per-minute budget (API_THROTTLE_FILING): appeals a citizen may file in 24
# hours, and of them to one deputy.
FILING_DAILY_LIMIT = env.int("FILING_DAILY_LIMIT", default=20)
FILING_DEPUTY_DAILY_LIMIT = env.int("FILING_DEPUTY_DAILY_LIMIT", default=5)
# Password-reset, confirmation and sign-up letters, each kind counted per address and
# per client address within MAIL_LIMIT_WINDOW seconds; past a limit no letter goes and
# the answer stays the same.
MAIL_LIMIT_PER_ADDRESS = env.int("MAIL_LIMIT_PER_ADDRESS", default=3)
MAIL_LIMIT_PER_CLIENT = env.int("MAIL_LIMIT_PER_CLIENT", default=10)
MAIL_LIMIT_WINDOW = env.int("MAIL_LIMIT_WINDOW", default=3600)

# --- Personal data ----------------------------------------------------------
# The version of the personal-data consent text a citizen agrees to when filing.
PERSONAL_DATA_CONSENT_VERSION = "2026-11"

# --- Logging ----------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
