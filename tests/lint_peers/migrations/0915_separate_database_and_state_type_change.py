# Existing table: a type change in the database side of SeparateDatabaseAndState.
# Source: none of the peers has this case; ours.
# Verdict: unsafe: the database side rewrites the table whatever the state side says.
from django.db import migrations, models

VERDICT = "unsafe"
PEERS = ()
EXPECTED = {"column-type-change": "blocking"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterField("account", "score", models.BigIntegerField(null=True))
            ],
            state_operations=[
                migrations.AlterField("account", "score", models.BigIntegerField(null=True))
            ],
        ),
    ]
