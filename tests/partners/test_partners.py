import pytest
from django.urls import reverse

from partners.models import ContactPerson, District, LifeStage, Membership, Municipality, Offer, Partner, Sector
from praevnet.models import AuditEntry
from tests.factories import MembershipFactory, PartnerFactory


def url(name, world, **kwargs):
    return reverse(f"partners:{name}", kwargs={"network": world.network.slug, **kwargs})


def profile_data(partner=None, contacts=(), offers=(), **overrides):
    """POST data of the profile form with its two inline formsets."""
    data = {
        "name": "Familienzentrum Am Hafen",
        "kind": "verein",
        "traeger": "Hafenkinder e. V.",
        "street": "Hafenstraße 4",
        "postcode": "47119",
        "city": "Duisburg",
        "phone": "0203 123456",
        "email": "info@hafenkinder.example",
        "website": "https://hafenkinder.example",
        "description": "Treffpunkt für Familien im Quartier.",
        "accessibility": "barrierefrei",
        "accessibility_note": "",
        "membership_state": "aktiv",
        "member_since": "2025-03-01",
        "version": partner.version if partner else "",
    }
    for prefix, rows, existing in (
        ("contacts", contacts, partner.contacts.all() if partner else []),
        ("offers", offers, partner.offers.all() if partner else []),
    ):
        existing = list(existing)
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(existing))
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for index, row in enumerate(rows):
            for key, value in row.items():
                data[f"{prefix}-{index}-{key}"] = value
    data.update(overrides)
    return data


CONTACT = {
    "name": "Mara Hansen",
    "function": "Leitung",
    "phone": "0203 555 10",
    "email": "mara@hafenkinder.example",
    "consent_internal": "on",
}


def offer_row(**extra):
    stage = LifeStage.objects.get(slug="0-3")
    return {
        "title": "Elterncafé",
        "description": "Jeden Dienstag offen.",
        "cost": "kostenlos",
        "published": "on",
        "life_stages": [str(stage.pk)],
        **extra,
    }


