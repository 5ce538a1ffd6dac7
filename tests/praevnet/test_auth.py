import re

from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory


def test_login_page_is_german(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert "<h1>Anmelden</h1>" in html
    assert "E-Mail-Adresse" in html
    assert "Passwort vergessen?" in html


def test_every_page_redirects_anonymous_visitors_to_the_login(client, world):
    response = client.get(reverse("dashboard", kwargs={"network": world.network.slug}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_person_logs_in_with_the_email_address_in_any_case(client, world):
    response = client.post(reverse("login"), {"username": "A@Hebamme.Example", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    follow = client.get(reverse("home"))
    assert follow["Location"] == reverse("dashboard", kwargs={"network": "musterstadt"})


def test_a_wrong_password_gives_a_german_message(client, world):
    response = client.post(reverse("login"), {"username": world.coordinator.email, "password": "falsch"})
    assert response.status_code == 200
    assert "E-Mail-Adresse oder Passwort stimmen nicht" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_inactive_account_cannot_log_in(client, world):
    world.coordinator.is_active = False
    world.coordinator.save()
    response = client.post(reverse("login"), {"username": world.coordinator.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_needs_post(client, world):
    client.force_login(world.coordinator)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change_checks_the_old_password(client, world):
    client.force_login(world.contact_a)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "falsch",
            "new_password1": "ein-neues-langes-Passwort",
            "new_password2": "ein-neues-langes-Passwort",
        },
    )
    assert response.status_code == 200
    assert "Das alte Passwort war falsch" in response.content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "ein-neues-langes-Passwort",
            "new_password2": "ein-neues-langes-Passwort",
        },
    )
    assert response.status_code == 302
    world.contact_a.refresh_from_db()
    assert world.contact_a.check_password("ein-neues-langes-Passwort")


def test_password_change_rejects_a_short_password_in_german(client, world):
    client.force_login(world.contact_a)
    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": "kurz", "new_password2": "kurz"}
    )
    assert response.status_code == 200
    assert "Dieses Passwort ist zu kurz" in response.content.decode()


def test_password_reset_end_to_end(client, db):
    user = UserFactory(email="vergesslich@beispiel.example", first_name="Vera", last_name="Gessen")
    response = client.post(reverse("password_reset"), {"email": "Vergesslich@beispiel.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["vergesslich@beispiel.example"]
    assert message.subject == "Neues Passwort für praevnet"
    assert "Guten Tag Vera Gessen" in message.body
    link = re.search(r"http://testserver(/konto/passwort-neu/\S+/)", message.body).group(1)

    response = client.get(link)  # Django swaps the token for a session marker and redirects
    assert response.status_code == 302
    form_url = response["Location"]
    response = client.get(form_url)
    assert "Neues Passwort festlegen" in response.content.decode()
    response = client.post(
        form_url, {"new_password1": "Frühling-im-Park-2026", "new_password2": "Frühling-im-Park-2026"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("Frühling-im-Park-2026")

    # the link works only once
    response = client.get(link)
    assert (
        "abgelaufen oder wurde bereits benutzt"
        in client.get(response["Location"] if response.status_code == 302 else link).content.decode()
    )


def test_password_reset_does_not_reveal_unknown_addresses(client, db):
    response = client.post(reverse("password_reset"), {"email": "niemand@beispiel.example"})
    assert response.status_code == 302
    assert mail.outbox == []
