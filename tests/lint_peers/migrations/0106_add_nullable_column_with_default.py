# Existing table: a nullable column with a constant default.
# Source: ankane/strong_migrations README.md, Adding a column with a default value (safe on Postgres 11+).
# Source: tbicr/django-pg-zero-downtime-migrations README.md, Django migrations hacks, row 8 ALTER TABLE ADD COLUMN SET DEFAULT (unsafe).
# Verdict: safe: PostgreSQL >= 11 stores the constant for the existing rows without a
#   rewrite; the column is nullable, so old INSERTs store NULL.
# Peers disagree: tbicr's table predates PostgreSQL 11's fast defaults; we support 14 and
#   later.
from django.db import migrations, models

VERDICT = "safe"
PEERS = ("strong_migrations", "django-pg-zero-downtime-migrations")
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddField("account", "status", models.TextField(null=True, default="new")),
    ]
