from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from praevnet.models import AuditEntry
from tests.factories import PASSWORD


def password_login(client, user):
    return client.post(reverse("login"), {"username": user.email, "password": PASSWORD})


def current_code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def unthrottle(device):
    """A wrong code throttles the device for a second or more (django-otp); a real person simply waits."""
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()


def test_a_coordinator_must_set_up_a_second_factor_before_anything_else(client, world):
    password_login(client, world.coordinator)
    dashboard = reverse("dashboard", kwargs={"network": world.network.slug})
    response = client.get(dashboard)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))
    response = client.get(response["Location"])
    html = response.content.decode()
    assert "Zwei-Faktor-Anmeldung einrichten" in html
    assert "<svg" in html  # the QR code, rendered on our server
    device = TOTPDevice.objects.get(user=world.coordinator, confirmed=False)

    response = client.post(reverse("two_factor_setup"), {"code": "000000", "next": dashboard})
    assert "Dieser Code stimmt nicht" in response.content.decode()
    unthrottle(device)

    response = client.post(reverse("two_factor_setup"), {"code": current_code(device), "next": dashboard})
    assert response.status_code == 200
    assert "Zwei-Faktor-Anmeldung ist eingerichtet" in response.content.decode()
    assert StaticDevice.objects.get(user=world.coordinator).token_set.count() == 10
    assert client.get(dashboard).status_code == 200
    assert AuditEntry.objects.filter(action="auth.2fa_enable", actor=world.coordinator).exists()


def test_a_person_with_a_device_must_enter_the_code_after_the_password(client, world):
    device = TOTPDevice.objects.create(user=world.jugendamt, name="App", confirmed=True)
    password_login(client, world.jugendamt)
    dashboard = reverse("dashboard", kwargs={"network": world.network.slug})
    response = client.get(dashboard)
    assert response["Location"].startswith(reverse("two_factor_verify"))
    response = client.post(reverse("two_factor_verify"), {"code": "123456", "next": dashboard})
    assert "Dieser Code stimmt nicht oder ist abgelaufen" in response.content.decode()
    assert client.get(dashboard).status_code == 302
    unthrottle(device)
    response = client.post(reverse("two_factor_verify"), {"code": current_code(device), "next": dashboard})
    assert response.status_code == 302
    assert response["Location"] == dashboard
    assert client.get(dashboard).status_code == 200


def test_a_backup_code_works_once(client, world):
    TOTPDevice.objects.create(user=world.jugendamt, name="App", confirmed=True)
    backup = StaticDevice.objects.create(user=world.jugendamt, name="Notfallcodes", confirmed=True)
    backup.token_set.create(token="abcd2345")
    password_login(client, world.jugendamt)
    assert client.post(reverse("two_factor_verify"), {"code": "abcd 2345"}).status_code == 302
    client.logout()
    password_login(client, world.jugendamt)
    response = client.post(reverse("two_factor_verify"), {"code": "abcd2345"})
    assert response.status_code == 200


def test_an_open_redirect_after_the_code_is_refused(client, world):
    device = TOTPDevice.objects.create(user=world.jugendamt, name="App", confirmed=True)
    password_login(client, world.jugendamt)
    response = client.post(
        reverse("two_factor_verify"), {"code": current_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_a_partner_contact_needs_no_second_factor_but_may_add_and_remove_one(client, world):
    password_login(client, world.contact_a)
    assert client.get(reverse("dashboard", kwargs={"network": world.network.slug})).status_code == 200
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=world.contact_a)
    client.post(reverse("two_factor_setup"), {"code": current_code(device)})
    assert TOTPDevice.objects.get(user=world.contact_a).confirmed
    assert client.get(reverse("two_factor_off")).status_code == 405
    response = client.post(reverse("two_factor_off"))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.contact_a).exists()


def test_a_coordinator_may_not_switch_the_second_factor_off(login, world):
    client = login(world.coordinator)
    client.post(reverse("two_factor_off"))
    assert TOTPDevice.objects.filter(user=world.coordinator, confirmed=True).exists()


def test_the_admin_requires_the_second_factor_and_our_login(client, world):
    assert client.get("/admin/login/?next=/admin/")["Location"] == reverse("login") + "?next=/admin/"
    password_login(client, world.admin)
    response = client.get("/admin/")
    assert response["Location"].startswith(reverse("two_factor_setup"))


def test_legal_pages_and_logout_stay_reachable_before_the_second_factor(client, world):
    password_login(client, world.coordinator)
    assert client.get(reverse("impressum")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302


def test_a_confirmed_device_of_any_kind_counts_and_is_found_in_one_query(world, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    from praevnet.auth import has_confirmed_device

    person = world.contact_a
    TOTPDevice.objects.create(user=person, name="App", confirmed=False)  # set up but never confirmed
    with django_assert_num_queries(1):
        assert not has_confirmed_device(person)
    StaticDevice.objects.create(user=person, name="Notfallcodes", confirmed=True)
    with django_assert_num_queries(1):
        assert has_confirmed_device(person)
    StaticDevice.objects.filter(user=person).delete()
    TOTPDevice.objects.filter(user=person).update(confirmed=True)
    assert has_confirmed_device(person)
    assert not has_confirmed_device(world.contact_b)  # another person's device is not theirs
    assert not has_confirmed_device(AnonymousUser())
