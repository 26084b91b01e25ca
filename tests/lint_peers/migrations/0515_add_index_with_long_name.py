# Existing table: an index whose name is over 63 bytes.
# Source: getsentry/sentry fixtures/safe_migrations_apps/bad_flow_long_index_app/migrations/0002_long_index_name.py (unsafe).
# Verdict: unsafe: built without CONCURRENTLY (writes blocked); the long name alone is
#   advice.
from django.db import migrations, models

VERDICT = "unsafe"
PEERS = ("sentry",)
EXPECTED = {"index-not-concurrent": "blocking", "identifier-too-long": "advice"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddIndex(
            "account",
            models.Index(
                fields=["name"],
                name="this_index_name_is_far_longer_than_the_sixty_three_bytes_postgresql_keeps",
            ),
        ),
    ]
