"""The staff-only database pages of the admin, and the list they are registered in.

Each page is a view rendered in the admin's look, behind ``AdminSite.admin_view``
(logged-in, active staff only, CSRF-checked). ``PAGES`` lists them: the Database
index and its URLs are built from it, so a new page is a view and one more entry.
The views only call a library (``americano.ops``) and render its answer; none of
them changes the database. The two that take a POST run a slow check on demand:
drift (a shadow database, dropped afterwards) and a backup's verification.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps as django_apps
from django.conf import settings
from django.contrib import admin
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse

from americano.admin.display import admin_url
from americano.admin.migration_state import by_app, check_drift, state_counts
from americano.core.errors import SetupError
from americano.db.backfill import BackfillError
from americano.models import BackfillRun
from americano.ops import backup
from americano.ops.backfill import BackfillStatus, backfill_status
from americano.ops.inspect import SEQ_SCAN_MIN_ROWS, inspect_database
from americano.ops.status import collect_status


@dataclass(frozen=True)
class DatabasePage:
    """A page under ``admin/database/<slug>/`` listed on the Database index."""

    slug: str
    title: str
    description: str
    view: Callable[[HttpRequest], HttpResponse]

    @property
    def url_name(self) -> str:
        return f"admin-database-{self.slug}"


def render(request: HttpRequest, template: str, title: str, **context: object) -> TemplateResponse:
    """A template in the admin's frame: header, breadcrumbs, sidebar."""
    return TemplateResponse(
        request,
        template,
        {**admin.site.each_context(request), "title": title, "pages": page_links(), **context},
    )


def tables_view(request: HttpRequest) -> HttpResponse:
    """Sizes, row estimates and index use: the migrations guide's inspection queries."""
    report = inspect_database(connections[DEFAULT_DB_ALIAS])
    return render(
        request,
        "admin/database/tables.html",
        "Tables and indexes",
        report=report,
        tables=[(table, changelist_url(table.model)) for table in report.tables],
        seq_scan_min_rows=SEQ_SCAN_MIN_ROWS,
    )


def changelist_url(label: str | None) -> str | None:
    """The admin list of the model ``label`` ("app.Model"), if it is registered."""
    if not label:
        return None
    model = django_apps.get_model(label)
    return admin_url(model, "changelist") if model in admin.site._registry else None


def migrations_view(request: HttpRequest) -> HttpResponse:
    """``migrate_status``'s report with the pending SQL; a POST also checks for drift."""
    connection = connections[DEFAULT_DB_ALIAS]
    report = collect_status(connection)
    return render(
        request,
        "admin/database/migrations.html",
        "Migrations",
        report=report,
        apps=by_app(report, connection),
        counts=state_counts(report.migrations),
        drift=check_drift(connection) if request.method == "POST" else None,
    )


def backup_directory() -> Path:
    """The folder of ``manage.py backup``: ``settings.AMERICANO_BACKUP_DIR``."""
    return Path(settings.AMERICANO_BACKUP_DIR)


def backups_view(request: HttpRequest) -> HttpResponse:
    """The backups with their manifests; a POST verifies one (sha256, ``pg_restore --list``)."""
    directory = backup_directory()
    backups = backup.list_backups(directory)
    verified = {}
    if request.method == "POST":
        # Only a file the listing found: the name never becomes a path of its own.
        chosen = next((b for b in backups if b.path.name == request.POST.get("file")), None)
        if chosen is None:
            raise Http404("No such backup.")
        try:
            verified[chosen.path] = backup.verify_backup(chosen.path)
        except SetupError as error:  # pg_restore missing or too old: say so on the page
            verified[chosen.path] = backup.Verification(problems=[f"cannot verify: {error}"])
    return render(
        request,
        "admin/database/backups.html",
        "Backups",
        directory=directory,
        backups=[(b, b.as_dict(), verified.get(b.path)) for b in backups],
    )


def rows_per_second(status: BackfillStatus) -> float | None:
    """Rows done per second between the start and the last batch, pauses between runs included."""
    if status.started_at is None or status.updated_at is None:
        return None
    seconds = (status.updated_at - status.started_at) / datetime.timedelta(seconds=1)
    return status.rows_done / seconds if seconds > 0 else None


def backfills_view(request: HttpRequest) -> HttpResponse:
    """Every backfill of the migrations and every checkpoint row, as ``backfill --status``."""
    try:
        statuses, error = backfill_status(connections[DEFAULT_DB_ALIAS]), None
    except BackfillError as failure:  # no checkpoint table yet, or a broken declaration
        statuses, error = [], str(failure)
    return render(
        request,
        "admin/database/backfills.html",
        "Backfills",
        backfills=[(status, rows_per_second(status)) for status in statuses],
        error=error,
        checkpoints_url=admin_url(BackfillRun, "changelist"),
    )


PAGES: tuple[DatabasePage, ...] = (
    DatabasePage(
        "tables",
        "Tables and indexes",
        "Size, estimated rows, index sizes and use; unused, duplicate and redundant indexes;"
        " foreign keys without an index; tables read mostly by sequential scans.",
        tables_view,
    ),
    DatabasePage(
        "migrations",
        "Migrations",
        "Every app's migrations: applied (when, checksum), pending with their SQL, missing or"
        " modified; the migrate_resolve audit trail; a drift check on demand.",
        migrations_view,
    ),
    DatabasePage(
        "backups",
        "Backups",
        "The backups of manage.py backup with their manifests (when, database, size, sha256,"
        " migrations, rows); each can be verified again. No restore here.",
        backups_view,
    ),
    DatabasePage(
        "backfills",
        "Backfills",
        "Every batched backfill: status, rows done, batches, last key, rate, times and errors.",
        backfills_view,
    ),
)


def page_links() -> list[dict[str, str]]:
    return [
        {"title": p.title, "description": p.description, "url": reverse(p.url_name)} for p in PAGES
    ]


def index_view(request: HttpRequest) -> HttpResponse:
    return render(request, "admin/database/index.html", "Database")


def urlpatterns() -> list[URLPattern]:
    """The pages' URLs, each behind ``admin_view``; include them under ``admin/database/``."""
    site = admin.site
    return [
        path("", site.admin_view(index_view), name="admin-database"),
        *(path(f"{p.slug}/", site.admin_view(p.view), name=p.url_name) for p in PAGES),
    ]
