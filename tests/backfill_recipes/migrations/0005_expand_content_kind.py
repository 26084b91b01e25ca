"""Recipe 2, expand: a renamed column that old and new code can both use meanwhile.

The new column is added, a trigger keeps the two in step for every write (old
code writes "contentType", new code "contentKind"), and a backfill copies the
rows written before. Once no deployed code reads "contentType", 0006 drops it.
"""

from django.db import migrations, models
from django.db.models import F, Q

from americano.db.backfill import CHECKPOINT_MIGRATION, RunBackfill

SYNC = """
CREATE FUNCTION "backfill_recipes"."recipe_events_sync_content_kind"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW."contentKind" := coalesce(NEW."contentKind", NEW."contentType");
        NEW."contentType" := coalesce(NEW."contentType", NEW."contentKind");
    ELSIF NEW."contentKind" IS DISTINCT FROM OLD."contentKind" THEN
        NEW."contentType" := NEW."contentKind";
    ELSIF NEW."contentType" IS DISTINCT FROM OLD."contentType" THEN
        NEW."contentKind" := NEW."contentType";
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER "recipe_events_sync_content_kind"
    BEFORE INSERT OR UPDATE ON "backfill_recipes"."recipe_events"
    FOR EACH ROW EXECUTE FUNCTION "backfill_recipes"."recipe_events_sync_content_kind"();
"""
UNSYNC = """
DROP TRIGGER "recipe_events_sync_content_kind" ON "backfill_recipes"."recipe_events";
DROP FUNCTION "backfill_recipes"."recipe_events_sync_content_kind"();
"""


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("backfill_recipes", "0004_rename_session_score"),
        CHECKPOINT_MIGRATION,
    ]

    operations = [
        migrations.AddField(
            model_name="recipeevent",
            name="content_kind",
            field=models.TextField(blank=True, db_column="contentKind", null=True),
        ),
        migrations.RunSQL(SYNC, UNSYNC),
        RunBackfill(
            name="recipes.content_kind",
            model_name="recipeevent",
            pending=Q(content_kind__isnull=True, content_type__isnull=False),
            update={"content_kind": F("content_type")},
            reverse=RunBackfill.noop,
        ),
    ]
