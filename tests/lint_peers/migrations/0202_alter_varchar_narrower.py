# Existing table: varchar(120) to varchar(100).
# Source: tbicr/django-pg-zero-downtime-migrations tests/apps/bad_flow_change_char_type_that_unsafe_app/migrations/0002_change_type_from_char120_to_char100.py (unsafe).
# Source: getsentry/sentry fixtures/safe_migrations_apps/bad_flow_change_char_type_that_unsafe_app/migrations/0002_change_type_from_char120_to_char100.py (unsafe).
# Verdict: unsafe: every value is checked and the table rewritten under ACCESS EXCLUSIVE.
from django.db import migrations, models

VERDICT = "unsafe"
PEERS = ("django-pg-zero-downtime-migrations", "sentry")
EXPECTED = {"column-type-change": "blocking", "prefer-text-field": "advice"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AlterField("account", "code", models.CharField(max_length=100)),
    ]
