# Existing table: unique=True on an existing column.
# Source: YasserShkeir/django-safe-migrations docs/rules.md, SM021 (error).
# Verdict: unsafe: the unique index is built with writes blocked.
from django.db import migrations, models

VERDICT = "unsafe"
PEERS = ("django-safe-migrations",)
EXPECTED = {"index-not-concurrent": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AlterField("account", "nickname", models.TextField(null=True, unique=True)),
    ]
