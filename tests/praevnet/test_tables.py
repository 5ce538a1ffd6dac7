"""The project's Table writes rows in Python and FastSelect writes options in Python: both must give exactly the
markup of tables2's and Django's own templates."""

from __future__ import annotations

import datetime
import re

import django_tables2 as tables
import pytest
from django import forms
from django.test import RequestFactory
from django.utils import timezone
from django.utils.html import format_html

from partners.models import Membership, Partner, Sector
from partners.tables import MembershipTable, PartnerTable
from partners.views import partner_queryset
from praevnet.audit import log_action
from praevnet.models import AuditEntry
from praevnet.tables import PAGINATION_LABEL, AuditTable, Table
from praevnet.widgets import FastSelect

STOCK = "django_tables2/bootstrap5-responsive.html"


def normalise(html: str) -> str:
    """Whitespace next to tags and before a tag's end dropped (it does not show in a table cell or a link), other
    runs as one space."""
    html = re.sub(r">\s+", ">", str(html))
    html = re.sub(r"\s+([<>])", r"\1", html)
    return re.sub(r"\s+", " ", html).strip()


def tbody(html: str) -> str:
    return re.search(r"<tbody.*?</tbody>", normalise(html), re.S).group(0)


@pytest.fixture
def request_(world):
    request = RequestFactory().get("/", {"sort": "name"})
    request.user = world.coordinator
    return request


def both(table_class, data, request, **kwargs):
    ours = table_class(data, request=request, **kwargs).as_html(request)
    stock = table_class(data, request=request, template_name=STOCK, **kwargs).as_html(request)
    # the one deliberate difference: the page links are labelled in German for screen readers
    return ours, stock.replace('aria-label="Table navigation"', f'aria-label="{PAGINATION_LABEL}"')


def test_partner_rows_are_exactly_tables2s(world, request_):
    sector = Sector.objects.create(name="Gesundheit & Pflege <Test>", slug="gesundheit-test")
    world.partner_a.sectors.add(sector)
    Partner.objects.filter(pk=world.partner_b.pk).update(
        archived_at=timezone.now(), profile_state=Partner.ProfileState.SUBMITTED, name='Beratung "Mitte" & Co'
    )
    rows = list(partner_queryset(world.network).order_by("name"))
    ours, stock = both(PartnerTable, rows, request_, network=world.network)
    assert tbody(ours) == tbody(stock)
    assert normalise(ours) == normalise(stock)
    assert "Gesundheit &amp; Pflege &lt;Test&gt;" in ours and "archiviert" in ours
    assert "Beratung &quot;Mitte&quot; &amp; Co" in ours


def test_membership_and_audit_rows_are_exactly_tables2s(world, request_):
    Membership.objects.filter(partner=world.partner_a).update(since=datetime.date(2024, 2, 29))
    memberships = Membership.objects.filter(network=world.network).select_related("partner")
    ours, stock = both(MembershipTable, memberships, request_, network=world.network)
    assert normalise(ours) == normalise(stock)
    assert "29.02.2024" in ours

    log_action(
        actor=world.coordinator,
        action="partner.update",
        obj=world.partner_a,
        network=world.network,
        data={"Name": ["alt <b>", "neu"]},
    )
    ours, stock = both(AuditTable, AuditEntry.objects.all(), request_)
    assert normalise(ours) == normalise(stock)
    assert "alt &lt;b&gt;" in ours


@pytest.mark.parametrize("page", ["1", "2", "7", "12"])
def test_header_links_and_page_links_are_tables2s(world, page):
    """Sort links and page links keep the other parameters (filter, search, page size) and escape them."""
    partners = [Partner(pk=index, name=f"Einrichtung {index}", city="Ort & Stadt") for index in range(1, 301)]
    request = RequestFactory().get("/", {"q": 'Kita "Nord" & <Süd>', "sector": ["1", "2"], "page": page})
    request.user = world.coordinator

    def render(template_name=None):
        table = AccessorlessTable(partners, request=request, template_name=template_name)
        tables.RequestConfig(request, paginate={"per_page": 25}).configure(table)
        return table.as_html(request)

    ours, stock = render(), render(STOCK).replace('aria-label="Table navigation"', f'aria-label="{PAGINATION_LABEL}"')
    assert normalise(ours) == normalise(stock)
    assert "zurück" in ours if page != "1" else "zurück" not in ours
    assert "weiter" in ours if page != "12" else "weiter" not in ours
    assert "q=Kita+%22Nord%22+%26+%3CS%C3%BCd%3E" in ours and "sector=1&amp;sector=2" in ours
    assert f'aria-label="{PAGINATION_LABEL}"' in ours


class AccessorlessTable(Table):
    name = tables.Column(verbose_name="Einrichtung <Name>", footer="Summe & mehr")
    city = tables.Column(verbose_name="Ort", orderable=False, attrs={"th": {"class": "text-end"}})

    class Meta:
        attrs = {"class": "table table-sm", "thead": {"class": "kopf"}, "tbody": {"id": "zeilen"}}
        row_attrs = {"data-id": lambda record: record.pk}


