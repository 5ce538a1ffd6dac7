"""An institution is registered once: creating it again is refused, and a coordinator can make an institution of
another network a member of theirs instead."""

import pytest
from django.urls import reverse

from partners.models import ContactPerson, Membership, Partner
from praevnet.models import AuditEntry
from tests.factories import PartnerFactory
from tests.partners.test_partners import CONTACT, profile_data, url


@pytest.fixture
def elsewhere(world):
    """The foreign network's Kita, as a coordinator of musterstadt would type it (other case and spacing)."""
    world.foreign_partner.postcode = "47119"
    world.foreign_partner.city = "Duisburg"
    world.foreign_partner.save()
    return world.foreign_partner


def counts():
    return Partner.objects.count(), Membership.objects.count(), ContactPerson.objects.count()


def test_registering_an_institution_of_another_network_again_is_refused_with_an_offer_to_join(login, world, elsewhere):
    before = counts()
    response = login(world.coordinator).post(
        url("partner_create", world), profile_data(contacts=[CONTACT], name="  kita   FREMDLAND ", postcode="47119")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "ist bereits in praevnet (in einem anderen Netzwerk) registriert" in html
    assert "Vorhandene Einrichtung aufnehmen" in html
    assert reverse("partners:partner_join", kwargs={"network": world.network.slug}) in html
    assert world.other_network.name not in html  # the other network is not named to a stranger
    assert counts() == before


def test_the_same_name_with_another_postcode_is_another_institution(login, world, elsewhere):
    response = login(world.coordinator).post(
        url("partner_create", world), profile_data(name="Kita Fremdland", postcode="47051")
    )
    assert response.status_code == 302
    assert Partner.objects.filter(name="Kita Fremdland").count() == 2


def test_an_institution_already_in_this_network_links_to_its_profile(login, world):
    Partner.objects.filter(pk=world.partner_a.pk).update(postcode="47119")
    response = login(world.coordinator).post(
        url("partner_create", world), profile_data(name="Hebammenpraxis am Bach", postcode="47119")
    )
    html = response.content.decode()
    assert "ist bereits in diesem Netzwerk registriert" in html
    assert url("partner_detail", world, pk=world.partner_a.pk) in html
    assert "Vorhandene Einrichtung aufnehmen" not in html


def test_the_coordinator_makes_the_existing_institution_a_member(login, world, elsewhere):
    client = login(world.coordinator)
    response = client.post(
        url("partner_join", world),
        {"name": "Kita Fremdland", "postcode": "47119", "membership_state": "eingeladen", "member_since": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == url("partner_detail", world, pk=elsewhere.pk)
    membership = Membership.objects.get(network=world.network, partner=elsewhere)
    assert membership.state == "eingeladen"
    assert Membership.objects.filter(network=world.other_network, partner=elsewhere).exists()  # still there
    entry = AuditEntry.objects.get(action="membership.join", network=world.network)
    assert entry.object_id == str(elsewhere.pk)
    assert client.get(url("partner_detail", world, pk=elsewhere.pk)).status_code == 200
    assert Partner.objects.filter(name="Kita Fremdland").count() == 1


def test_joining_twice_or_an_unknown_institution_changes_nothing(login, world, elsewhere):
    client = login(world.coordinator)
    data = {"name": "Kita Fremdland", "postcode": "47119", "membership_state": "aktiv"}
    client.post(url("partner_join", world), data)
    before = counts()
    again = client.post(url("partner_join", world), data, follow=True)
    assert "ist bereits Mitglied in diesem Netzwerk" in again.content.decode()
    unknown = client.post(url("partner_join", world), {**data, "postcode": "99999"}, follow=True)
    assert "keine Einrichtung registriert" in unknown.content.decode()
    bad_state = client.post(
        url("partner_join", world), {**data, "name": "Erziehungsberatung Mitte", "membership_state": "x"}
    )
    assert bad_state.status_code == 302
    assert counts() == before


def test_an_archived_institution_is_not_joined(login, world, elsewhere):
    archived = PartnerFactory(name="Alte Beratungsstelle", postcode="47119")
    Partner.objects.filter(pk=archived.pk).update(archived_at="2025-01-01T00:00:00Z")
    response = login(world.coordinator).post(
        url("partner_join", world),
        {"name": "Alte Beratungsstelle", "postcode": "47119", "membership_state": "aktiv"},
        follow=True,
    )
    assert "ist archiviert" in response.content.decode()
    assert not Membership.objects.filter(network=world.network, partner=archived).exists()


@pytest.mark.parametrize("persona", ["contact_a", "jugendamt"])
def test_only_the_coordination_may_join_institutions(login, world, elsewhere, persona):
    response = login(getattr(world, persona)).post(
        url("partner_join", world), {"name": "Kita Fremdland", "postcode": "47119", "membership_state": "aktiv"}
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(network=world.network, partner=elsewhere).exists()
