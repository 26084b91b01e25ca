from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("deploy_app", "0001_add_flag")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE deploy_items ADD COLUMN ratio integer",
            "ALTER TABLE deploy_items DROP COLUMN ratio",
        ),
        # Fails: the column above is rolled back with it.
        migrations.RunSQL("SELECT 1 / 0", migrations.RunSQL.noop),
    ]
