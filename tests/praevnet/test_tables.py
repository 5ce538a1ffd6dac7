"""The project's Table writes rows in Python and FastSelect writes options in Python: both must give exactly the
markup of tables2's and Django's own templates."""

from __future__ import annotations

import datetime
import re

import pytest
from django import forms
from django.test import RequestFactory
from django.utils import timezone

from partners.models import Membership, Partner, Sector
from partners.tables import MembershipTable, PartnerTable
from partners.views import partner_queryset
from praevnet.audit import log_action
from praevnet.models import AuditEntry
from praevnet.tables import AuditTable
from praevnet.widgets import FastSelect

STOCK = "django_tables2/bootstrap5-responsive.html"


def normalise(html: str) -> str:
    html = re.sub(r">\s+<", "><", str(html))
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
    return ours, stock


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


def test_an_empty_table_says_so(world, request_):
    ours, stock = both(PartnerTable, [], request_, network=world.network)
    assert normalise(ours) == normalise(stock)
    assert "Keine Einrichtung passt zu dieser Auswahl." in ours


CHOICES = [("", "alle"), (1, "A & B"), (2, '"zitiert" <b>'), ("Dinslaken", [(3, "Lohberg"), (4, "Hiesfeld")])]


@pytest.mark.parametrize("value", [None, "", "1", 2, "4", "99"])
def test_fast_select_writes_djangos_markup(value):
    attrs = {"class": "form-select", "id": "id_district", "required": True}
    stock = forms.Select(choices=CHOICES, attrs=attrs).render("district", value)
    ours = FastSelect(choices=CHOICES, attrs=attrs).render("district", value)
    assert normalise(ours) == normalise(stock)
