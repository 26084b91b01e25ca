# A table created in this migration: an enum type and a new table using it.
# Source: none of the peers has this case; ours.
# Verdict: safe: nothing existing is touched.
from django.db import migrations, models

import americano.db.fields
import americano.db.operations

VERDICT = "safe"
PEERS = ()
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        americano.db.operations.CreateEnumType(name="LintPeerSize", values=["S", "M", "L"]),
        migrations.CreateModel(
            name="Fresh",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("size", americano.db.fields.EnumField(enum_type="LintPeerSize")),
            ],
        ),
    ]
