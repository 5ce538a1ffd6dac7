from __future__ import annotations

import datetime

import django_tables2 as tables
from django.template.base import template_localtime
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django_tables2.utils import signature

from praevnet.audit import action_label
from praevnet.models import AuditEntry


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
        return date_format(value, self.format)

    def value(self, value):
        return self.render(value)


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

    def tbody_rows(self) -> str:
        columns = []
        for bound_column in self.columns:
            render = bound_column.render
            wanted, catch_all = signature(render)
            td = bound_column.attrs.get("td", {})
            columns.append((bound_column, render, None if catch_all else wanted, td.as_html() if td else ""))
        html = []
        for row in self.paginated_rows:
            cells = []
            for bound_column, render, wanted, td in columns:

                def call(bound_column, value=None, render=render, wanted=wanted, row=row):
                    kwargs = row._optional_cell_arguments(bound_column, value)
                    content = render(**({key: kwargs[key] for key in wanted} if wanted is not None else kwargs))
                    return bound_column.link(content, **kwargs) if bound_column.link else content

                value = row._get_and_render_with(bound_column, render_func=call, default=bound_column.default)
                cells.append(f"<td {td}>{self._cell(bound_column, value)}</td>")
            html.append(f"<tr {row.attrs.as_html()}>{''.join(cells)}</tr>")
        if not html and self.empty_text:
            html.append(f'<tr><td colspan="{len(columns)}">{conditional_escape(self.empty_text)}</td></tr>')
        return mark_safe("".join(html))

    @staticmethod
    def _cell(bound_column, value) -> str:
        # what `{{ cell }}`, `{{ cell|localize }}` and `{{ cell|unlocalize }}` do in tables2's template
        if bound_column.localize is None:
            return conditional_escape(localize(template_localtime(value)))
        if bound_column.localize:
            return conditional_escape(localize(template_localtime(value), use_l10n=True))
        return conditional_escape(localize(template_localtime(value), use_l10n=False))


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
