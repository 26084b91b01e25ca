# Existing table: a NOT NULL timestamp with DEFAULT CURRENT_TIMESTAMP.
# Source: ankane/strong_migrations README.md, Adding a column with a volatile default value (only volatile defaults rewrite).
# Source: YasserShkeir/django-safe-migrations docs/rules.md, SM022 expensive default callable (warning).
# Verdict: safe: CURRENT_TIMESTAMP is stable: evaluated once for the existing rows (no
#   rewrite).
# Peers disagree: django-safe-migrations warns of a per-row call; PostgreSQL evaluates a
#   stable default once.
from django.db import migrations

import americano.db.fields
import americano.db.functions

VERDICT = "safe"
PEERS = ("strong_migrations", "django-safe-migrations")
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddField(
            "account",
            "seen",
            americano.db.fields.TimestampField(
                db_default=americano.db.functions.CurrentTimestamp()
            ),
        ),
    ]
