# Existing table: varchar to text.
# Source: tbicr/django-pg-zero-downtime-migrations README.md, Dealing with ALTER TABLE ALTER COLUMN TYPE, 2 (safe).
# Source: ankane/strong_migrations README.md, Changing the type of a column (safe in Postgres).
# Verdict: safe: binary coercible: no rewrite, a moment's lock.
from django.db import migrations, models

VERDICT = "safe"
PEERS = ("django-pg-zero-downtime-migrations", "strong_migrations")
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AlterField("account", "email", models.TextField(null=True)),
    ]
