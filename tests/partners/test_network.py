import datetime

import pytest
from django.urls import reverse

from praevnet.models import AuditEntry


def detail(world):
    return reverse("partners:network_detail", kwargs={"network": world.network.slug})


def edit(world):
    return reverse("partners:network_edit", kwargs={"network": world.network.slug})


VALID = {
    "jugendamt": "Jugendamt der Stadt Musterstadt",
    "focus": "0 bis 3 Jahre",
    "since": "2015",
    "leitbild": "Wir begleiten Familien **von Anfang an**.",
    "contact_email": "netzwerk@musterstadt.example",
    "contact_phone": "0203 555",
    "meeting_place": "Rathaus, Raum 12",
    "meeting_weekday": "3",
    "meeting_start": "09:30",
    "meeting_minutes": "90",
    "meeting_rhythm": "quarterly",
}


@pytest.mark.parametrize("persona", ["coordinator", "jugendamt", "contact_a", "contact_b", "admin"])
def test_every_member_of_the_network_sees_its_profile(login, world, persona):
    response = login(world.persona(persona)).get(detail(world))
    assert response.status_code == 200
    assert "Frühe Hilfen Musterstadt" in response.content.decode()


def test_a_coordinator_of_another_network_gets_404(login, world):
    assert login(world.other_coordinator).get(detail(world)).status_code == 404
    assert login(world.other_coordinator).post(edit(world), VALID).status_code == 404


def test_the_leitbild_is_rendered_as_markdown_and_html_is_escaped(login, world):
    world.network.leitbild = "Wir sind **stark**. <script>alert(1)</script>"
    world.network.save()
    html = login(world.coordinator).get(detail(world)).content.decode()
    assert "<strong>stark</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_the_coordinator_edits_the_network_and_the_change_is_audited(login, world):
    response = login(world.coordinator).post(edit(world), VALID)
    assert response.status_code == 302
    assert response["Location"] == detail(world)
    world.network.refresh_from_db()
    assert world.network.meeting_minutes == 90
    assert world.network.meeting_start == datetime.time(9, 30)
    assert world.network.meeting_weekday == 3
    entry = AuditEntry.objects.get(action="network.update")
    assert entry.actor == world.coordinator
    assert entry.network == world.network
    assert entry.data["übliche Dauer (Minuten)"] == ["120", "90"]
    assert entry.data["üblicher Wochentag"] == ["Mittwoch", "Donnerstag"]
    assert entry.data["übliche Anfangszeit"] == ["14:00", "09:30"]


@pytest.mark.parametrize("persona", ["jugendamt", "contact_a", "contact_b"])
def test_other_roles_may_not_edit_the_network(login, world, persona):
    client = login(world.persona(persona))
    assert client.get(edit(world)).status_code == 403
    assert client.post(edit(world), VALID).status_code == 403
    world.network.refresh_from_db()
    assert world.network.meeting_minutes == 120
    assert not AuditEntry.objects.filter(action="network.update").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("meeting_minutes", "5", "größer oder gleich 15"),
        ("meeting_minutes", "zwei Stunden", "ganze Zahl"),
        ("contact_email", "keine-adresse", "gültige E-Mail-Adresse"),
        ("since", "1850", "größer oder gleich 1990"),
        ("meeting_start", "25:99", "gültige Uhrzeit"),
        ("jugendamt", "", "zwingend erforderlich"),
    ],
)
def test_bad_input_gets_a_german_error_and_nothing_is_saved(login, world, field, value, message):
    response = login(world.coordinator).post(edit(world), {**VALID, field: value})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Bitte prüfen Sie die markierten Felder." in html
    world.network.refresh_from_db()
    assert world.network.meeting_place == "Rathaus"
    assert not AuditEntry.objects.filter(action="network.update").exists()


def test_the_navigation_stays_correct_after_an_invalid_post(login, world):
    response = login(world.coordinator).post(edit(world), {**VALID, "jugendamt": ""})
    assert reverse("dashboard", kwargs={"network": "musterstadt"}) in response.content.decode()


def test_the_logo_is_served_as_an_attachment_to_members_only(login, world):
    url = reverse("partners:network_logo", kwargs={"network": world.network.slug})
    response = login(world.contact_b).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="logo-musterstadt.png"'
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert login(world.other_coordinator).get(url).status_code == 404


def test_without_a_logo_the_download_is_404(login, world):
    world.network.logo = ""
    world.network.save()
    assert (
        login(world.coordinator).get(reverse("partners:network_logo", kwargs={"network": "musterstadt"})).status_code
        == 404
    )


