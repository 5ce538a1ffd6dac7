"""The internal directory: every active member's offers and the contacts who agreed to an internal listing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners.models import (
    AccessRoute,
    ContactPerson,
    District,
    Language,
    LifeStage,
    Membership,
    Municipality,
    Offer,
    Partner,
    Sector,
)
from tests.factories import MembershipFactory, NetworkFactory, PartnerFactory


@dataclass
class Offers:
    """The offers, contacts and places the directory, finder, coverage and HSDS tests share."""

    nord: District
    sued: District
    midwife: Offer  # partner_a, published, 0-3 + pregnancy, Nord, German + Turkish, free, open consultation hours
    course: Offer  # partner_a, NOT published, 0-3, Süd
    counselling: Offer  # partner_b, published, 3-6 + primary school, Süd, Arabic, reduced fee, by phone
    ended: Offer  # an ended member's published offer
    archived: Offer  # an archived institution's published offer
    foreign: Offer  # the other network's published offer
    public_contact: ContactPerson
    internal_contact: ContactPerson
    silent_contact: ContactPerson
    anonymised_contact: ContactPerson


def stage(slug: str) -> LifeStage:
    return LifeStage.objects.get(slug=slug)


def make_offer(partner, title, *, stages=(), districts=(), languages=(), routes=(), published=True, **fields):
    offer = Offer.objects.create(partner=partner, title=title, published=published, **fields)
    offer.life_stages.set([stage(s) for s in stages])
    offer.districts.set(districts)
    offer.languages.set(Language.objects.filter(slug__in=languages))
    offer.access_routes.set(AccessRoute.objects.filter(slug__in=routes))
    return offer


def build_offers(world) -> Offers:
    from partners.taxonomy_defaults import install

    install()  # the lists come with a data migration, which transactional (browser) tests flush
    town = Municipality.objects.create(name="Musterstadt", kind="stadt", kreis="Kreis Muster", federal_state="NW")
    world.network.municipalities.add(town)
    nord = District.objects.create(municipality=town, name="Nord")
    sued = District.objects.create(municipality=town, name="Süd")
    a, b = world.partner_a, world.partner_b
    Partner.objects.filter(pk=a.pk).update(
        phone="0203 111 222",
        email="praxis@am-bach.example",
        website="https://am-bach.example",
        accessibility=Partner.Accessibility.FULL,
        accessibility_note="Eingang ebenerdig",
        description="Hebammen für Schwangere und junge Familien.",
    )
    a.refresh_from_db()
    a.sectors.set([Sector.objects.get(slug="gesundheit")])
    b.sectors.set([Sector.objects.get(slug="jugendhilfe")])
    midwife = make_offer(
        a,
        "Hebammensprechstunde",
        description="Offene Sprechstunde für Schwangere und Eltern mit Babys.",
        stages=("schwangerschaft", "0-3"),
        districts=(nord,),
        languages=("de", "tr"),
        routes=("sprechstunde",),
    )
    course = make_offer(a, "Rückbildungskurs intern", stages=("0-3",), districts=(sued,), published=False)
    counselling = make_offer(
        b,
        "Erziehungsberatung für Eltern",
        description="Beratung bei Fragen zur Erziehung.",
        stages=("3-6", "grundschule"),
        districts=(sued,),
        languages=("ar",),
        routes=("telefonisch",),
        cost=Offer.Cost.REDUCED,
        cost_note="nach Einkommen",
    )
    gone = MembershipFactory(
        network=world.network,
        partner=PartnerFactory(name="Krabbelgruppe Vergangen"),
        state=Membership.State.ENDED,
        until=datetime.date(2025, 6, 30),
    ).partner
    ended = make_offer(gone, "Alte Krabbelgruppe", stages=("0-3",), districts=(nord,))
    shelved = MembershipFactory(network=world.network, partner=PartnerFactory(name="Archivierte Elternschule")).partner
    Partner.objects.filter(pk=shelved.pk).update(archived_at=timezone.now())
    archived = make_offer(shelved, "Archivierter Elternkurs", stages=("0-3",), districts=(nord,))
    foreign = make_offer(world.foreign_partner, "Fremdes Familienfrühstück", stages=("0-3",))

    def contact(name, email, **consent):
        return ContactPerson.objects.create(partner=a, name=name, function="Hebamme", email=email, **consent)

    return Offers(
        nord=nord,
        sued=sued,
        midwife=midwife,
        course=course,
        counselling=counselling,
        ended=ended,
        archived=archived,
        foreign=foreign,
        public_contact=contact("Erika Offen", "erika@am-bach.example", consent_internal=True, consent_public=True),
        internal_contact=contact("Ina Intern", "ina@am-bach.example", consent_internal=True),
        silent_contact=contact("Nora Nichtgenannt", "nora@am-bach.example"),
        anonymised_contact=contact(
            "Anonymisierte Person", "", consent_internal=True, consent_public=True, anonymised_at=timezone.now()
        ),
    )


@pytest.fixture
def offers(world) -> Offers:
    return build_offers(world)


def directory_url(world, network=None) -> str:
    return reverse("partners:directory", kwargs={"network": (network or world.network).slug})


@pytest.mark.parametrize("persona", ["contact_a", "contact_b", "coordinator", "jugendamt", "admin"])
def test_every_member_of_the_network_sees_all_offers_and_internal_contacts(login, world, offers, persona):
    html = login(world.persona(persona)).get(directory_url(world)).content.decode()
    for title in ("Hebammensprechstunde", "Rückbildungskurs intern", "Erziehungsberatung für Eltern"):
        assert title in html
    assert "Erika Offen" in html and "Ina Intern" in html and "ina@am-bach.example" in html
    assert "nur intern" in html  # the unpublished offer is marked as such


def test_contacts_without_internal_consent_and_anonymised_ones_are_left_out(login, world, offers):
    html = login(world.contact_b).get(directory_url(world)).content.decode()
    assert "Nora Nichtgenannt" not in html and "nora@am-bach.example" not in html
    assert "Anonymisierte Person" not in html


def test_ended_members_archived_institutions_and_other_networks_are_not_listed(login, world, offers):
    html = login(world.coordinator).get(directory_url(world)).content.decode()
    assert "Alte Krabbelgruppe" not in html and "Krabbelgruppe Vergangen" not in html
    assert "Archivierter Elternkurs" not in html
    assert "Fremdes Familienfrühstück" not in html and "Kita Fremdland" not in html


def test_a_foreign_network_is_404_and_anonymous_visitors_go_to_the_login(client, login, world, offers):
    assert login(world.other_coordinator).get(directory_url(world)).status_code == 404
    response = login(None).get(directory_url(world))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert login(world.coordinator).post(directory_url(world)).status_code == 405


def test_partner_contacts_get_a_link_only_to_their_own_profile(login, world, offers):
    html = login(world.contact_a).get(directory_url(world)).content.decode()
    own = reverse("partners:partner_detail", kwargs={"network": world.network.slug, "pk": world.partner_a.pk})
    other = reverse("partners:partner_detail", kwargs={"network": world.network.slug, "pk": world.partner_b.pk})
    assert own in html and other not in html
    assert other in login(world.jugendamt).get(directory_url(world)).content.decode()


@pytest.mark.parametrize(
    "params, shown, hidden",
    [
        ({"life_stage": "stage:3-6"}, ["Erziehungsberatung für Eltern"], ["Hebammensprechstunde"]),
        ({"district": "nord"}, ["Hebammensprechstunde"], ["Erziehungsberatung für Eltern", "Rückbildungskurs"]),
        ({"access_route": "route:telefonisch"}, ["Erziehungsberatung für Eltern"], ["Hebammensprechstunde"]),
        ({"language": "language:tr"}, ["Hebammensprechstunde"], ["Erziehungsberatung für Eltern"]),
        ({"sector": "sector:jugendhilfe"}, ["Erziehungsberatung für Eltern"], ["Hebammensprechstunde"]),
        ({"published": "on", "life_stage": "stage:0-3"}, ["Hebammensprechstunde"], ["Rückbildungskurs intern"]),
        ({"q": "Hebamme"}, ["Hebammensprechstunde"], ["Erziehungsberatung für Eltern"]),
        ({"q": "erziehung"}, ["Erziehungsberatung für Eltern"], ["Hebammensprechstunde"]),
    ],
)
def test_the_filters_narrow_offers_and_institutions(login, world, offers, params, shown, hidden):
    values = {}
    for key, value in params.items():
        kind, _, slug = value.partition(":")
        lookup = {"stage": LifeStage, "route": AccessRoute, "language": Language, "sector": Sector}
        if key == "district":
            values[key] = getattr(offers, value).pk
        elif kind in lookup and slug:
            values[key] = lookup[kind].objects.get(slug=slug).pk
        else:
            values[key] = value
    html = login(world.jugendamt).get(directory_url(world), values).content.decode()
    for title in shown:
        assert title in html, (params, title)
    for title in hidden:
        assert title not in html, (params, title)


def test_a_name_search_finds_a_member_without_offers(login, world, offers):
    MembershipFactory(network=world.network, partner=PartnerFactory(name="Stadtteilbibliothek Nord"))
    html = login(world.coordinator).get(directory_url(world), {"q": "Stadtteilbib"}).content.decode()
    assert "Stadtteilbibliothek Nord" in html and "Noch keine Angebote eingetragen." in html


def test_an_unknown_filter_value_is_a_german_hint_not_an_error(login, world, offers):
    response = login(world.coordinator).get(directory_url(world), {"life_stage": "999999", "page": "abc"})
    assert response.status_code == 200
    assert "Eine Auswahl im Filter gibt es nicht" in response.content.decode()


def test_the_query_count_does_not_grow_with_the_members_shown(login, world, offers):
    client = login(world.coordinator)
    client.get(directory_url(world))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(directory_url(world)).status_code == 200
        return len(queries)

    before = count()
    for n in range(6):
        partner = MembershipFactory(network=world.network, partner=PartnerFactory(name=f"Familienzentrum {n}")).partner
        partner.sectors.set([Sector.objects.get(slug="kita")])
        ContactPerson.objects.create(partner=partner, name=f"Person {n}", consent_internal=True)
        make_offer(partner, f"Elterncafé {n}", stages=("0-3", "3-6"), districts=(offers.nord,), languages=("de",))
    assert count() == before


def test_the_navigation_offers_the_directory_to_partners_and_the_coverage_only_to_staff(login, world, offers):
    html = login(world.contact_a).get(directory_url(world)).content.decode()
    assert "Verzeichnis" in html and reverse("partners:coverage", kwargs={"network": world.network.slug}) not in html
    html = login(world.jugendamt).get(directory_url(world)).content.decode()
    assert reverse("partners:coverage", kwargs={"network": world.network.slug}) in html


def test_another_network_sees_none_of_this_networks_offers(login, world, offers):
    other = NetworkFactory(name="Netzwerk Drei", slug="drei")
    from tests.factories import NetworkRoleFactory

    user = NetworkRoleFactory(network=other).user
    MembershipFactory(network=other, partner=world.partner_a)  # the same institution, member in both networks
    html = login(user).get(directory_url(world, other)).content.decode()
    assert "Hebammenpraxis Am Bach" in html  # its profile and offers are the institution's, in every network
    assert "Erziehungsberatung Mitte" not in html