def test_the_coordinator_registers_a_partner_with_contact_and_offer(login, world):
    response = login(world.coordinator).post(
        url("partner_create", world), profile_data(contacts=[CONTACT], offers=[offer_row()])
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    partner = Partner.objects.get(name="Familienzentrum Am Hafen")
    assert Membership.objects.get(partner=partner, network=world.network).state == "aktiv"
    assert partner.contacts.get().name == "Mara Hansen"
    offer = partner.offers.get()
    assert list(offer.life_stages.values_list("slug", flat=True)) == ["0-3"]
    assert AuditEntry.objects.filter(action="partner.create", network=world.network, object_id=str(partner.pk)).exists()
    assert response["Location"] == url("partner_detail", world, pk=partner.pk)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("postcode", "4711", "fünfstellige Postleitzahl"),
        ("phone", "ruf mich an", "gültige Telefonnummer"),
        ("email", "info(at)hafen", "gültige E-Mail-Adresse"),
        ("website", "hafen kinder", "gültige Adresse"),
        ("name", "", "zwingend erforderlich"),
    ],
)
def test_bad_input_gets_german_field_errors_and_nothing_is_saved(login, world, field, value, message):
    before = (Partner.objects.count(), Membership.objects.count(), ContactPerson.objects.count(), Offer.objects.count())
    response = login(world.coordinator).post(
        url("partner_create", world), profile_data(contacts=[CONTACT], offers=[offer_row()], **{field: value})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Es wurde nichts gespeichert." in html
    after = (Partner.objects.count(), Membership.objects.count(), ContactPerson.objects.count(), Offer.objects.count())
    assert after == before


def test_a_bad_contact_row_keeps_the_whole_profile_unsaved(login, world):
    response = login(world.coordinator).post(
        url("partner_create", world), profile_data(contacts=[{**CONTACT, "phone": "abc"}])
    )
    assert response.status_code == 200
    assert not Partner.objects.filter(name="Familienzentrum Am Hafen").exists()


def test_a_partner_contact_edits_its_own_profile_and_the_change_is_recorded(login, world):
    partner = world.partner_a
    client = login(world.contact_a)
    assert client.get(url("partner_edit", world, pk=partner.pk)).status_code == 200
    response = client.post(
        url("partner_edit", world, pk=partner.pk),
        profile_data(partner, name="Hebammenpraxis Am Bach", street="Bachweg 9", contacts=[CONTACT]),
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.street == "Bachweg 9"
    assert partner.version == 2
    entry = AuditEntry.objects.get(action="partner.update", object_id=str(partner.pk))
    assert entry.actor == world.contact_a
    assert entry.data["Straße und Hausnummer"] == ["Hauptstraße 1", "Bachweg 9"]
    assert entry.data["Ansprechperson „Mara Hansen“"] == ["", "(neu)"]
    html = login(world.coordinator).get(url("partner_detail", world, pk=partner.pk)).content.decode()
    assert "Hauptstraße 1 → Bachweg 9" in html


def test_the_second_of_two_concurrent_edits_is_refused_with_what_changed(login, world):
    partner = world.partner_a
    stale = profile_data(partner, name="Hebammenpraxis Am Bach", city="Altstadt")
    first = login(world.coordinator).post(
        url("partner_edit", world, pk=partner.pk), profile_data(partner, name="Hebammenpraxis Am Bach", city="Neustadt")
    )
    assert first.status_code == 302
    second = login(world.contact_a).post(url("partner_edit", world, pk=partner.pk), stale)
    assert second.status_code == 409
    html = second.content.decode()
    assert "Jemand anderes hat das Profil inzwischen geändert" in html
    assert "Musterstadt → Neustadt" in html
    partner.refresh_from_db()
    assert partner.city == "Neustadt"


def test_an_offer_of_another_partner_cannot_be_edited_through_this_form(login, world):
    foreign_offer = Offer.objects.create(partner=world.partner_b, title="Fremdes Angebot")
    data = profile_data(world.partner_a, name="Hebammenpraxis Am Bach")
    data.update(
        {
            "offers-TOTAL_FORMS": "1",
            "offers-INITIAL_FORMS": "0",
            "offers-0-id": str(foreign_offer.pk),
            "offers-0-title": "Gekapert",
            "offers-0-cost": "kostenlos",
        }
    )
    response = login(world.contact_a).post(url("partner_edit", world, pk=world.partner_a.pk), data)
    assert response.status_code in {200, 302}
    foreign_offer.refresh_from_db()
    assert foreign_offer.title == "Fremdes Angebot"
    assert foreign_offer.partner == world.partner_b


def test_submit_review_and_return_with_a_comment(login, world):
    partner = world.partner_a
    client = login(world.contact_a)
    client.post(url("partner_submit", world, pk=partner.pk))
    partner.refresh_from_db()
    assert partner.profile_state == "eingereicht"

    coordinator = login(world.coordinator)
    list_html = coordinator.get(url("partner_list", world)).content.decode()
    assert "1 Profil wartet auf Prüfung" in list_html
    response = coordinator.post(url("partner_review", world, pk=partner.pk), {"decision": "return", "comment": ""})
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.profile_state == "eingereicht"  # a return needs a comment
    coordinator.post(
        url("partner_review", world, pk=partner.pk), {"decision": "return", "comment": "Bitte Öffnungszeiten ergänzen."}
    )
    partner.refresh_from_db()
    assert partner.profile_state == "entwurf"
    html = login(world.contact_a).get(url("partner_detail", world, pk=partner.pk)).content.decode()
    assert "Bitte Öffnungszeiten ergänzen." in html

    login(world.contact_a).post(url("partner_submit", world, pk=partner.pk))
    login(world.coordinator).post(url("partner_review", world, pk=partner.pk), {"decision": "approve", "comment": ""})
    partner.refresh_from_db()
    assert partner.profile_state == "geprueft"
    assert partner.reviewed_by == world.coordinator


def test_only_submitted_profiles_can_be_reviewed(login, world):
    login(world.coordinator).post(url("partner_review", world, pk=world.partner_a.pk), {"decision": "approve"})
    world.partner_a.refresh_from_db()
    assert world.partner_a.profile_state == "entwurf"


def test_archived_partners_leave_the_list_but_are_kept(login, world):
    client = login(world.coordinator)
    client.post(url("partner_archive", world, pk=world.partner_b.pk))
    html = client.get(url("partner_list", world)).content.decode()
    assert "Erziehungsberatung Mitte" not in html
    assert "Erziehungsberatung Mitte" in client.get(url("partner_list", world), {"archived": "on"}).content.decode()
    assert Partner.objects.filter(pk=world.partner_b.pk).exists()
    client.post(url("partner_archive", world, pk=world.partner_b.pk), {"restore": "1"})
    assert "Erziehungsberatung Mitte" in client.get(url("partner_list", world)).content.decode()


@pytest.fixture
def register(world):
    """A small register: a midwife with a 0-3 offer in Hamborn, a school in Walsum."""
    city = Municipality.objects.create(name="Duisburg", kind="kreisfreie_stadt", federal_state="NW")
    world.network.municipalities.add(city)
    hamborn = District.objects.create(municipality=city, name="Hamborn")
    walsum = District.objects.create(municipality=city, name="Walsum")
    health = Sector.objects.get(slug="gesundheit")
    school = Sector.objects.get(slug="schule")
    midwife = MembershipFactory(network=world.network, partner=PartnerFactory(name="Hebammenpraxis Rheinbogen")).partner
    midwife.sectors.add(health)
    offer = Offer.objects.create(
        partner=midwife, title="Wochenbettbetreuung", description="Hausbesuche nach der Geburt"
    )
    offer.life_stages.add(LifeStage.objects.get(slug="0-3"))
    offer.districts.add(hamborn)
    grundschule = MembershipFactory(network=world.network, partner=PartnerFactory(name="Grundschule Walsum")).partner
    grundschule.sectors.add(school)
    homework = Offer.objects.create(partner=grundschule, title="Hausaufgabenhilfe")
    homework.life_stages.add(LifeStage.objects.get(slug="grundschule"))
    homework.districts.add(walsum)
    return {"hamborn": hamborn, "walsum": walsum, "health": health, "midwife": midwife}


def names(response):
    return {p.name for p in response.context["table"].page.object_list.data}


def test_filters_find_the_0_3_offers_of_midwives_in_one_district(login, world, register):
    client = login(world.coordinator)
    response = client.get(
        url("partner_list", world),
        {
            "sector": register["health"].pk,
            "life_stage": LifeStage.objects.get(slug="0-3").pk,
            "district": register["hamborn"].pk,
        },
    )
    assert names(response) == {"Hebammenpraxis Rheinbogen"}
    assert names(client.get(url("partner_list", world), {"district": register["walsum"].pk})) == {"Grundschule Walsum"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Hebamme", {"Hebammenpraxis Rheinbogen", "Hebammenpraxis Am Bach"}),
        ("Wochenbett", {"Hebammenpraxis Rheinbogen"}),
        ("hausaufgaben", {"Grundschule Walsum"}),
        ("beratung", {"Erziehungsberatung Mitte"}),  # inside a compound word of the name
        ("ziehungsberat", {"Erziehungsberatung Mitte"}),
        ("Beratungsstelle", set()),
        ("Kita Fremdland", set()),
    ],
)
def test_german_full_text_search_over_names_offers_and_descriptions(login, world, register, query, expected):
    assert names(login(world.coordinator).get(url("partner_list", world), {"q": query})) == expected


@pytest.mark.parametrize("query", ["Hebamme", "Wochenbett", "beratung", "Kita", "Sprachförderung"])
def test_searching_within_a_network_finds_what_the_whole_search_finds_there(world, register, query):
    shared = MembershipFactory(network=world.other_network, partner=register["midwife"]).partner  # in both networks
    Offer.objects.create(partner=world.foreign_partner, title="Wochenbettbetreuung und Sprachförderung")
    for network in (world.network, world.other_network):
        members = Partner.objects.in_network(network)
        assert set(members.search(query, network=network)) == set(members.search(query))
    assert shared in Partner.objects.in_network(world.other_network).search("Wochenbett", network=world.other_network)


def test_the_list_filters_by_membership_and_profile_state(login, world, register):
    Membership.objects.filter(partner=register["midwife"]).update(state="eingeladen")
    Partner.objects.filter(pk=world.partner_b.pk).update(profile_state="geprueft")
    client = login(world.coordinator)
    assert names(client.get(url("partner_list", world), {"membership_state": "eingeladen"})) == {
        "Hebammenpraxis Rheinbogen"
    }
    assert names(client.get(url("partner_list", world), {"profile_state": "geprueft"})) == {"Erziehungsberatung Mitte"}


def test_the_list_sorts_and_pages(login, world):
    for number in range(30):
        MembershipFactory(network=world.network, partner=PartnerFactory(name=f"Zentrum {number:02d}"))
    client = login(world.coordinator)
    response = client.get(url("partner_list", world), {"sort": "-name"})
    assert next(iter(names(response))) and response.context["table"].page.object_list.data[0].name == "Zentrum 29"
    assert len(response.context["table"].page.object_list) == 25
    assert len(client.get(url("partner_list", world), {"per_page": "50"}).context["table"].page.object_list) == 32
    assert len(client.get(url("partner_list", world), {"per_page": "7"}).context["table"].page.object_list) == 25


def test_bad_filter_values_are_a_german_message_not_an_error(login, world):
    response = login(world.coordinator).get(url("partner_list", world), {"sector": "abc", "district": "999999"})
    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen" in response.content.decode()


def test_the_list_query_count_does_not_grow_with_rows(login, world, django_assert_max_num_queries):
    client = login(world.coordinator)
    client.get(url("partner_list", world))
    with django_assert_max_num_queries(40) as few:
        client.get(url("partner_list", world))
    for number in range(45):
        partner = MembershipFactory(network=world.network, partner=PartnerFactory(name=f"Neu {number}")).partner
        partner.sectors.add(Sector.objects.get(slug="kita"))
        Offer.objects.create(partner=partner, title="Angebot")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("partner_list", world), {"per_page": "50"})
    assert len(response.context["table"].page.object_list) == 47


