# Existing table: a ManyToManyField (a new through table).
# Source: 3YOURMIND/django-migration-linter tests/test_project/app_add_manytomany_field/migrations/0002_b_many_to_many.py (valid).
# Source: YasserShkeir/django-safe-migrations docs/rules.md, SM023 (info).
# Verdict: safe: only the new through table is created and indexed; its foreign keys scan
#   nothing.
from django.db import migrations, models

VERDICT = "safe"
PEERS = ("django-migration-linter", "django-safe-migrations")
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddField("account", "tags", models.ManyToManyField(to="lint_peers.tag")),
    ]
