"""The staff-only database pages of the admin, and the list they are registered in.

Each page is a view rendered in the admin's look, behind ``AdminSite.admin_view``
(logged-in, active staff only). ``PAGES`` lists them: the Database index and
its URLs are built from it, so a new page (checksums and drift, backups,
backfills: each once its library exists) is a view and one more entry.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps as django_apps
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse

from americano.admin.display import admin_url
from americano.admin.migration_state import migration_states
from americano.ops.inspect import SEQ_SCAN_MIN_ROWS, inspect_database


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
    """Sizes, row estimates and index use: the seed guide's inspection queries."""
    report = inspect_database()
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
    """Every app's migrations: applied (and when), or pending with the SQL they will run."""
    apps = migration_states()
    return render(
        request,
        "admin/database/migrations.html",
        "Migrations",
        apps=apps,
        pending=sum(app.pending for app in apps),
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
        "Every app's migrations: applied and when, or pending with their SQL.",
        migrations_view,
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
