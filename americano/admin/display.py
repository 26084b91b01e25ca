"""How admin pages show values too big or too technical to show raw.

An embedding is 1,536 numbers and a JSON column can hold kilobytes; a person
wants their shape (dimensions, norm, keys, size) and a way to peek, not a
textarea they might break.
"""

import json
import math
from collections.abc import Iterable
from typing import Any

from django.contrib.admin.utils import quote
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString

#: Characters of pretty-printed JSON shown under "show"; the rest is cut.
JSON_PREVIEW_CHARS = 10_000
#: Leading components of a vector shown in its summary.
VECTOR_PREVIEW = 6


def json_text(value: Any) -> str:
    """``value`` serialised compactly, as PostgreSQL would store it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def json_shape(value: Any) -> str:
    """A one-line description of a JSON value: its type and what it holds."""
    if isinstance(value, dict):
        keys = list(value)
        shown = ", ".join(keys[:5]) + (", …" if len(keys) > 5 else "")
        return f"object, {len(keys)} key{'' if len(keys) == 1 else 's'}" + (
            f" ({shown})" if keys else ""
        )
    if isinstance(value, list):
        return f"array, {len(value)} item{'' if len(value) == 1 else 's'}"
    return type(value).__name__ if value is not None else "null"


def json_summary(value: Any) -> SafeString:
    """The shape and size of a JSON value, with the pretty-printed text behind "show"."""
    if value is None:
        return format_html("{}", "—")
    size = len(json_text(value).encode())
    pretty = json.dumps(value, ensure_ascii=False, indent=2, default=str)
    if len(pretty) > JSON_PREVIEW_CHARS:
        pretty = pretty[:JSON_PREVIEW_CHARS] + "\n… (cut)"
    return format_html(
        '<span class="americano-summary">{} · {}</span>'
        '<details class="americano-details"><summary>show</summary><pre>{}</pre></details>',
        json_shape(value),
        filesizeformat(size),
        pretty,
    )


def vector_summary(value: Iterable[float] | None) -> SafeString:
    """Dimensions, norm and first components of an embedding."""
    if value is None:
        return format_html("{}", "—")
    numbers = [float(x) for x in value]
    norm = math.sqrt(sum(x * x for x in numbers))
    head = ", ".join(f"{x:.4f}" for x in numbers[:VECTOR_PREVIEW])
    more = ", …" if len(numbers) > VECTOR_PREVIEW else ""
    return format_html(
        '<span class="americano-summary">{} dimensions · norm {} · [{}{}]</span>',
        len(numbers),
        f"{norm:.4f}",
        head,
        more,
    )


def admin_url(model: type[models.Model], view: str, *args: Any, **query: Any) -> str | None:
    """The URL of an admin view of ``model`` ("change", "changelist"), or None if unregistered."""
    opts = model._meta
    try:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode(query)}" if query else url


def change_link(model: type[models.Model], pk: Any, label: Any) -> SafeString:
    """A link to the change page of row ``pk`` of ``model``, or the label alone."""
    if pk is None:
        return format_html("{}", "—")
    url = admin_url(model, "change", quote(pk))
    return format_html('<a href="{}">{}</a>', url, label) if url else format_html("{}", label)


def link_list(links: Iterable[tuple[str, str]]) -> SafeString:
    """``<ul>`` of ``(url, label)`` pairs."""
    items = format_html_join("", '<li><a href="{}">{}</a></li>', links)
    return format_html('<ul class="americano-links">{}</ul>', items) if items else SafeString("")
