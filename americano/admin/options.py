"""The ModelAdmin every Americano table is registered with.

A registration names only what is particular to its table: the columns of its
list, what to search, what to filter on, its date hierarchy. This base supplies
the rest, the same for all 87 tables:

* big tables stay fast: an estimating paginator, no full-count query and no
  facet counts, the foreign keys shown in the list joined in the same query,
  the soft references (ids stored without a foreign key) resolved with one
  query per column, a date hierarchy without a scan, embeddings deferred
  (see ``americano.admin.changelist``);
* foreign keys are edited with autocomplete widgets, never a select of every row;
* the foreign keys and soft references of a list link to the rows they name, and
  each change form lists links to the rows that refer to it;
* embeddings, and JSON too big to edit by hand, are shown summarised and read-only;
* text columns are edited on one line, but for the prose a model declares in its
  ``prose_fields`` (``americano.db.models.CuidModel``), edited in a text area;
* columns filled by a database default (``createdAt``) may be left empty.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList
from django.db import models
from django.forms import Field as FormField
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator, capfirst
from pgvector.django import VectorField

from americano.admin.changelist import AmericanoChangeList
from americano.admin.display import (
    admin_url,
    change_link,
    json_summary,
    json_text,
    link_list,
    vector_summary,
)
from americano.admin.paginator import EstimatedCountPaginator
from americano.db.fields import EnumField
from americano.ops.erd import soft_references

#: JSON longer than this (serialised) is shown summarised and read-only.
LARGE_JSON_CHARS = 2_000
#: Text in a list is cut to this many characters.
LIST_CHARS = 80

SUMMARY_SUFFIX = "_summary"
#: Ids are searched exactly: ``=id`` would compare ``UPPER(id)`` and read the whole table.
ID_SEARCH = "id__exact"
SOFT_ATTRIBUTE = "_americano_soft_references"


class AmericanoModelAdmin(admin.ModelAdmin):
    """The shared base of the schema's registrations; see the module."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False
    # Facet counts run a COUNT per filter choice over the whole list.
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 50

    def __init__(self, model: type[models.Model], admin_site: admin.AdminSite) -> None:
        super().__init__(model, admin_site)
        fields = model._meta.concrete_fields
        self.foreign_keys = {f.name: f for f in fields if f.is_relation}
        self.soft_references = soft_references(model)
        self.vector_fields = {f.name for f in fields if isinstance(f, VectorField)}
        self.json_fields = {f.name for f in fields if isinstance(f, models.JSONField)}
        if not (self.autocomplete_fields or self.raw_id_fields):
            self.autocomplete_fields = tuple(n for n, f in self.foreign_keys.items() if f.editable)
        if not self.search_help_text:
            self.search_help_text = "Search by " + ", ".join(
                _describe_search(name) for name in self._search_fields()
            )
        # Named callables the admin's field lookup finds on the instance.
        for name in self.vector_fields | self.json_fields:
            setattr(self, name + SUMMARY_SUFFIX, self._summary_display(name))
        self._list_columns = {
            "__str__": self._text_column("__str__"),
            **{
                f.name: self._text_column(f.name)
                for f in fields
                if isinstance(f, models.TextField) and not isinstance(f, EnumField)
            },
            **{name: self._foreign_key_column(name) for name in self.foreign_keys},
            **{name: self._soft_reference_column(name) for name in self.soft_references},
        }

    # -- changelist ---------------------------------------------------------

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return AmericanoChangeList

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        queryset = super().get_queryset(request)
        return queryset.defer(*self.vector_fields) if self.vector_fields else queryset

    def get_ordering(self, request: HttpRequest) -> tuple[str, ...]:
        if self.ordering:
            return tuple(self.ordering)
        return (f"-{self.date_hierarchy}",) if self.date_hierarchy else ("-pk",)

    def get_search_fields(self, request: HttpRequest) -> tuple[str, ...]:
        return self._search_fields()

    def _search_fields(self) -> tuple[str, ...]:
        """The declared search fields, after the id (exact, so that the primary key is used)."""
        declared = tuple(self.search_fields)
        return declared if ID_SEARCH in declared else (ID_SEARCH, *declared)

    def get_list_display(self, request: HttpRequest) -> list[Any]:
        declared = list(super().get_list_display(request))
        # The first column links to the row itself: it must not hold a link of its own.
        first = declared[0]
        if first in self.foreign_keys or first in self.soft_references:
            return declared[:1] + [self._list_columns.get(n, n) for n in declared[1:]]
        return [self._list_columns.get(n, n) if isinstance(n, str) else n for n in declared]

    def get_list_select_related(self, request: HttpRequest) -> tuple[str, ...]:
        if self.list_select_related not in (False, None):
            return self.list_select_related
        return tuple(n for n in self.list_display if isinstance(n, str) and n in self.foreign_keys)

    def resolve_soft_references(self, rows: list[models.Model]) -> None:
        """Fetch the rows that the listed soft-reference columns name, one query per column."""
        for name in self.list_display:
            target = self.soft_references.get(name) if isinstance(name, str) else None
            if target is None:
                continue
            ids = {getattr(row, name) for row in rows} - {None}
            found = target._default_manager.in_bulk(list(ids)) if ids else {}
            for row in rows:
                row.__dict__.setdefault(SOFT_ATTRIBUTE, {})[name] = found.get(getattr(row, name))

    def _text_column(self, name: str) -> Callable[[models.Model], str | None]:
        if name == "__str__":
            description, ordering = capfirst(self.model._meta.verbose_name), None
        else:
            description, ordering = capfirst(self.model._meta.get_field(name).verbose_name), name

        @admin.display(description=description, ordering=ordering)
        def column(obj: models.Model) -> str | None:
            value = str(obj) if name == "__str__" else getattr(obj, name)
            return None if value is None else Truncator(value).chars(LIST_CHARS)

        column.__name__ = "str" if name == "__str__" else name
        return column

    def _foreign_key_column(self, name: str) -> Callable[[models.Model], SafeString]:
        field = self.foreign_keys[name]

        @admin.display(description=capfirst(field.verbose_name), ordering=name)
        def column(obj: models.Model) -> SafeString:
            related = getattr(obj, name)
            return change_link(field.related_model, related and related.pk, related)

        column.__name__ = name
        return column

    def _soft_reference_column(self, name: str) -> Callable[[models.Model], SafeString]:
        target = self.soft_references[name]
        label = capfirst(target._meta.verbose_name)

        @admin.display(description=label, ordering=name)
        def column(obj: models.Model) -> SafeString:
            value = getattr(obj, name)
            resolved = getattr(obj, SOFT_ATTRIBUTE, {}).get(name)
            if value is not None and resolved is None:
                return format_html('{} <span class="americano-missing">(missing)</span>', value)
            return change_link(target, value, resolved)

        column.__name__ = name
        return column

    # -- change form --------------------------------------------------------

    def get_fields(self, request: HttpRequest, obj: models.Model | None = None) -> list[str]:
        if self.fields:
            return list(self.fields)
        return self._form_layout(obj)[0]

    def get_readonly_fields(
        self, request: HttpRequest, obj: models.Model | None = None
    ) -> list[str]:
        declared = list(super().get_readonly_fields(request, obj))
        return declared + [n for n in self._form_layout(obj)[1] if n not in declared]

    def _form_layout(self, obj: models.Model | None) -> tuple[list[str], list[str]]:
        """``(fields, read-only fields)`` of the form: model order, big values summarised."""
        excluded = set(self.exclude or ())
        fields, readonly = [], []
        for field in self.model._meta.concrete_fields:
            name = field.name
            if name in excluded:
                continue
            if name in self.vector_fields or (
                name in self.json_fields and obj is not None and self._is_large_json(obj, name)
            ):
                if obj is not None:
                    fields.append(name + SUMMARY_SUFFIX)
                    readonly.append(name + SUMMARY_SUFFIX)
            elif field.editable:
                fields.append(name)
            elif obj is not None:
                fields.append(name)
                readonly.append(name)
        if obj is not None:
            fields.append("related_rows")
            readonly.append("related_rows")
        return fields, readonly

    @staticmethod
    def _is_large_json(obj: models.Model, name: str) -> bool:
        value = getattr(obj, name)
        return value is not None and len(json_text(value)) > LARGE_JSON_CHARS

    def _summary_display(self, name: str) -> Callable[[models.Model], SafeString]:
        field = self.model._meta.get_field(name)
        summarise = vector_summary if name in self.vector_fields else json_summary

        @admin.display(description=capfirst(field.verbose_name))
        def summary(obj: models.Model) -> SafeString:
            return summarise(getattr(obj, name))

        summary.__name__ = name + SUMMARY_SUFFIX
        return summary

    def formfield_for_dbfield(
        self, db_field: models.Field, request: HttpRequest, **kwargs: Any
    ) -> FormField | None:
        if (
            isinstance(db_field, models.TextField)
            and not db_field.choices
            and db_field.name not in getattr(db_field.model, "prose_fields", ())
        ):
            kwargs.setdefault("widget", widgets.AdminTextInputWidget)
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and db_field.has_db_default() and not db_field.has_default():
            formfield.required = False
            formfield.help_text = "Leave empty for the database default."
        return formfield

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        for field in self.model._meta.concrete_fields:
            if (
                field.has_db_default()
                and not field.null
                and field.name in form.cleaned_data
                and getattr(obj, field.attname) is None
            ):
                setattr(obj, field.attname, field.get_default())
        super().save_model(request, obj, form, change)

    @admin.display(description="Related rows")
    def related_rows(self, obj: models.Model) -> SafeString:
        """Links to the rows this one names and to the lists of rows that name it."""
        links = []
        for name, target in self.soft_references.items():
            value = getattr(obj, name)
            url = value and admin_url(target, "change", quote(value))
            if url:
                links.append((url, f"{capfirst(target._meta.verbose_name)} {value}"))
        registry = self.admin_site._registry
        for relation in self.model._meta.related_objects:
            if relation.related_model in registry and not relation.many_to_many:
                links.append(self._referrers(relation.related_model, relation.field.name, obj))
        for model, model_admin in registry.items():
            for name, target in getattr(model_admin, "soft_references", {}).items():
                if target is self.model:
                    links.append(self._referrers(model, name, obj))
        return link_list(link for link in links if link[0])

    @staticmethod
    def _referrers(model: type[models.Model], field: str, obj: models.Model) -> tuple[str, str]:
        url = admin_url(model, "changelist", **{f"{field}__exact": obj.pk})
        label = capfirst(model._meta.verbose_name_plural)
        return url or "", f"{label} with this {field.replace('_', ' ')}"


def _describe_search(name: str) -> str:
    """``user__email`` → "user email", ``user_id__exact`` → "user id (exact)"."""
    exact = name.endswith("__exact") or name.startswith("=")
    words = name.lstrip("=^@").removesuffix("__exact").replace("__", " ").replace("_", " ")
    return f"{words} (exact)" if exact else words


class ReadOnlyAdminMixin:
    """For tables the application writes (events, analytics): staff look, never edit."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyModelAdmin(ReadOnlyAdminMixin, AmericanoModelAdmin):
    """An ``AmericanoModelAdmin`` that only shows its rows."""
