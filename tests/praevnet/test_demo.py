from django.core.management import call_command
from django.urls import reverse

from partners.models import Membership, Network, Partner
from praevnet.demo import DEMO_PASSWORD
from praevnet.models import NetworkRole, User


def counts():
    return (
        Network.objects.count(),
        Partner.objects.count(),
        Membership.objects.count(),
        User.objects.count(),
        NetworkRole.objects.count(),
    )


def test_load_demo_creates_the_five_seed_networks_and_is_idempotent(db, capsys):
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first
    assert set(Network.objects.values_list("slug", flat=True)) == {
        "unser-dingg",
        "fruehe-hilfen-duisburg",
        "kreis-coesfeld",
        "infamilie-dortmund",
        "interprochance-weiterstadt",
    }
    assert Network.objects.get(slug="kreis-coesfeld").municipalities.count() == 11
    assert Network.objects.get(slug="interprochance-weiterstadt").federal_state == "HE"
    for network in Network.objects.all():
        roles = NetworkRole.objects.filter(network=network)
        assert roles.filter(role="koordination").count() == 1
        assert roles.filter(role="jugendamt").count() == 1
        assert roles.filter(role="partner").count() >= 2
    out = capsys.readouterr().out
    assert f"Passwort für alle: {DEMO_PASSWORD}" in out
    assert "koordination.duisburg@praevnet.example" in out


def test_each_demo_role_logs_in_to_a_start_page_that_fits_it(client, db, settings):
    settings.TWO_FACTOR_REQUIRED = False  # as under `make run`
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    expectations = {
        "koordination.duisburg@praevnet.example": "Netzwerk bearbeiten",
        "jugendamt.duisburg@praevnet.example": "Mitgliedseinrichtungen",
        "partner2.duisburg@praevnet.example": "Ihre Einrichtung",
    }
    for email, text in expectations.items():
        client.logout()
        response = client.post(reverse("login"), {"username": email, "password": DEMO_PASSWORD}, follow=True)
        assert response.status_code == 200
        assert text in response.content.decode(), email
    client.logout()
    response = client.post(
        reverse("login"), {"username": "admin@praevnet.example", "password": DEMO_PASSWORD}, follow=True
    )
    assert response.status_code == 200


def test_the_demo_has_a_person_in_two_networks(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user = User.objects.get(email="partner1.dinslaken@praevnet.example")
    assert set(user.network_roles.values_list("network__slug", flat=True)) == {"unser-dingg", "fruehe-hilfen-duisburg"}


def test_with_two_factors_required_a_demo_coordinator_is_asked_to_set_them_up(client, db):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    response = client.post(
        reverse("login"), {"username": "koordination.duisburg@praevnet.example", "password": DEMO_PASSWORD}, follow=True
    )
    assert "Zwei-Faktor-Anmeldung einrichten" in response.content.decode()
