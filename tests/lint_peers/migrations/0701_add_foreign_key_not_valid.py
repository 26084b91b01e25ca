# Existing table: a foreign key column, its constraint added NOT VALID.
# Source: ankane/strong_migrations README.md, Adding a foreign key (good) (safe).
# Source: YasserShkeir/django-safe-migrations docs/rules.md, SM005 (safe pattern) (safe).
# Verdict: safe: the column is catalog only; NOT VALID skips the scan.
import django.db.models.deletion
from django.db import migrations

import americano.db.fields


def favourite(**kwargs):
    return americano.db.fields.ForeignKey(
        null=True,
        db_on_delete="SET NULL",
        db_on_update="CASCADE",
        on_delete=django.db.models.deletion.SET_NULL,
        to="lint_peers.tag",
        **kwargs,
    )


VERDICT = "safe"
PEERS = ("strong_migrations", "django-safe-migrations")
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AddField("account", "favourite", favourite(db_constraint=False)),
                migrations.RunSQL(
                    'ALTER TABLE "lint_peers_account" ADD CONSTRAINT "lint_peers_account_favourite_id_fkey"'
                    ' FOREIGN KEY ("favourite_id") REFERENCES "lint_peers_tag" ("id")'
                    " ON DELETE SET NULL ON UPDATE CASCADE NOT VALID",
                    reverse_sql='ALTER TABLE "lint_peers_account"'
                    ' DROP CONSTRAINT "lint_peers_account_favourite_id_fkey"',
                ),
            ],
            state_operations=[migrations.AddField("account", "favourite", favourite())],
        ),
    ]
