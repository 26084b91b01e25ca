# Existing table: a stored generated column.
# Source: tbicr/django-pg-zero-downtime-migrations tests/apps/bad_flow_add_column_generated_stored_app/migrations/0002_add_field_generated_stored.py (unsafe).
# Source: ankane/strong_migrations README.md, Adding a stored generated column (unsafe).
# Verdict: unsafe: every row is computed and the table rewritten under ACCESS EXCLUSIVE.
from django.db import migrations, models

VERDICT = "unsafe"
PEERS = ("django-pg-zero-downtime-migrations", "strong_migrations")
EXPECTED = {"table-rewrite": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddField(
            "account",
            "double_score",
            models.GeneratedField(
                expression=models.F("score") * 2,
                output_field=models.IntegerField(),
                db_persist=True,
            ),
        ),
    ]
