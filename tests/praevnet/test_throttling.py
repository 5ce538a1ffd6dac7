from django.urls import reverse

from praevnet.models import AuditEntry
from tests.factories import PASSWORD


def attempt(client, email, password, ip="203.0.113.7"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_five_failures_lock_the_account_from_that_address_with_a_german_message(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, world.contact_a.email, "falsch").status_code == 200
    response = attempt(client, world.contact_a.email, "falsch")
    assert response.status_code == 429
    assert "Anmeldung vorübergehend gesperrt" in response.content.decode()
    # even the right password is refused while locked, whatever the spelling of the address
    response = attempt(client, world.contact_a.email.upper(), PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_account_and_address(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, world.contact_a.email, "falsch")
    assert attempt(client, world.contact_a.email, PASSWORD, ip="198.51.100.9").status_code == 302
    client.logout()
    assert attempt(client, world.contact_b.email, PASSWORD).status_code == 302


def test_a_success_resets_the_count(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, world.contact_a.email, "falsch")
    assert attempt(client, world.contact_a.email, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, world.contact_a.email, "falsch").status_code == 200


def test_logins_and_failures_are_audited_with_the_address(client, world):
    attempt(client, world.contact_a.email, "falsch")
    attempt(client, world.contact_a.email, PASSWORD)
    failed = AuditEntry.objects.get(action="auth.login_failed")
    assert failed.data == {"email": world.contact_a.email, "ip": "203.0.113.7"}
    login = AuditEntry.objects.get(action="auth.login")
    assert login.actor == world.contact_a
    assert login.data["ip"] == "203.0.113.7"
