# Existing table: a CharField (varchar).
# Source: YasserShkeir/django-safe-migrations docs/rules.md, SM031 prefer_text_over_varchar (info).
# Verdict: safe: catalog only; varchar over text is style.
from django.db import migrations, models

VERDICT = "safe"
PEERS = ("django-safe-migrations",)
EXPECTED = {"prefer-text-field": "advice"}


class Migration(migrations.Migration):
    dependencies = [("lint_peers", "0001_initial")]
    operations = [
        migrations.AddField("account", "phone", models.CharField(max_length=30, null=True)),
    ]
