# A table created in this migration: a new table filled in the same transaction.
# Source: ankane/strong_migrations README.md, Backfilling data (unsafe when it alters an existing table).
# Verdict: safe: the only schema locks held during the backfill are on the new table.
from django.db import migrations, models


def fill_fresh(apps, schema_editor):
    Fresh = apps.get_model("lint_peers", "Fresh")
    Fresh.objects.bulk_create([Fresh() for _ in range(3)])


VERDICT = "safe"
PEERS = ("strong_migrations",)
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.CreateModel(
            name="Fresh",
            fields=[("id", models.BigAutoField(primary_key=True, serialize=False))],
        ),
        migrations.RunPython(fill_fresh, reverse_code=migrations.RunPython.noop),
    ]
