# Existing table: a JSONField (jsonb).
# Source: ankane/strong_migrations README.md, Adding a json column (json is unsafe, jsonb is fine).
# Verdict: safe: Django writes jsonb, which has an equality operator; a nullable column is
#   catalog only.
from django.db import migrations, models

VERDICT = "safe"
PEERS = ("strong_migrations",)
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddField("account", "settings", models.JSONField(null=True)),
    ]
