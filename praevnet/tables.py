from __future__ import annotations

import datetime
import html
from functools import partial

import django_tables2 as tables
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.template.base import template_localtime
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.functional import Promise
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django_tables2.columns import ManyToManyColumn
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.rows import BoundRow
from django_tables2.templatetags.django_tables2 import table_page_range
from django_tables2.utils import A, AttributeDict, signature

from praevnet.audit import action_label
from praevnet.models import AuditEntry


def pk_url(viewname: str, **kwargs):
    """The URL of ``viewname`` for any primary key, reversed once per table instead of once per row.

    ``reverse()`` costs about 0.07 ms; a 100-row page with two links per row spent 14 ms on it. The URL is reversed
    with a placeholder key and the key substituted, which is exact for ``<int:pk>`` routes.
    """
    placeholder = 987654321987654321
    head, _, tail = reverse(viewname, kwargs={**kwargs, "pk": placeholder}).rpartition(str(placeholder))
    return lambda pk: f"{head}{int(pk)}{tail}"


_DATE_PATTERNS = {
    "d.m.Y": "{0.day:02d}.{0.month:02d}.{0.year:04d}",
    "d.m.Y H:i": "{0.day:02d}.{0.month:02d}.{0.year:04d} {0.hour:02d}:{0.minute:02d}",
}


