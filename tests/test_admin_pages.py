"""The staff-only database pages: migrations (status, checksums, audit, drift), backups,
backfills, and who may open them.

Everything is real: the status, drift, backup and backfill libraries run against the
test database, and each test makes the state it shows (a migration record without a
file, an edited checksum, a backup in a temporary folder, a backfill run).
"""

import datetime
import re
import shutil

import pytest
from django.db import connection
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from americano.admin.pages import PAGES
from americano.db.backfill import Backfill
from americano.models import BackfillRun
from americano.ops import backup
from americano.ops.backfill import backfill_status
from americano.ops.ledger import CHECKSUM_TABLE, write_audit
from americano.ops.status import collect_status
from tests.backfill_recipes.models import RecipeEvent

pytestmark = pytest.mark.django_db

DATABASE_URLS = ["/admin/database/", *(reverse(page.url_name) for page in PAGES)]


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def text(html: str) -> str:
    """What a reader sees of ``html``: cells and lines apart, other tags gone, spaces collapsed."""
    spaced = re.sub(r"</?t[dh]\b[^>]*>|<br>", " ", html)
    return " ".join(re.sub(r"<[^>]+>", "", spaced).split())


def row(page: str, row_id: str) -> str:
    """The text of the table row ``<tr id="row_id">``."""
    found = re.search(rf'<tr id="{re.escape(row_id)}">(.*?)</tr>', page, re.S)
    assert found, f"no row {row_id}"
    return text(found[1])


def section(page: str, module_id: str) -> str:
    """The HTML of the table of module ``module_id``."""
    return page.split(f'id="{module_id}"', 1)[1].split("</table>", 1)[0]


# --- who may open them ------------------------------------------------------------------


