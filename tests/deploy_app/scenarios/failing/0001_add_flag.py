from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("deploy_base", "0001_items")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE deploy_items ADD COLUMN flag boolean",
            "ALTER TABLE deploy_items DROP COLUMN flag",
        ),
    ]
