# Existing table: RunSQL that lifts statement_timeout for a concurrent build.
# Source: tbicr/django-pg-zero-downtime-migrations README.md, ZERO_DOWNTIME_MIGRATIONS_FLEXIBLE_STATEMENT_TIMEOUT (safe for SHARE UPDATE EXCLUSIVE work).
# Verdict: safe: a concurrent build blocks nobody, so the lifted limit is advice.
from django.contrib.postgres import operations as pg
from django.db import migrations, models

VERDICT = "safe"
PEERS = ("django-pg-zero-downtime-migrations",)
EXPECTED = {"timeout-overridden": "advice"}


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.RunSQL("SET statement_timeout = 0", reverse_sql=migrations.RunSQL.noop),
        pg.AddIndexConcurrently(
            "account", models.Index(fields=["nickname"], name="lint_peers_nick_idx")
        ),
    ]