class DateColumn(tables.Column):
    """A date or time stamp in German notation, shown in local time.

    tables2's DateColumn/DateTimeColumn compile a template for every cell (~0.4 ms each); this formats directly.
    """

    def __init__(self, *args, format: str = "d.m.Y", **kwargs):
        self.format = format
        super().__init__(*args, **kwargs)

    def render(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
        pattern = _DATE_PATTERNS.get(self.format)
        if pattern and (self.format == "d.m.Y" or isinstance(value, datetime.datetime)):
            return pattern.format(value)  # what date_format writes for these two formats, ten times faster
        return date_format(value, self.format)

    def value(self, value):
        return self.render(value)


class CountedPaginator(Paginator):
    """A paginator told its count by a query the view made anyway (so it does not count again)."""

    def __init__(self, object_list, per_page, *args, count: int, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.count = count  # replaces Paginator.count, a cached property


class Table(tables.Table):
    """The project's table: tables2 for columns, sorting and pagination, with the rows written in Python.

    tables2 renders each cell through the template engine and inspects the render method's signature for every
    cell, about 0.1 ms a cell: 20 ms of a 25-row register page. Here each cell goes through the same tables2 steps
    (accessor, choices display, empty values, `render_<column>`, links) but the signature and the <td>
    attributes are worked out once per column and the markup is joined in Python. tests/praevnet/test_tables.py
    pins that the result is tables2's own markup.
    """

    def __init__(self, *args, template_name: str | None = None, **kwargs):
        super().__init__(*args, template_name=template_name or "django_tables2/praevnet.html", **kwargs)

    def before_render(self, request):
        # tables2 calls this with the request it renders for (render_table, as_html); the links keep its parameters
        self.render_request = request
        super().before_render(request)

    def markup(self) -> str:
        """The whole table as tables2's bootstrap5-responsive template writes it, assembled in Python.

        The template engine spent more on the wrapper than on the rows: three levels of ``extends`` and
        ``block.super``, and a ``querystring_replace`` tag per sort link and page link. What each part writes is
        pinned against tables2's own template in tests/praevnet/test_tables.py.
        """
        request = getattr(self, "render_request", None) or getattr(self, "request", None)
        return mark_safe(
            '<div class="table-container table-responsive">'
            f"<table {_attrs_html(AttributeDict({'class': 'table', **self.attrs}))}>"
            f"{self._thead(request)}<tbody {_attrs_html(self.attrs.get('tbody'))}>{self.tbody_rows()}</tbody>"
            f"{self._tfoot()}</table>{self._pagination(request)}</div>"
        )

    def _thead(self, request) -> str:
        if not self.show_header:
            return ""
        cells = []
        for column in self.columns:
            header = escape_html(column.header)
            if column.orderable:
                href = _querystring(request, self.prefixed_order_by_field, column.order_by_alias.next)
                header = f'<a href="{href}">{header}</a>'
            cells.append(f'<th {column.attrs["th"].as_html()} scope="col">{header}</th>')
        return f"<thead {_attrs_html(self.attrs.get('thead'))}><tr>{''.join(cells)}</tr></thead>"

    def _tfoot(self) -> str:
        if not self.has_footer():
            return ""
        cells = "".join(
            f"<td {column.attrs['tf'].as_html()}>{escape_html(column.footer)}</td>" for column in self.columns
        )
        return f"<tfoot {_attrs_html(self.attrs.get('tfoot'))}><tr>{cells}</tr></tfoot>"

    def _pagination(self, request) -> str:
        page = getattr(self, "page", None)
        if not page or self.paginator.num_pages <= 1:
            return ""
        field = self.prefixed_page_field
        items = []
        if page.has_previous():
            href = _querystring(request, field, page.previous_page_number())
            items.append(
                f'<li class="previous page-item"><a href="{href}" class="page-link">'
                f'<span aria-hidden="true">&laquo;</span> {escape_html(gettext("previous"))}</a></li>'
            )
        if page.has_previous() or page.has_next():
            for number in table_page_range(page, self.paginator):
                active = " active" if page.number == number else ""
                href = f' href="{_querystring(request, field, number)}"' if number != "..." else ""
                items.append(
                    f'<li class="page-item{active}"><a class="page-link"{href}>{escape_html(localize(number))}</a></li>'
                )
        if page.has_next():
            href = _querystring(request, field, page.next_page_number())
            items.append(
                f'<li class="next page-item"><a href="{href}" class="page-link">{escape_html(gettext("next"))} '
                '<span aria-hidden="true">&raquo;</span></a></li>'
            )
        return (
            f'<nav aria-label="{PAGINATION_LABEL}"><ul class="pagination justify-content-center">'
            f"{''.join(items)}</ul></nav>"
        )

    def tbody_rows(self) -> str:
        columns = [_FastColumn(bound_column) for bound_column in self.columns]
        html = []
        plain_rows = not self.row_attrs  # then a row's attributes are only its even/odd class
        for row in self.paginated_rows:
            record = row.record
            fast = isinstance(record, models.Model)
            cells = []
            for column in columns:
                bound_column = column.bound_column
                if fast and column.fast:
                    value = column.cell(row, record)
                else:  # dicts (import previews), link and many-to-many columns: tables2's own path
                    value = row._get_and_render_with(
                        bound_column, render_func=partial(column.call, row=row), default=bound_column.default
                    )
                cells.append(f"<td {column.td}>{self._cell(bound_column, value)}</td>")
            attrs = (
                f'class="{row.get_even_odd_css_class()}"'
                if plain_rows and type(row) is BoundRow
                else row.attrs.as_html()
            )
            html.append(f"<tr {attrs}>{''.join(cells)}</tr>")
        if not html and self.empty_text:
            html.append(f'<tr><td colspan="{len(columns)}">{conditional_escape(self.empty_text)}</td></tr>')
        return mark_safe("".join(html))

    @staticmethod
    def _cell(bound_column, value) -> str:
        # what `{{ cell }}`, `{{ cell|localize }}` and `{{ cell|unlocalize }}` do in tables2's template
        if isinstance(value, str):  # text and markup: localize() and template_localtime() leave them as they are
            return escape_html(value)
        if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
            return str(value)  # what number_format() gives for a whole number without grouping, localized or not
        if bound_column.localize is None:
            return escape_html(localize(template_localtime(value)))
        if bound_column.localize:
            return escape_html(localize(template_localtime(value), use_l10n=True))
        return escape_html(localize(template_localtime(value), use_l10n=False))


#: The label of the page links for screen readers (tables2's template says "Table navigation", in English).
PAGINATION_LABEL = "Seiten der Tabelle"


def _attrs_html(attrs) -> str:
    """What ``{{ attrs.as_html }}`` writes in tables2's template: the attributes, or nothing for a missing entry."""
    return attrs.as_html() if isinstance(attrs, AttributeDict) else ""


def _querystring(request, key: str, value) -> str:
    """tables2's ``{% querystring_replace key=value %}``: the current query string with one parameter replaced."""
    params = dict(request.GET) if request is not None else {}
    params[key] = value
    return escape_html("?" + urlencode(params, doseq=True))


def escape_html(value) -> str:
    """`conditional_escape()` – markup stays, everything else is escaped the same way – without the lazy-string
    wrapper Django puts around it, which cost more than the escaping itself in a table of 100 rows."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


class _FastColumn:
    """One column of :meth:`Table.tbody_rows`, worked out once per table instead of once per cell.

    For model instances the cell value is found as ``BoundRow._get_and_render_with`` finds it – ``get_FOO_display()``
    for a field with choices, else the accessor followed attribute by attribute, callables called (never one that
    ``alters_data``), ``None`` part-way giving ``None``, a failed lookup giving the empty value, values in
    ``empty_values`` giving the column's default – without tables2's per-cell model-field lookup and its
    dictionary-first attempt (a model instance is not subscriptable, so that attempt always raises).
    """

    def __init__(self, bound_column):
        self.bound_column = bound_column
        column = bound_column.column
        self.render = bound_column.render
        self.link = bound_column.link
        self.wanted = _wanted(self.render)
        td = bound_column.attrs.get("td", {})
        self.td = td.as_html() if td else ""
        accessor = A(bound_column.accessor)
        self.accessor = accessor
        self.fast = not (
            isinstance(column, (BaseLinkColumn, ManyToManyColumn))
            or accessor.SEPARATOR != A.SEPARATOR
            or accessor.callable_args
            or accessor.callable_kwargs
        )
        bits = accessor.bits
        self.path, self.remainder = bits[:-1], (bits[-1] if bits else "")
        self.empty_values = column.empty_values
        self._choices: dict[type, bool] = {}

    def call(self, bound_column, value=None, *, row=None):
        """tables2's ``BoundRow._call_render`` with the signature known: render, then link."""
        if not self.link:  # the common signatures without building all six arguments for every cell
            if self.wanted == ("value",):
                return self.render(value=value)
            if self.wanted == ("record",):
                return self.render(record=row.record)
        kwargs = row._optional_cell_arguments(bound_column, value)
        wanted = self.wanted
        content = self.render(**({key: kwargs[key] for key in wanted} if wanted is not None else kwargs))
        return self.link(content, **kwargs) if self.link else content

    def cell(self, row, record):
        value = self.value(record)
        if value in self.empty_values:
            return self.bound_column.default
        return self.call(self.bound_column, value, row=row)

    def value(self, record):
        if not self.path:
            penultimate = record  # most columns: an attribute of the row's own instance, no walk needed
        else:
            try:
                penultimate = _resolve(record, self.path)
            except Exception:
                penultimate = None
        if isinstance(penultimate, models.Model) and self._has_choices(record):
            display = getattr(penultimate, f"get_{self.remainder}_display", None)
            if display:
                return display()
        if not self.remainder:
            return None
        if self.path and penultimate is None:
            return None  # the path ended in None (or failed): tables2 gives None as well
        try:
            return _resolve(penultimate, (self.remainder,))
        except Exception:
            return None

    def _has_choices(self, record) -> bool:
        kind = type(record)
        if kind not in self._choices:
            try:
                field = self.accessor.get_field(record)
            except FieldDoesNotExist:
                field = None
            self._choices[kind] = bool(getattr(field, "choices", ()))
        return self._choices[kind]


def _resolve(current, bits):
    """``Accessor.resolve`` for the bits of an accessor (tables2's rules; model instances looked up by attribute)."""
    for bit in bits:
        if isinstance(current, models.Model):
            current = getattr(current, bit)
        else:
            try:
                current = current[bit]
            except (TypeError, AttributeError, KeyError):
                try:
                    current = getattr(current, bit)
                except (TypeError, AttributeError):
                    current = current[int(bit)]
        if callable(current):
            current = _called(current, bit)
        if current is None:
            break
    return current


def _called(value, bit: str):
    """A callable found on the way is called, as in a template – never one that alters data."""
    if getattr(value, "alters_data", False):
        raise ValueError(f"{bit}() ändert Daten und wird nicht aufgerufen")
    if getattr(value, "do_not_call_in_templates", False):
        return value
    return value()


_WANTED: dict = {}


def _wanted(render) -> tuple[str, ...] | None:
    """The arguments a render method asks for (None: it takes ``**kwargs``), worked out once per function.

    ``inspect.signature`` cost 0.1 ms for each new table. Render methods are bound methods (of the table or the
    column) and keyed by their function; anything else is inspected each time, so no closure is kept alive here.
    """
    function = getattr(render, "__func__", None)
    if function is None:
        wanted, catch_all = signature(render)
        return None if catch_all else tuple(wanted)
    if function not in _WANTED:
        wanted, catch_all = signature(render)
        _WANTED[function] = None if catch_all else tuple(wanted)
    return _WANTED[function]


class AuditTable(Table):
    created = DateColumn(format="d.m.Y H:i", verbose_name="Zeitpunkt")
    actor_label = tables.Column(verbose_name="Person")
    action = tables.Column(verbose_name="Aktion")
    object_label = tables.Column(verbose_name="Objekt")
    data = tables.Column(verbose_name="Änderungen", orderable=False)

    class Meta:
        model = AuditEntry
        fields = ("created", "actor_label", "action", "object_label", "data")
        attrs = {"class": "table table-sm align-middle"}
        per_page = 50
        empty_text = "Keine Einträge für diese Auswahl."

    def render_action(self, value):
        return action_label(value)

    def render_data(self, value):
        if not value:
            return "—"
        rows = []
        for key, change in value.items():
            if key.startswith("_"):  # internal bookkeeping such as the profile version
                continue
            if isinstance(change, list) and len(change) == 2:
                rows.append((key, f"{change[0] or '(leer)'} → {change[1] or '(leer)'}"))
            else:
                rows.append((key, str(change)))
        if not rows:
            return "—"
        return format_html(
            '<dl class="audit-changes mb-0">{}</dl>', format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows)
        )
