# Existing table: a column whose name is over 63 bytes.
# Source: getsentry/sentry fixtures/safe_migrations_apps/bad_flow_long_identifier_app/migrations/0002_long_field_name.py (unsafe).
# Verdict: safe: PostgreSQL truncates the name, with a NOTICE, in every statement alike, so
#   the code keeps working; two names sharing 63 bytes would collide: advice.
# Peers disagree: Sentry refuses it; nothing locks or breaks, so it is advice.
from django.db import migrations, models

VERDICT = "safe"
PEERS = ("sentry",)
EXPECTED = {"identifier-too-long": "advice"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddField(
            "account",
            "this_column_name_is_far_longer_than_the_sixty_three_bytes_postgresql_keeps",
            models.IntegerField(null=True),
        ),
    ]
