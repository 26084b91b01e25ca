# Existing table: an indexed varchar(120) to varchar(200).
# Source: getsentry/sentry fixtures/safe_migrations_apps/bad_flow_alter_indexed_column_type_app/migrations/0002_alter_type.py (unsafe).
# Verdict: safe: binary coercible: no rewrite, and PostgreSQL keeps the index (same operator
#   class and collation; measured: its relfilenode does not change).
# Peers disagree: Sentry expects the index to be rebuilt; PostgreSQL >= 14 reuses it.
from django.db import migrations, models

VERDICT = "safe"
PEERS = ("sentry",)
EXPECTED = {"prefer-text-field": "advice"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AlterField("account", "code", models.CharField(max_length=200)),
    ]
