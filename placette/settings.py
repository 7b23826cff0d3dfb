"""Placette's only settings module, configured by environment variables with safe local defaults."""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
# The fallback key only serves a local checkout: `manage.py check --deploy` rejects it (W009),
# and platform/migrate.sh runs that check before production starts.
SECRET_KEY = env("SECRET_KEY", default="django-insecure-placette-local-only")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # daphne first: its runserver serves HTTP and WebSockets from one process in development.
    "daphne",
    "placette",
    "accounts",
    "notifications",
    "search",
    "suivi",
    "agenda",
    "echanges",
    "carte",
    "demarches",
    "lexique",
    "quartier",
    "home",
    "core",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "phonenumber_field",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First, so that every response carries the policy, errors included: a 400 for an unknown Host, or a 500,
    # raised by a middleware below never passes through the ones placed after it.
    "placette.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before everything that reads the session: a visitor without cookies gets the shared page at once.
    "placette.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "placette.sites.KnownSiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.StaffSecondFactorMiddleware",
    "accounts.middleware.ActingForMiddleware",
    "accounts.middleware.LastSeenMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "placette.urls"
WSGI_APPLICATION = "placette.wsgi.application"
ASGI_APPLICATION = "placette.asgi.application"

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
                "accounts.context_processors.account",
                "notifications.context_processors.notifications",
                "home.context_processors.footer",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run` serves the site and runs the worker on one SQLite file. WAL lets readers go on while one
    # writes; IMMEDIATE takes the write lock when a transaction starts, so two writers wait their turn (for up
    # to `timeout` seconds) rather than one failing at once with "database is locked" halfway through.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        timeout=20,
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Residents sign in with a code sent by e-mail or SMS (docs/adr/0004); a password stays possible.
LOGIN_URL = "account_request_login_code"
LOGIN_REDIRECT_URL = "accounts:my_account"
WAGTAILADMIN_LOGIN_URL = "account_login"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# A username too, for staff who sign in with a password; residents' usernames are random and unseen.
ACCOUNT_LOGIN_METHODS = {"email", "phone", "username"}
# Either one is enough: the signup form asks for one of the two (accounts.forms.SignupForm).
ACCOUNT_SIGNUP_FIELDS = ["email", "phone"]
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "signup": "accounts.forms.SignupForm",
    "request_login_code": "accounts.forms.RequestLoginCodeForm",
    "confirm_login_code": "accounts.forms.ConfirmLoginCodeForm",
}
ACCOUNT_USER_DISPLAY = "accounts.models.display_name"
ACCOUNT_UNIQUE_EMAIL = True
# The code sent at signup proves the address or the number; no separate verification e-mail.
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = env.int("LOGIN_CODE_TIMEOUT", default=10 * 60)
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
# "Renvoyer le code" twice per attempt; each new code also counts against ACCOUNT_RATE_LIMITS' request_login_code.
ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND = True
ACCOUNT_PHONE_VERIFICATION_TIMEOUT = ACCOUNT_LOGIN_BY_CODE_TIMEOUT
ALLAUTH_USER_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Placette] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# How many proxies of ours stand before Django, so that rate limits count each person by their own address (the
# last one a trusted proxy wrote in X-Forwarded-For). 0 without a proxy (`make run`): the connection's address counts
# and X-Forwarded-For, which anyone can write, is ignored. docker-compose.yml sets 1 for its Caddy.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Placette"
# Local demo only (`make run` sets it): allauth refuses it whenever DEBUG is off.
MFA_TOTP_INSECURE_BYPASS_CODE = env("MFA_TOTP_INSECURE_BYPASS_CODE", default=None)
if MFA_TOTP_INSECURE_BYPASS_CODE and not DEBUG:
    raise ImproperlyConfigured("MFA_TOTP_INSECURE_BYPASS_CODE ne sert qu'en local, avec DEBUG=1.")
# Nobody signs up with a required e-mail or phone on its own, which allauth notes as a warning.
SILENCED_SYSTEM_CHECKS = ["account.W001"]

# Personal data: accounts unused this long get a notice, then are erased (manage.py purge_inactive_accounts).
ACCOUNT_INACTIVITY_DAYS = env.int("ACCOUNT_INACTIVITY_DAYS", default=3 * 365)
ACCOUNT_INACTIVITY_NOTICE_DAYS = env.int("ACCOUNT_INACTIVITY_NOTICE_DAYS", default=30)
# How long each kind of personal data is kept before the worker erases it (accounts.retention); the
# privacy page says the same periods. Front-desk names: long enough to call people back about a
# session; mediators' log: a year of accountability to the resident; messages: two years after a
# conversation's last word, as the exchange's disputes need; notifications: six months of inbox.
PERSONAL_DATA_RETENTION_DAYS = {
    "front_desk_registrations": env.int("RETENTION_FRONT_DESK_DAYS", default=90),
    "acting_logs": env.int("RETENTION_ACTING_LOG_DAYS", default=365),
    "messages": env.int("RETENTION_MESSAGES_DAYS", default=2 * 365),
    "notifications": env.int("RETENTION_NOTIFICATIONS_DAYS", default=180),
    # Who answered a centre's SMS and what, once called back: long enough to call again about it.
    "sms_callbacks": env.int("RETENTION_SMS_CALLBACKS_DAYS", default=90),
    # "Je bloque ici" on a tutorial, with the number or address left to be called back.
    "tutorial_help_requests": env.int("RETENTION_TUTORIAL_HELP_DAYS", default=90),
    # A proposal on the map (a new place, "Cette information est fausse"), with the number or address left.
    "place_proposals": env.int("RETENTION_PLACE_PROPOSALS_DAYS", default=365),
    # Mediation records: unlinked from the people and their free text erased after three years (the counts stay);
    # a person helped by no record in as long goes (docs/suivi-export.md, "Durée de conservation").
    "mediation_records": env.int("RETENTION_MEDIATION_RECORDS_DAYS", default=3 * 365),
    "mediation_people": env.int("RETENTION_MEDIATION_PEOPLE_DAYS", default=3 * 365),
}

# SMS go through notifications.sms, pluggable like Django's e-mail backends.
SMS_BACKEND = env("SMS_BACKEND", default="notifications.sms.backends.console.SmsBackend")
SMS_API_URL = env("SMS_API_URL", default="https://api.brevo.com/v3/transactionalSMS/sms")
SMS_API_KEY = env("SMS_API_KEY", default="")
SMS_SENDER = env("SMS_SENDER", default="Placette")
SMS_TIMEOUT = env.int("SMS_TIMEOUT", default=10)
# The provider's webhook (delivery reports, replies, STOP) at /notifications/sms/webhook/: its requests carry this
# secret ("Authorization: Bearer …", or as the password of Basic auth). Empty: the webhook answers 404, never open.
SMS_WEBHOOK_TOKEN = env("SMS_WEBHOOK_TOKEN", default="")
# Reads the provider's payloads, pluggable like SMS_BACKEND (notifications.sms.webhooks).
SMS_WEBHOOK_PARSER = env("SMS_WEBHOOK_PARSER", default="notifications.sms.webhooks.brevo.parse")

# Notifications (docs/adr/0005): e-mail and SMS deliveries run in the worker, at most this often retried.
DELIVERY_MAX_ATTEMPTS = env.int("DELIVERY_MAX_ATTEMPTS", default=5)
# A claim older than this belongs to a worker that died: the delivery is tried again. Far above the
# SMS and SMTP timeouts, so a slow but living worker is never doubled.
DELIVERY_STALE_AFTER_MINUTES = env.int("DELIVERY_STALE_AFTER_MINUTES", default=10)
# No SMS at night: deliveries wait until the end of the quiet hours (local time, "HH:MM").
SMS_QUIET_HOURS = (env("SMS_QUIET_START", default="21:00"), env("SMS_QUIET_END", default="08:00"))
# A centre's page can set its own monthly SMS budget; this is the default for new centres.
SMS_MONTHLY_BUDGET = env.int("SMS_MONTHLY_BUDGET", default=300)
# How many public topics (a centre, an occurrence) one socket may follow at once.
LIVE_TOPICS_PER_SOCKET = 20

# Public pages for visitors without cookies are shared until anything they show changes (placette/page_cache.py),
# and at most this long, for what time alone changes. 0 turns the cache off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)

# The map's "Près de l'adresse": a geocoding service answering GeoJSON features with [longitude, latitude], called
# from the server (carte/geocoding.py), e.g. the Base Adresse Nationale, https://api-adresse.data.gouv.fr/search/.
# Empty: no address field, distances from the chosen centre only.
CARTE_GEOCODER_URL = env("CARTE_GEOCODER_URL", default="")

# Wagtail e-mails a page's reviewers; a network admin need not hear of every centre's proposals.
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False

# Recurring activities get their dates written this many days ahead (and one more day each night).
AGENDA_HORIZON_DAYS = env.int("AGENDA_HORIZON_DAYS", default=120)

# Background work: django-tasks on the database, run by `manage.py worker` (db_worker + periodic tasks).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

REDIS_URL = env("REDIS_URL", default="")
# Redis is a cache and a bus, never a dependency of reading or writing (docs/adr/0005): out of reach, the
# cache answers a miss (placette/cache.py) and a live push is logged and dropped (core.topics).
# Short connect timeouts, so that a Redis that does not answer at all costs a second, not a hung request.
REDIS_CONNECT_TIMEOUT = env.float("REDIS_CONNECT_TIMEOUT", default=1.0)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "placette.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": REDIS_CONNECT_TIMEOUT, "socket_timeout": 2 * REDIS_CONNECT_TIMEOUT},
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # redis-py's default pool of 100 and a socket timeout drop idle sockets under load.
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "max_connections": 1000,
                        "socket_timeout": None,
                        "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                    }
                ],
            },
        },
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français"))]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
# French is the source language: the msgids are the French text; locale/fr holds their inventory (ADR 0009).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True
PHONENUMBER_DEFAULT_REGION = "FR"

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Files no address may reach (the scans of signed mandates, core/files.py): never under MEDIA_ROOT.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private-media")
# In production Caddy serves /media/ from the shared volume; the site serves it itself only locally.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Placette <ne-pas-repondre@placette.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers. HTTPS is assumed whenever DEBUG is off: Caddy terminates TLS and says so.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True

# Public pages get a strict policy: no inline script, no eval, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# The Wagtail admin still needs inline script and style (wagtail/wagtail#1288): docs/adr/0002.
ADMIN_CONTENT_SECURITY_POLICY = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-ancestors": ["'self'"],
}
ADMIN_URL_PREFIX = "/admin/"

# The map of useful places (/carte/) draws its background from a tile server: any with {z}/{x}/{y} addresses.
# Only /carte/ widens its img-src, to this server's host alone (carte/tiles.py). OpenStreetMap's own server suits
# a network's modest use under its tile usage policy; a busier one points this at its own or a paid server
# (docs/adr/0013). The attribution is HTML shown on the map: the tiles' licence asks for it.
CARTE_TILE_URL = env("CARTE_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
CARTE_TILE_ATTRIBUTION = env(
    "CARTE_TILE_ATTRIBUTION",
    default='© <a href="https://www.openstreetmap.org/copyright">les contributeurs d\'OpenStreetMap</a>',
)
# What a {s} in CARTE_TILE_URL's host stands for, one letter (or word) a host; each host is allowed by the CSP.
CARTE_TILE_SUBDOMAINS = env.list("CARTE_TILE_SUBDOMAINS", default=["a", "b", "c"])

WAGTAIL_SITE_NAME = "Placette"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# The admin's date pickers write and show dates the French way. What a person types is read by
# home/french_dates.py ("8 décembre 2026", "14 h 30"...), which every project form and the admin's model
# forms use; Django's own input formats stay the "fr" locale's (d/m/Y, d/m/y and ISO), which win over
# DATE_INPUT_FORMATS anyway, so no FORMAT_MODULE_PATH is needed.
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_TIME_FORMAT = "%H:%M"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
# One search over pages and offers (search/). SQLite's full-text index already ignores case and accents; on
# PostgreSQL, plain "french" keeps them ("velo" would not find "vélo"), so search/migrations makes
# `french_unaccent`: French stemming of words without their accents. After changing it, run `manage.py update_index`.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "french_unaccent"
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "webp", "png": "webp", "jpeg": "webp", "gif": "webp"}
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]
# The recordings of the lexicon (lexique/audio.py checks their content): its EXTENSIONS, written out here.
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "docx", "csv", "xlsx", "ods", "txt"]
WAGTAILDOCS_EXTENSIONS += ["mp3", "ogg", "oga", "opus", "wav", "m4a", "mp4", "webm", "flac"]
# No call home from the admin: no update check, no Gravatar (residents' e-mail hashes stay here).
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No autosave: on a new page it creates the page while the editor is still typing, and when "Publier" is
# pressed during one, two pages are created (or the second is refused, "slug already in use", on a field the
# editor cannot see). Wagtail still warns before leaving a form with unsaved changes.
WAGTAIL_AUTOSAVE_INTERVAL = 0
WAGTAIL_GRAVATAR_PROVIDER_URL = None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # Wagtail logs every publish and each background task at INFO; its audit log keeps them already.
    "loggers": {name: {"level": "WARNING"} for name in ("wagtail", "django_tasks", "django_tasks_db")},
}
