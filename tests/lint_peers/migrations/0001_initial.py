# The tables every case starts from: they exist before the case runs (each case depends
# on this migration only, so no case sees another's changes).
import django.contrib.postgres.fields.ranges
import django.db.models.deletion
from django.db import migrations, models

import americano.db.fields
import americano.db.operations

EXPECTED = {}


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        americano.db.operations.CreateEnumType(name="LintPeerMood", values=["LOW", "HIGH"]),
        migrations.CreateModel(
            name="Account",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("name", models.TextField()),
                ("code", models.CharField(max_length=120)),
                ("email", models.CharField(max_length=100, null=True)),
                ("score", models.IntegerField(null=True)),
                ("balance", models.DecimalField(max_digits=10, decimal_places=2, null=True)),
                ("nickname", models.TextField(null=True)),
                ("legacy", models.TextField()),
                ("plan", models.TextField(db_default="free")),
                ("mood", americano.db.fields.EnumField(enum_type="LintPeerMood", null=True)),
                ("signup", americano.db.fields.TimestampField(null=True)),
                ("region", models.TextField(null=True, db_default="eu")),
                ("data", models.JSONField(null=True)),
            ],
            options={
                "indexes": [models.Index(fields=["code"], name="lint_peers_account_code_idx")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(score__gte=0), name="lint_peers_account_score_check"
                    ),
                    models.UniqueConstraint(fields=["name"], name="lint_peers_account_name_key"),
                ],
            },
        ),
        migrations.CreateModel(
            name="Invoice",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("amount", models.DecimalField(max_digits=12, decimal_places=2, null=True)),
                ("note", models.TextField(null=True)),
                (
                    "period",
                    django.contrib.postgres.fields.ranges.DateTimeRangeField(null=True),
                ),
                (
                    "account",
                    americano.db.fields.ForeignKey(
                        db_on_delete="CASCADE",
                        db_on_update="CASCADE",
                        on_delete=django.db.models.deletion.CASCADE,
                        to="lint_peers.account",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Tag",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("name", models.TextField()),
            ],
        ),
    ]
