from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("deploy_base", "0001_items")]
    lint_waivers = {"ban-drop-column": "the test's point: --check-sql must catch the client"}

    operations = [
        migrations.RunSQL(
            "ALTER TABLE deploy_items DROP COLUMN label",
            "ALTER TABLE deploy_items ADD COLUMN label text NOT NULL DEFAULT ''",
        ),
    ]
