"""Settings for the test suite: the project's, plus test-only apps."""

from americano.settings import *  # noqa: F403
from americano.settings import INSTALLED_APPS

#: Apps that exist only for tests (known-good and known-bad migrations, recipes).
TEST_APPS: list[str] = ["tests.backfill_recipes"]

INSTALLED_APPS = [*INSTALLED_APPS, *TEST_APPS]

# Hashing the admin user's password slowly only costs test time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
