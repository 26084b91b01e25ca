# Existing table: a column whose database default is an immutable expression.
# Source: ankane/strong_migrations README.md, Adding a column with a volatile default value (only volatile defaults rewrite).
# Verdict: safe: lower('NEW') is immutable: stored once, no rewrite (squawk's adding-field-
#   with-default takes any function call for volatile, and is overruled).
from django.db import migrations, models
from django.db.models import Value
from django.db.models.functions import Lower

VERDICT = "safe"
PEERS = ("strong_migrations",)
EXPECTED = {}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddField("account", "tier", models.TextField(db_default=Lower(Value("NEW")))),
    ]
