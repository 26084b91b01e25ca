"""Settings of the Americano database project.

The database is ``DATABASE_URL`` (any libpq URI) or, without it, the embedded
PostgreSQL server whose data lives in ``.pgdata/``. See the README.
"""

import os
from pathlib import Path

from americano.core.environment import current_environment
from americano.db.config import current_url, database_settings

BASE_DIR = Path(__file__).resolve().parent.parent
AMERICANO_ENV = current_environment()

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or (
    "development-only-key-never-used-in-production" if AMERICANO_ENV == "development" else None
)
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"DJANGO_SECRET_KEY must be set when AMERICANO_ENV={AMERICANO_ENV}")
DEBUG = AMERICANO_ENV == "development"
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Before django_extensions: our reset_db (guarded) must win over its own.
    "americano",
    "django_extensions",
    "learning",
    "content",
    "behavior",
    "demo",
]
# The apps whose tables the Prisma clients share (checked by americano.db.checks).
AMERICANO_SCHEMA_APPS = ["learning", "content", "behavior"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "americano.urls"
WSGI_APPLICATION = "americano.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "americano" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": database_settings(
        current_url(), BASE_DIR / ".pgdata", os.environ.get("AMERICANO_TEST_DATABASE")
    )
}

# Where `manage.py backup` writes and the admin's Backups page reads.
AMERICANO_BACKUP_DIR = Path(os.environ.get("AMERICANO_BACKUP_DIR") or BASE_DIR / "backups")
# The server on which drift checks build their shadow database (None: the embedded one).
AMERICANO_SHADOW_URL = os.environ.get("AMERICANO_SHADOW_URL") or None
# The session that migrates (migrate_deploy; migrate outside development): how long a statement
# waits for a lock, and runs at most (docs/deploy.md). migrate_deploy tries a migration that
# met a lock timeout this many times in all, waiting the back-off (seconds), doubled each time.
AMERICANO_LOCK_TIMEOUT = os.environ.get("AMERICANO_LOCK_TIMEOUT") or "5s"
AMERICANO_STATEMENT_TIMEOUT = os.environ.get("AMERICANO_STATEMENT_TIMEOUT") or "15min"
AMERICANO_DEPLOY_RETRIES = 5
AMERICANO_DEPLOY_BACKOFF = 1.0
# migrate_lint: rewriting, scanning or indexing a table above either limit is blocking.
AMERICANO_LINT_LARGE_TABLE_ROWS = 100_000
AMERICANO_LINT_LARGE_TABLE_BYTES = 100 * 1024 * 1024

# Prisma stores naive UTC; database sessions run in UTC so that date
# truncation and comparisons agree with it.
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en-us"
USE_I18N = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