def test_the_detail_query_count_does_not_grow_with_offers(login, world, django_assert_max_num_queries):
    client = login(world.coordinator)
    Offer.objects.create(partner=world.partner_a, title="Eins")
    client.get(url("partner_detail", world, pk=world.partner_a.pk))
    with django_assert_max_num_queries(40) as few:
        client.get(url("partner_detail", world, pk=world.partner_a.pk))
    for number in range(20):
        offer = Offer.objects.create(partner=world.partner_a, title=f"Angebot {number}")
        offer.life_stages.add(LifeStage.objects.first())
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("partner_detail", world, pk=world.partner_a.pk))


def test_meine_einrichtung_leads_a_contact_to_its_institution(login, world):
    response = login(world.contact_b).get(url("own_partner", world))
    assert response["Location"] == url("partner_detail", world, pk=world.partner_b.pk)


def test_an_anonymised_contact_cannot_be_typed_back_in(login, world):
    from django.utils import timezone

    contact = ContactPerson.objects.create(
        partner=world.partner_a, name="Anonymisierte Person", anonymised_at=timezone.now()
    )
    data = profile_data(world.partner_a, name="Hebammenpraxis Am Bach")
    data.update(
        {
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "1",
            "contacts-0-id": str(contact.pk),
            "contacts-0-name": "Wieder Da",
            "contacts-0-email": "wieder@da.example",
        }
    )
    response = login(world.coordinator).post(url("partner_edit", world, pk=world.partner_a.pk), data)
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.name == "Anonymisierte Person"
    assert contact.email == ""