def test_the_coordinator_uploads_a_new_logo(login, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import png_bytes

    upload = SimpleUploadedFile("neu.png", png_bytes((40, 20)), content_type="image/png")
    response = login(world.coordinator).post(edit(world), {**VALID, "logo": upload})
    assert response.status_code == 302
    world.network.refresh_from_db()
    assert world.network.logo.name.endswith(".png") and "neu" in world.network.logo.name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"<svg onload=alert(1)></svg>", "Bitte ein gültiges Bild hochladen"),
        ("logo.png", b"%PDF-1.7 kein Bild", "Bitte ein gültiges Bild hochladen"),
        ("riesig.png", b"\x89PNG\r\n\x1a\n" + b"0" * 1_200_000, "höchstens 1 MB"),
    ],
)
def test_uploads_are_checked_for_type_and_size(login, world, name, content, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = world.network.logo.name
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    response = login(world.coordinator).post(edit(world), {**VALID, "logo": upload})
    assert response.status_code == 200
    assert message in response.content.decode()
    world.network.refresh_from_db()
    assert world.network.logo.name == before
    assert world.network.meeting_place == "Rathaus"


def test_a_real_image_of_another_kind_is_refused_with_the_allowed_kinds(login, world):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="GIF")
    upload = SimpleUploadedFile("logo.gif", buffer.getvalue(), content_type="image/gif")
    response = login(world.coordinator).post(edit(world), {**VALID, "logo": upload})
    assert "Bitte eine PNG oder JPEG-Datei hochladen" in response.content.decode()


# ---------------------------------------------------------------------------------------------------------------------
# The network profile (as the Dortmund profile shows it) and its public page
# ---------------------------------------------------------------------------------------------------------------------

PROFILE = {
    **VALID,
    "inhabitants": "612065",
    "children_under_18": "104465",
    "fields_of_action": "Babylotsen\nFamiliengrundschulzentren\n",
    "quote": "Auf den Anfang kommt es an.",
    "quote_author": "Dezernat für Jugend",
    "coordination_contact": "Koordinierungsstelle, Rathaus",
    "public_profile": "on",
    "public_sections": ["eckdaten", "handlungsfelder"],
}


def public_url(world):
    return reverse("network_public", kwargs={"slug": world.network.slug})


def test_the_coordinator_keeps_the_profile_and_it_shows_on_the_network_page(login, world):
    client = login(world.coordinator)
    assert client.post(edit(world), PROFILE).status_code == 302
    world.network.refresh_from_db()
    assert (world.network.inhabitants, world.network.children_under_18) == (612065, 104465)
    assert world.network.fields_of_action_list == ["Babylotsen", "Familiengrundschulzentren"]
    assert world.network.public_sections == ["eckdaten", "handlungsfelder"]
    html = client.get(detail(world)).content.decode()
    assert "612.065" in html and "104.465" in html and "Familiengrundschulzentren" in html
    assert "Auf den Anfang kommt es an." in html and public_url(world) in html
    entry = AuditEntry.objects.get(action="network.update")
    assert entry.data["Kinder unter 18"] == ["", "104465"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("inhabitants", "-3", "größer oder gleich 0"),
        ("inhabitants", "612.065", "ganze Zahl ohne Punkte"),
        ("children_under_18", "99999999999", "kleiner oder gleich"),
        ("public_sections", ["geheim"], "gültige Auswahl"),
    ],
)
def test_bad_profile_input_gets_a_german_error_and_nothing_is_saved(login, world, field, value, message):
    response = login(world.coordinator).post(edit(world), {**PROFILE, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    world.network.refresh_from_db()
    assert world.network.inhabitants is None and world.network.public_profile is False
    assert not AuditEntry.objects.filter(action__startswith="network.").exists()


def test_the_public_page_shows_only_what_the_coordination_ticked_and_sets_no_cookie(login, world, client):
    login(world.coordinator).post(edit(world), {**PROFILE, "leitbild": "Geheimes Leitbild"})
    client.logout()
    response = client.get(public_url(world))
    assert response.status_code == 200
    assert response.cookies == {} and "Set-Cookie" not in response
    html = response.content.decode()
    assert "612.065" in html and "Babylotsen" in html  # ticked: Eckdaten, Handlungsfelder
    assert "Geheimes Leitbild" not in html and "Auf den Anfang kommt es an." not in html
    assert "Koordinierungsstelle" not in html and "netzwerk@musterstadt.example" not in html
    assert "csrfmiddlewaretoken" not in html and "Abmelden" not in html


def test_unticking_the_public_profile_takes_the_page_down(login, world, client):
    login(world.coordinator).post(edit(world), PROFILE)
    assert client.get(public_url(world)).status_code == 200
    login(world.coordinator).post(edit(world), {**PROFILE, "public_profile": ""})
    client.logout()
    assert client.get(public_url(world)).status_code == 404
