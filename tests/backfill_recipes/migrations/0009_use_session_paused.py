"""Recipe 4, part two: rows take the label that 0008 added and committed.

Old code recorded a pause as SESSION_ENDED with {"paused": true}; those rows
become SESSION_PAUSED. Reversed, they go back, so that 0008 can drop the label.
"""

from django.db import migrations
from django.db.models import Q

from americano.db.backfill import CHECKPOINT_MIGRATION, RunBackfill


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("backfill_recipes", "0008_add_session_paused"),
        CHECKPOINT_MIGRATION,
    ]

    operations = [
        RunBackfill(
            name="recipes.session_paused",
            model_name="recipeevent",
            pending=Q(event_type="SESSION_ENDED", event_data__paused=True),
            update={"event_type": "SESSION_PAUSED"},
            reverse={"event_type": "SESSION_ENDED"},
            reverse_pending=Q(event_type="SESSION_PAUSED"),
        ),
    ]
