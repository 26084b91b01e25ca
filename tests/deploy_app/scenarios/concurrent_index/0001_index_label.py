from django.db import migrations


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("deploy_base", "0001_items")]

    operations = [
        # Long enough for the other deployer of the test to be polling for the lock.
        migrations.RunSQL("SELECT pg_sleep(1)", migrations.RunSQL.noop),
        migrations.RunSQL(
            "CREATE INDEX CONCURRENTLY deploy_items_label_idx ON deploy_items (label)",
            "DROP INDEX CONCURRENTLY deploy_items_label_idx",
        ),
    ]
