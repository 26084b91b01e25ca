from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("deploy_app", "0002_divide_by_zero")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE deploy_items ADD COLUMN never text",
            "ALTER TABLE deploy_items DROP COLUMN never",
        ),
    ]
