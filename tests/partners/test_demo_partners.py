import time

import pytest
from django.core.management import call_command

from partners.demo import PLANS, load_partner_demo, network_specs
from partners.filters import PartnerFilter
from partners.models import ContactPerson, District, LifeStage, Membership, Network, Offer, Partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    load_partner_demo()


def counts():
    return tuple(
        model.objects.count()
        for model in (
            Partner,
            Membership,
            ContactPerson,
            Offer,
            District,
            Offer.life_stages.through,
            Offer.districts.through,
            Partner.sectors.through,
            Partner.districts.through,
        )
    )


def test_running_the_partner_demo_twice_creates_nothing_new(demo):
    first = counts()
    load_partner_demo()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == first


def test_the_demo_is_the_same_on_every_run():
    for plan in PLANS:
        names = [(spec.name, spec.postcode, spec.phone) for spec in network_specs(plan)]
        assert names == [(spec.name, spec.postcode, spec.phone) for spec in network_specs(plan)]
        assert len({name for name, _, _ in names}) == len(names)


def test_each_demo_network_has_between_25_and_60_institutions_and_different_counts(demo):
    sizes = {
        network.slug: Partner.objects.filter(memberships__network=network).count()
        for network in Network.objects.filter(slug__in=[plan.slug for plan in PLANS])
    }
    assert len(sizes) == 5
    assert all(25 <= size <= 60 for size in sizes.values()), sizes
    assert len(set(sizes.values())) == 5


def test_offers_cover_the_life_stages_and_every_district(demo):
    for network in Network.objects.filter(slug__in=[plan.slug for plan in PLANS]):
        offers = Offer.objects.filter(partner__memberships__network=network)
        stages = LifeStage.objects.filter(offers__in=offers).distinct()
        assert stages.count() >= 6, network.slug
        districts = District.objects.filter(municipality__networks=network)
        assert districts.exists()
        for district in districts:
            assert offers.filter(districts=district).exists(), f"{network.slug}: {district}"
        # every institution has a contact and an offer, the listed ones of praevnet/demo.py included
        partners = Partner.objects.filter(memberships__network=network)
        assert not partners.filter(offers__isnull=True).exists(), network.slug
        assert not partners.filter(sectors__isnull=True).exists(), network.slug
        assert not partners.filter(districts__isnull=True).exists(), network.slug


def test_coesfeld_has_one_district_per_municipality(demo):
    network = Network.objects.get(slug="kreis-coesfeld")
    names = sorted(District.objects.filter(municipality__networks=network).values_list("name", flat=True))
    assert names == sorted(network.municipalities.values_list("name", flat=True))


def test_a_coordinator_finds_the_midwives_for_the_youngest_in_hamborn(demo):
    network = Network.objects.get(slug="fruehe-hilfen-duisburg")
    hamborn = District.objects.get(municipality__name="Duisburg", name="Hamborn")
    youngest = LifeStage.objects.get(slug="0-3")
    assert Offer.objects.filter(
        partner__memberships__network=network,
        partner__name__icontains="Hebamm",
        life_stages=youngest,
        districts=hamborn,
    ).exists()
    found = PartnerFilter(
        {"life_stage": youngest.pk, "district": hamborn.pk},
        Partner.objects.in_network(network),
        network=network,
    ).qs
    assert found.filter(name__icontains="Hebamm").count() >= 2
    assert Partner.objects.in_network(network).search("Hebamme").filter(offers__districts=hamborn).exists()


def test_the_mix_of_states_looks_like_a_real_register(demo):
    for network in Network.objects.filter(slug__in=[plan.slug for plan in PLANS]):
        states = dict.fromkeys(Membership.State.values, 0)
        for state in Membership.objects.filter(network=network).values_list("state", flat=True):
            states[state] += 1
        assert states["aktiv"] > states["eingeladen"] + states["beendet"]
        assert states["eingeladen"] >= 1 and states["beendet"] >= 1, network.slug
        profiles = Partner.objects.filter(memberships__network=network)
        assert profiles.filter(profile_state="geprueft").count() > profiles.count() // 2
        assert profiles.filter(profile_state="eingereicht").count() >= 2
        assert profiles.filter(profile_state="entwurf").exists()
        ended = Membership.objects.filter(network=network, state="beendet")
        assert all(m.until and m.since and m.until >= m.since for m in ended)
    contacts = ContactPerson.objects.all()
    assert contacts.filter(consent_internal=True).count() > contacts.count() // 2
    assert contacts.filter(consent_public=True).exists()
    assert Offer.objects.filter(published=True).count() > Offer.objects.count() // 2


def test_every_invented_record_passes_the_model_validators(demo):
    for partner in Partner.objects.all():
        partner.full_clean(exclude=["search_vector"])
        assert partner.email.endswith(".example")
        assert len(partner.postcode) == 5
    for contact in ContactPerson.objects.all():
        contact.full_clean()
        assert contact.email.endswith(".example")
    for offer in Offer.objects.all()[:300]:
        offer.full_clean(exclude=["search_vector"])
    for membership in Membership.objects.all():
        membership.full_clean()


@pytest.mark.parametrize(
    ("city", "low", "high"),
    [
        ("Duisburg", 47051, 47279),
        ("Dortmund", 44135, 44388),
        ("Dinslaken", 46535, 46539),
        ("Weiterstadt", 64331, 64331),
    ],
)
def test_postcodes_belong_to_the_city(demo, city, low, high):
    postcodes = Partner.objects.filter(city=city, memberships__network__slug__in=[p.slug for p in PLANS])
    assert postcodes.exists()
    assert all(low <= int(code) <= high for code in postcodes.values_list("postcode", flat=True))


def test_the_partner_demo_loads_quickly(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    started = time.monotonic()
    load_partner_demo()
    assert time.monotonic() - started < 3