@pytest.mark.parametrize("url", DATABASE_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_database_pages_and_their_forms_are_staff_only(client, django_user_model, url, method):
    for who in ("anonymous", "student"):
        if who == "student":
            client.force_login(django_user_model.objects.create_user("student", is_staff=False))
        response = getattr(client, method)(url, {"file": "x.dump"} if method == "post" else {})
        assert response.status_code == 302, (who, response.status_code)
        assert response["Location"].startswith("/admin/login/")


def test_forms_need_the_csrf_token(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    for url in ("/admin/database/migrations/", "/admin/database/backups/"):
        assert client.post(url, {"file": "x.dump"}).status_code == 403


def test_index_lists_every_page(admin_client):
    page = admin_client.get("/admin/database/").content.decode()
    for database_page in PAGES:
        assert f'<a href="{reverse(database_page.url_name)}">{database_page.title}</a>' in page


# --- migrations ---------------------------------------------------------------------------


def test_migrations_page_shows_states_checksums_sql_and_audit(admin_client):
    edited, unrecorded = "0001_initial", "0002_alter_permission_name_max_length"
    sql("DELETE FROM django_migrations WHERE app = 'sessions'")
    sql(
        "INSERT INTO django_migrations (app, name, applied)"
        " VALUES ('learning', '0099_gone', '2026-01-02 03:04:05+00')"
    )
    sql(
        f"UPDATE {CHECKSUM_TABLE} SET checksum = 'ops1:0123456789abcdef0'"
        " WHERE app = 'learning' AND name = %s",
        [edited],
    )
    sql(f"DELETE FROM {CHECKSUM_TABLE} WHERE app = 'auth' AND name = %s", [unrecorded])
    write_audit(
        connection,
        "accept-checksum",
        ("learning", edited),
        actor="alice",
        reason="comment fixed",
        checksum_before="ops1:41aa41aa41aa41aa41aa",
        checksum_after="ops1:9f2c9f2c9f2c9f2c9f2c",
    )

    page = admin_client.get("/admin/database/migrations/").content.decode()
    assert "1 migration not applied." in page and "1 applied with no file any more." in page
    assert "1 edited since applied." in page and "1 applied before checksums existed" in page
    # Every migration in the state the status library gives it.
    report = collect_status(connection)
    for migration in report.migrations:
        shown = row(page, f"migration-{migration.app}-{migration.name}")
        assert shown.split()[1] == migration.state, shown
    assert row(page, "migration-learning-0099_gone") == (
        "0099_gone missing (applied, no file) 2026-01-02 03:04:05"
    )
    (now,) = [m.checksum for m in report.migrations if (m.app, m.name) == ("learning", edited)]
    modified = row(page, f"migration-learning-{edited}")
    assert "modified: recorded ops1:0123456789ab (migrate" in modified
    assert modified.endswith(f"now {now[:17]}")
    assert "none recorded: applied before checksums existed" in row(
        page, f"migration-auth-{unrecorded}"
    )
    assert "match recorded" in row(page, "migration-content-0001_initial")
    sessions = section(page, "app-sessions")
    assert "CREATE TABLE &quot;django_session&quot;" in sessions
    assert "SQL of" not in section(page, "app-learning")  # only the pending have SQL
    audit = text(section(page, "audit"))
    assert f"accept-checksum learning.{edited}" in audit
    assert "alice comment fixed ops1:41aa41aa41aa ops1:9f2c9f2c9f2c" in audit


def test_a_clean_history_says_so_with_an_empty_audit_trail(admin_client):
    page = admin_client.get("/admin/database/migrations/").content.decode()
    assert "Every migration on disk is applied." in page
    assert "Empty: migrate_resolve has never changed" in page
    assert 'id="drift-result"' not in page  # drift only when asked
    assert '<input type="submit" value="Check drift"' in page


def shadow_databases() -> int:
    return sql("SELECT count(*) FROM pg_database WHERE datname LIKE 'americano_shadow_%%'")[0][0]


def test_check_drift_shows_no_drift_then_each_difference(admin_client):
    page = admin_client.post("/admin/database/migrations/").content.decode()
    assert "No drift" in section(page, "drift")
    assert "shadow on embedded:" in page

    sql('CREATE INDEX "cards_front_by_hand" ON cards (front)')
    page = admin_client.post("/admin/database/migrations/").content.decode()
    drift = section(page, "drift")
    assert "1 difference</strong>" in drift
    assert drift.count('class="drift-difference"') == 1
    line = "index cards.cards_front_by_hand: in the database, not built by the history"
    assert f"<code>{line}</code>" in drift
    assert shadow_databases() == 0  # always dropped


@pytest.mark.filterwarnings("ignore:Normally Django will use a connection to the 'postgres'")
def test_a_failed_drift_check_is_one_line(admin_client, settings):
    settings.AMERICANO_SHADOW_URL = "postgresql://nobody:s3cret@127.0.0.1:9/postgres"
    response = admin_client.post("/admin/database/migrations/")
    assert response.status_code == 200
    page = response.content.decode()
    error = re.search(r'<p class="errornote" id="drift-error">(.*?)</p>', page, re.S)[1]
    assert error.startswith("Drift check failed: ") and "\n" not in error
    assert "127.0.0.1" in error
    assert "Traceback" not in page and "s3cret" not in page
    assert 'id="app-learning"' in page  # the rest of the page is still there


# --- backups ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def backup_folder(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real backup of the test database, a corrupted copy of it, and an archive alone."""
    folder = tmp_path_factory.mktemp("backups")
    with django_db_blocker.unblock():
        made = backup.create_backup(connection, folder, "pages")
    assert made.ok, made.verification.problems
    corrupt = folder / "20200101000000_corrupt.dump"
    data = bytearray(made.path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    corrupt.write_bytes(bytes(data))
    shutil.copy(made.manifest_path, backup.manifest_path_for(corrupt))
    shutil.copy(made.path, folder / "20190101000000_orphan.dump")
    (folder / "notes.txt").write_text("not a backup")
    return made


@pytest.fixture
def backups_page(admin_client, settings, backup_folder):
    """The Backups page on the folder of ``backup_folder``: GET, or POST ``form``."""
    settings.AMERICANO_BACKUP_DIR = backup_folder.path.parent
    url = "/admin/database/backups/"
    return lambda **form: admin_client.post(url, form) if form else admin_client.get(url)


def test_backups_page_lists_each_backup_with_its_manifest(backups_page, backup_folder):
    page = backups_page().content.decode()
    assert re.findall(r'<tr id="backup-([^"]+)">', page) == [
        slugify(backup_folder.path.name),  # newest first
        "20200101000000_corruptdump",
        "20190101000000_orphandump",
    ]
    manifest = backup_folder.manifest.to_json()
    made = datetime.datetime.strptime(manifest["created_at"], "%Y-%m-%dT%H:%M:%SZ")
    size = " ".join(filesizeformat(backup_folder.path.stat().st_size).split())
    migrations = sum(len(names) for names in manifest["migrations"].values())
    assert row(page, f"backup-{slugify(backup_folder.path.name)}") == (
        f"{backup_folder.path.name} label pages {made:%Y-%m-%d %H:%M:%S}"
        f" {manifest['database']['dbname']} PostgreSQL {manifest['server']['version']}"
        f" {size} {manifest['dump']['sha256'][:12]} {migrations} {len(manifest['tables'])}"
        f" {manifest['rows']:,} verified when made"
    )
    assert row(page, "backup-20190101000000_orphandump") == (
        f"20190101000000_orphan.dump label orphan 2019-01-01 00:00:00 {size} no manifest"
    )
    assert "notes.txt" not in page
    # One button per backup, and it only verifies: no restore from the browser.
    assert re.findall(r'<input type="submit" value="([^"]+)"', page) == ["Verify"] * 3


def test_verify_reads_a_backup_again(backups_page, backup_folder):
    name = backup_folder.path.name
    page = backups_page(file=name).content.decode()
    slug = slugify(name)
    assert row(page, f"backup-{slug}").endswith(" verified now")
    checks = row(page, f"checks-{slug}")
    assert checks.startswith(f"{name}: ✓ header: pg_dump custom-format archive; ✓ size and sha256")
    tables = len(backup_folder.manifest.tables)
    assert checks.endswith(f"; ✓ pg_restore --list reads the archive ({tables} tables with data)")
    assert re.findall(r'<tr id="checks-([^"]+)">', page) == [slug]  # only the one asked

    page = backups_page(file="20200101000000_corrupt.dump").content.decode()
    assert row(page, "backup-20200101000000_corruptdump").endswith(" verification failed")
    assert "✗ sha256 differs from the manifest" in row(page, "checks-20200101000000_corruptdump")


@pytest.mark.parametrize("name", ["missing.dump", "../20200101000000_corrupt.dump", ""])
def test_verify_takes_only_a_listed_backup(backups_page, name):
    assert backups_page(file=name).status_code == 404


def test_an_empty_backup_folder(admin_client, settings, tmp_path):
    settings.AMERICANO_BACKUP_DIR = tmp_path / "none-yet"
    page = admin_client.get("/admin/database/backups/").content.decode()
    assert "No backup in this folder" in page
    assert str(tmp_path / "none-yet") in page


# --- backfills ----------------------------------------------------------------------------


def checkpoint(name: str):
    """The checkpoint row of recipe backfill ``name`` (``migrate`` made it, a flush may not
    have kept it), as a queryset to update."""
    BackfillRun.objects.get_or_create(
        name=name, defaults={"app_label": "backfill_recipes", "table": RecipeEvent._meta.db_table}
    )
    return BackfillRun.objects.filter(name=name)


def test_backfills_page_shows_progress_rate_and_errors(admin_client):
    RecipeEvent.objects.bulk_create(
        RecipeEvent(user_id=f"user{n}", event_type="SESSION_STARTED", event_data={}, day_of_week=1)
        for n in range(5)
    )
    scores = Backfill(
        "pages.scores",
        RecipeEvent,
        connection=connection,
        pending=Q(performance_score__isnull=True),
        update={"performance_score": 1},
        batch_size=2,
    ).run()
    assert scores.finished and scores.rows == 5
    started = timezone.now() - datetime.timedelta(minutes=5)
    updated = started + datetime.timedelta(seconds=10)
    checkpoint("recipes.day_of_week").update(
        rows_done=5_000,
        batches=2,
        last_key="ckey5000",
        started_at=started,
        updated_at=updated,
        finished_at=None,
        errors=2,
        last_error="canceling statement due to lock timeout",
    )
    checkpoint("recipes.session_paused").update(started_at=started, finished_at=None)

    page = admin_client.get("/admin/database/backfills/").content.decode()
    ids = re.findall(r'<tr id="backfill-([^"]+)">', page)
    shown = {slug: row(page, f"backfill-{slug}") for slug in ids}
    # The statuses of `backfill --status`, declared backfills first, then the other rows.
    statuses = backfill_status(connection)
    assert list(shown) == [slugify(status.name) for status in statuses]
    for status in statuses:
        assert f" {status.status} " in shown[slugify(status.name)]
    assert statuses[-1].name == "pages.scores"

    assert shown["recipesday_of_week"] == (
        "recipes.day_of_week backfill_recipes.0002_add_day_of_week (deferred)"
        " · backfill_recipes.recipe_events failed 5,000 rows done in 2 batches"
        " last key ckey5000 500 rows/s"
        f" started {started:%Y-%m-%d %H:%M:%S} last batch {updated:%Y-%m-%d %H:%M:%S} 2"
    )
    last_error = "Last error of recipes.day_of_week: canceling statement due to lock timeout"
    assert last_error in text(page)
    assert " unfinished " in shown["recipessession_paused"]
    # Declared, with no checkpoint row: finished (its migration is applied), no times.
    assert shown["recipescontent_type_restore"] == (
        "recipes.content_type_restore backfill_recipes.0006_contract_content_type finished"
        " 0 rows done in 0 batches 0"
    )
    # A checkpoint row that no migration declares, written by a real run.
    assert shown["pagesscores"].startswith(
        "pages.scores no migration · backfill_recipes.recipe_events finished"
        f" 5 rows done in 3 batches last key {scores.last_key} "
    )
    assert 'href="/admin/americano/backfillrun/"' in page


def test_backfills_page_without_the_checkpoint_table(admin_client):
    sql("ALTER TABLE americano_backfill RENAME TO americano_backfill_away")
    page = admin_client.get("/admin/database/backfills/").content.decode()
    assert '<p class="errornote">table americano_backfill does not exist' in page


# --- the checkpoint rows in the admin -----------------------------------------------------


def test_checkpoint_rows_are_listed_read_only(admin_client):
    checkpoint("recipes.day_of_week")
    checkpoint("recipes.session_paused")
    day_of_week = BackfillRun.objects.get(name="recipes.day_of_week")
    listing = admin_client.get("/admin/americano/backfillrun/", {"q": "day_of"}).content.decode()
    assert f"/admin/americano/backfillrun/{day_of_week.pk}/change/" in listing
    assert "recipes.session_paused" not in listing
    change = f"/admin/americano/backfillrun/{day_of_week.pk}/change/"
    assert admin_client.get(change).status_code == 200
    assert admin_client.post(change, {"rows_done": 0}).status_code == 403
    assert admin_client.get("/admin/americano/backfillrun/add/").status_code == 403
