# Existing table: db_index=True on an existing column.
# Source: 3YOURMIND/django-migration-linter docs/incompatibilities.md, CREATE_INDEX (warning).
# Verdict: unsafe: CREATE INDEX blocks writes for the whole build.
from django.db import migrations, models

VERDICT = "unsafe"
PEERS = ("django-migration-linter",)
EXPECTED = {"index-not-concurrent": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AlterField("account", "nickname", models.TextField(null=True, db_index=True)),
    ]