def test_the_list_shows_each_member_once_with_its_state_in_this_network(login, world, register):
    midwife = register["midwife"]
    MembershipFactory(network=world.other_network, partner=midwife, state="beendet")  # ended elsewhere
    Membership.objects.filter(partner=midwife, network=world.network).update(state="eingeladen")
    response = login(world.coordinator).get(url("partner_list", world))
    rows = [p for p in response.context["table"].page.object_list.data if p.pk == midwife.pk]
    assert len(rows) == 1 and rows[0].membership_state == "eingeladen"
    assert "eingeladen" in response.content.decode()


def test_the_list_counts_offers_names_sectors_in_list_order_and_sorts_by_offer_count(login, world, register):
    midwife = register["midwife"]
    Offer.objects.create(partner=midwife, title="Geburtsvorbereitung")  # two offers now
    first, second = Sector.objects.order_by("order", "name")[:2]
    midwife.sectors.set([second, first])  # added in the other order: the list keeps the sectors' order
    client = login(world.coordinator)
    rows = {p.name: p for p in client.get(url("partner_list", world)).context["table"].page.object_list.data}
    assert rows["Hebammenpraxis Rheinbogen"].offer_count == 2
    assert rows["Hebammenpraxis Rheinbogen"].sector_names == [first.name, second.name]
    assert rows["Grundschule Walsum"].offer_count == 1
    assert rows["Erziehungsberatung Mitte"].offer_count == Offer.objects.filter(partner=world.partner_b).count()
    for params in ({"sort": "-offer_count"}, {"sort": "-offer_count", "district": register["hamborn"].pk}):
        ordered = client.get(url("partner_list", world), params).context["table"].page.object_list.data
        counts = [partner.offer_count for partner in ordered]
        assert counts == sorted(counts, reverse=True) and ordered[0].name == "Hebammenpraxis Rheinbogen"
    html = client.get(url("partner_list", world), {"q": "Hebamme"}).content.decode()
    assert f"{first.name}, {second.name}" in html


def test_the_register_counts_are_the_lists_own_counts(login, world, register):
    from partners.views import partner_queryset, register_counts

    Partner.objects.filter(pk=register["midwife"].pk).update(profile_state=Partner.ProfileState.SUBMITTED)
    archived = MembershipFactory(network=world.network, partner=PartnerFactory(name="Alte Beratung")).partner
    Partner.objects.filter(pk=archived.pk).update(archived_at="2026-01-05T10:00:00Z", profile_state="eingereicht")
    MembershipFactory(network=world.other_network, partner=PartnerFactory(name="Fremd", profile_state="eingereicht"))
    listed = partner_queryset(world.network).filter(archived_at__isnull=True)
    expected = (listed.count(), listed.filter(profile_state=Partner.ProfileState.SUBMITTED).count())
    assert register_counts(world.network) == expected and expected[1] >= 1 and expected[0] >= 3
    response = login(world.coordinator).get(url("partner_list", world))
    assert response.context["table"].paginator.count == expected[0]
    assert response.context["waiting_for_review"] == expected[1]
