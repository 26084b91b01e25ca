# Existing table: a nullable column with default=timezone.now.
# Source: YasserShkeir/django-safe-migrations docs/rules.md, SM022 expensive default callable (warning: called for each row).
# Verdict: safe: Django calls the callable once and adds the column with that constant (no
#   rewrite); nullable, so old INSERTs store NULL.
# Peers disagree: the callable runs in Python once, not per row.
from django.db import migrations
from django.utils import timezone

import americano.db.fields

VERDICT = "safe"
PEERS = ("django-safe-migrations",)
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddField(
            "account",
            "touched",
            americano.db.fields.TimestampField(null=True, default=timezone.now),
        ),
    ]