def test_an_empty_table_says_so(world, request_):
    ours, stock = both(PartnerTable, [], request_, network=world.network)
    assert normalise(ours) == normalise(stock)
    assert "Keine Einrichtung passt zu dieser Auswahl." in ours


class AccessorTable(Table):
    """Every way a cell finds its value: display of choices across a relation, None part-way, a failed lookup, a
    callable, a custom render with and without `value`, the default for empty values."""

    kind = tables.Column(accessor="partner__kind")
    state = tables.Column()
    reviewer = tables.Column(accessor="partner__reviewed_by__email", default="niemand")
    missing = tables.Column(accessor="partner__gibt_es_nicht", default="–")
    label = tables.Column(accessor="partner__get_kind_display")
    name_upper = tables.Column(accessor="partner__name__upper")
    since = tables.Column(empty_values=())
    city = tables.Column(accessor="partner__city")

    class Meta:
        model = Membership
        fields = ("kind", "state", "reviewer", "missing", "label", "name_upper", "since", "city")

    def render_since(self, record, bound_column):
        return format_html("<i>{}</i> {}", bound_column.name, record.since or "offen")

    def render_city(self, value, record):
        return f"{value} ({record.partner.postcode})"


def test_every_accessor_kind_gives_tables2s_markup(world, request_):
    Partner.objects.filter(pk=world.partner_a.pk).update(city="", reviewed_by=world.coordinator)
    Membership.objects.filter(partner=world.partner_b).update(since=None)
    memberships = Membership.objects.filter(network=world.network).select_related("partner__reviewed_by")
    ours, stock = both(AccessorTable, memberships, request_)
    assert normalise(ours) == normalise(stock)
    assert "niemand" in ours and world.coordinator.email in ours and "<i>since</i> offen" in ours

    # dictionaries (import previews) take tables2's own path
    class RowTable(Table):
        line = tables.Column()
        name = tables.Column(default="—")

    rows = [{"line": 2, "name": "Kita <Nord>"}, {"line": 3, "name": ""}]
    ours, stock = both(RowTable, rows, request_)
    assert normalise(ours) == normalise(stock)
    assert "Kita &lt;Nord&gt;" in ours


CHOICES = [("", "alle"), (1, "A & B"), (2, '"zitiert" <b>'), ("Dinslaken", [(3, "Lohberg"), (4, "Hiesfeld")])]


@pytest.mark.parametrize("value", [None, "", "1", 2, "4", "99"])
def test_fast_select_writes_djangos_markup(value):
    # in Django's order (attrs.html, not flatatt's sorted one); False left out, True a bare name
    attrs = {"id": "id_district", "class": "form-select", "required": True, "disabled": False, "data-x": 'a "b"'}
    stock = forms.Select(choices=CHOICES, attrs=attrs).render("district", value)
    ours = FastSelect(choices=CHOICES, attrs=attrs).render("district", value)
    assert normalise(ours) == normalise(stock)


@pytest.mark.parametrize("fmt", ["d.m.Y", "d.m.Y H:i", "j. F Y"])
def test_date_column_writes_what_date_format_writes(fmt, settings):
    from django.utils.formats import date_format

    from praevnet.tables import DateColumn

    column = DateColumn(format=fmt)
    moments = [
        datetime.date(2024, 2, 29),
        datetime.date(1999, 12, 1),
        datetime.datetime(2026, 3, 29, 1, 5, tzinfo=datetime.UTC),  # the night the clocks go forward
        datetime.datetime(2026, 10, 25, 23, 59, tzinfo=datetime.UTC),
    ]
    for moment in moments:
        local = timezone.localtime(moment) if isinstance(moment, datetime.datetime) else moment
        if fmt == "d.m.Y H:i" and not isinstance(moment, datetime.datetime):
            continue
        assert column.render(moment) == date_format(local, fmt)


def test_pk_url_is_reverse(world):
    from django.urls import reverse

    from praevnet.tables import pk_url

    url = pk_url("partners:partner_detail", network=world.network.slug)
    for pk in (1, 42, 10**9):
        assert url(pk) == reverse("partners:partner_detail", kwargs={"network": world.network.slug, "pk": pk})


class NumberTable(Table):
    plain = tables.Column()
    forced = tables.Column(localize=True)
    raw = tables.Column(localize=False)
    flag = tables.Column()


@pytest.mark.parametrize("grouping", [False, True])
def test_whole_numbers_are_written_as_tables2_writes_them(world, request_, settings, grouping):
    settings.USE_THOUSAND_SEPARATOR = grouping
    rows = [{"plain": 1234567, "forced": 1234567, "raw": 1234567, "flag": True}, {"plain": 0, "forced": -5, "raw": 7}]
    ours, stock = both(NumberTable, rows, request_)
    assert normalise(ours) == normalise(stock)
    assert ("1.234.567" in ours) is grouping and "1234567" in ours


def test_a_table_made_without_the_request_takes_the_one_it_is_rendered_for(world, request_):
    """Views may build a table without `request=`; render_table and as_html hand it the request."""
    partners = [Partner(pk=index, name=f"Einrichtung {index}") for index in range(1, 60)]
    table = AccessorlessTable(partners)
    table.paginate(per_page=25)
    html = table.as_html(request_)
    assert "sort=name&amp;page=2" in html  # the page links keep the request's parameters
