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
