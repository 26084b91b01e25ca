# Existing table: a unique column.
# Source: tbicr/django-pg-zero-downtime-migrations tests/apps/good_flow_app/migrations/0012_add_field_with_unique_constraint.py (safe only as tbicr rewrites it CONCURRENTLY).
# Source: YasserShkeir/django-safe-migrations docs/rules.md, SM021 (error).
# Source: 3YOURMIND/django-migration-linter docs/incompatibilities.md, ADD_UNIQUE (error).
# Verdict: unsafe: the unique index is built with writes blocked for the whole build.
from django.db import migrations, models

VERDICT = "unsafe"
PEERS = ("django-pg-zero-downtime-migrations", "django-safe-migrations", "django-migration-linter")
EXPECTED = {"index-not-concurrent": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddField("account", "handle", models.TextField(null=True, unique=True)),
    ]
