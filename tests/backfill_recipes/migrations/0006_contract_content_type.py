"""Recipe 2, contract: once no deployed code uses "contentType", drop it and its trigger.

Reversed, the column comes back empty, the trigger with it, and the backfill's
reverse copies the values back from "contentKind".
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
    lint_waivers = {
        "drop-column": "the contract step: no deployed code uses contentType since 0005",
        "ban-drop-function": "the trigger function only kept the old column in step",
    }


    dependencies = [
        ("backfill_recipes", "0005_expand_content_kind"),
        CHECKPOINT_MIGRATION,
    ]

    operations = [
        # Nothing to do forwards; backwards, it refills the restored column.
        RunBackfill(
            name="recipes.content_type_restore",
            model_name="recipeevent",
            update=RunBackfill.noop,
            reverse={"content_type": F("content_kind")},
            reverse_pending=Q(content_type__isnull=True, content_kind__isnull=False),
        ),
        migrations.RunSQL(UNSYNC, SYNC),
        migrations.RemoveField(
            model_name="recipeevent",
            name="content_type",
        ),
    ]
