# Existing table: varchar(100) to varchar(200).
# Source: tbicr/django-pg-zero-downtime-migrations README.md, Dealing with ALTER TABLE ALTER COLUMN TYPE, 1 (safe).
# Source: ankane/strong_migrations README.md, Changing the type of a column (safe in Postgres).
# Source: getsentry/sentry fixtures/safe_migrations_apps/bad_flow_reverse_char_type_narrowing_app/migrations/0002_widen_field.py (forwards safe; refused for its reverse).
# Verdict: safe: binary coercible: no rewrite, the lock lasts a moment (squawk's changing-
#   column-type is overruled); varchar over text stays advice.
# Peers disagree: Sentry also judges the reverse migration, which narrows; the lint judges
#   what migrate runs forwards.
from django.db import migrations, models

VERDICT = "safe"
PEERS = ("django-pg-zero-downtime-migrations", "strong_migrations", "sentry")
EXPECTED = {"prefer-text-field": "advice"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AlterField("account", "email", models.CharField(max_length=200, null=True)),
    ]
