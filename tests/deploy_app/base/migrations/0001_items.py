from django.db import migrations


class Migration(migrations.Migration):
    initial = True

    operations = [
        migrations.RunSQL(
            "CREATE TABLE deploy_items ("
            "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, label text NOT NULL DEFAULT '')",
            "DROP TABLE deploy_items",
        ),
    ]
