import io

import pytest
from django.core.management import CommandError, call_command

from partners.models import ContactPerson, District, Membership, Network, Offer, Partner
from tests.factories import MembershipFactory, NetworkFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_scale", *args, stdout=out)
    return out.getvalue()


def snapshot():
    scale = Partner.objects.filter(memberships__network__slug__startswith="scale-").distinct()
    return (
        list(scale.order_by("name").values_list("name", "postcode", "city", "profile_state")),
        list(Offer.objects.filter(partner__in=scale).order_by("partner__name", "title").values_list("title", "cost")),
        list(ContactPerson.objects.filter(partner__in=scale).order_by("email").values_list("name", "email")),
    )


def test_seed_scale_creates_networks_partners_contacts_and_offers():
    out = seed("--partners", "300", "--network-size", "100")
    networks = Network.objects.filter(slug__startswith="scale-").order_by("slug")
    assert list(networks.values_list("slug", flat=True)) == ["scale-001", "scale-002", "scale-003"]
    for network in networks:
        assert Partner.objects.in_network(network).count() == 100
        assert District.objects.filter(municipality__networks=network).count() == 6
    assert Partner.objects.count() == 300
    assert Membership.objects.count() == 300
    assert 2500 <= Offer.objects.count() <= 3500
    assert 300 <= ContactPerson.objects.count() <= 600
    assert not Partner.objects.filter(contacts__isnull=True).exists()
    offer = Offer.objects.prefetch_related("life_stages", "districts", "languages", "access_routes").first()
    assert offer.life_stages.exists() and offer.districts.exists() and offer.languages.exists()
    assert Partner.objects.filter(name__regex=r"^\w.* (Nord|Süd|Ost|West|Mitte|Altstadt) \d+$").count() == 300
    assert "Fertig in" in out and "300 Einrichtungen" in out


def test_the_seeded_register_is_searchable_through_the_generated_columns():
    seed("--partners", "300", "--network-size", "100")
    network = Network.objects.get(slug="scale-001")
    assert Partner.objects.in_network(network).search("Hebamme").exists()
    assert Partner.objects.in_network(network).search("Sprachförderung Kita").exists()


def test_seed_scale_refuses_to_create_duplicates_without_replace():
    seed("--partners", "300", "--network-size", "100")
    before = snapshot()
    with pytest.raises(CommandError, match="--replace"):
        seed("--partners", "300", "--network-size", "100")
    assert snapshot() == before


def test_seed_scale_is_deterministic_and_replace_starts_afresh():
    seed("--partners", "300", "--network-size", "100")
    first = snapshot()
    out = seed("--partners", "300", "--network-size", "100", "--replace")
    assert "Alte Skalierungsdaten gelöscht" in out
    assert snapshot() == first
    assert Network.objects.filter(slug__startswith="scale-").count() == 3
    assert Partner.objects.count() == 300


def test_replace_leaves_everything_that_is_not_scale_data_alone():
    other = NetworkFactory(slug="musterstadt")
    kept = MembershipFactory(network=other, partner=PartnerFactory(name="Kita Echtdaten")).partner
    seed("--partners", "300", "--network-size", "100")
    seed("--partners", "200", "--network-size", "100", "--replace")
    assert Partner.objects.filter(pk=kept.pk).exists()
    assert Network.objects.filter(slug="musterstadt").exists()
    assert Partner.objects.exclude(pk=kept.pk).count() == 200
    assert Network.objects.filter(slug__startswith="scale-").count() == 2


def test_the_big_network_holds_all_partners_as_well():
    seed("--partners", "300", "--network-size", "100", "--big-network", "300")
    big = Network.objects.get(slug="scale-gesamt")
    assert Partner.objects.in_network(big).count() == 300
    assert District.objects.filter(municipality__networks=big).count() == 18
    assert Membership.objects.count() == 600


def test_seed_scale_rejects_nonsense_sizes():
    with pytest.raises(CommandError):
        seed("--partners", "0")
    with pytest.raises(CommandError):
        seed("--partners", "10", "--big-network", "11")
