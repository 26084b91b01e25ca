# Existing table: an index dropped CONCURRENTLY.
# Source: YasserShkeir/django-safe-migrations docs/rules.md, SM030 (safe pattern) (safe).
# Verdict: safe: SHARE UPDATE EXCLUSIVE only.
from django.contrib.postgres import operations as pg
from django.db import migrations

VERDICT = "safe"
PEERS = ("django-safe-migrations",)
EXPECTED = {}


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        pg.RemoveIndexConcurrently("account", "lint_peers_account_code_idx"),
    ]
