# Existing table: integer to bigint.
# Source: YasserShkeir/django-safe-migrations docs/rules.md, SM004 alter column type (warning).
# Source: ankane/strong_migrations README.md, Changing the type of a column (unsafe).
# Verdict: unsafe: the table and its indexes are rewritten under ACCESS EXCLUSIVE.
from django.db import migrations, models

VERDICT = "unsafe"
PEERS = ("django-safe-migrations", "strong_migrations")
EXPECTED = {"column-type-change": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AlterField("account", "score", models.BigIntegerField(null=True)),
    ]
