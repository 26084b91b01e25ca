# Existing table: numeric to double precision.
# Source: getsentry/sentry fixtures/safe_migrations_apps/decimal_to_float_app/migrations/0002_type_conversion.py (unsafe).
# Source: tbicr/django-pg-zero-downtime-migrations tests/apps/decimal_to_float_app/migrations/0002_type_conversion.py (unsafe).
# Verdict: unsafe: a real conversion: the table is rewritten under ACCESS EXCLUSIVE.
from django.db import migrations, models

VERDICT = "unsafe"
PEERS = ("sentry", "django-pg-zero-downtime-migrations")
EXPECTED = {"column-type-change": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AlterField("account", "balance", models.FloatField(null=True)),
    ]
