from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("deploy_base", "0001_items")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE deploy_items RENAME COLUMN label TO title",
            "ALTER TABLE deploy_items RENAME COLUMN title TO label",
        ),
    ]
