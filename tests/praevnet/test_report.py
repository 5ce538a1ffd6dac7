"""The annual report (Jahresbericht): figures, page, PDF, CSV, permissions, bad input and query count."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from agreements import services as agreement_services
from agreements.models import Agreement
from goals.models import Review
from meetings.models import ActionItem, Body, BodyMember, Meeting, Participant, Recommendation
from partners.models import District, Membership, Municipality, Partner, Sector
from praevnet import charts
from praevnet.report import agreement_state_at, annual_report_data
from praevnet.views_report import report_to_csv
from tests.factories import MembershipFactory, PartnerFactory
from tests.goals.factories import ActionGoalFactory, StrategicGoalFactory
from tests.partners.test_directory import make_offer

TODAY = datetime.datetime(2026, 3, 2, 9, 0)


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    """The report is written in March 2026: 2025 is the default (last) year, 2027 the last one allowed."""
    moment = timezone.make_aware(TODAY)
    monkeypatch.setattr("meetings.clock.now", lambda: moment)
    return moment


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def sector(slug: str) -> Sector:
    return Sector.objects.get(slug=slug)


def meeting_in(body, day, **fields) -> Meeting:
    fields.setdefault("state", Meeting.State.INVITED)
    return Meeting.objects.create(
        body=body, starts_at=at(day), ends_at=at(day, 12), place="Rathaus", title=fields.pop("title", ""), **fields
    )


def seat(meeting, partner, attendance, **fields) -> Participant:
    return Participant.objects.create(
        meeting=meeting, partner=partner, organisation=partner.name if partner else "", attendance=attendance, **fields
    )


@pytest.fixture
def year(world):
    """A year 2025 of the Musterstadt network with members, agreements, meetings, protocols, offers and goals."""
    from partners.taxonomy_defaults import install

    install()
    net, a, b = world.network, world.partner_a, world.partner_b
    a.sectors.set([sector("gesundheit")])
    b.sectors.set([sector("jugendhilfe")])
    kita = MembershipFactory(
        network=net, partner=PartnerFactory(name="Kita Sonnenschein"), since=datetime.date(2025, 4, 1)
    ).partner
    kita.sectors.set([sector("kita")])
    gone = MembershipFactory(
        network=net,
        partner=PartnerFactory(name="Krabbelgruppe Vergangen"),
        state=Membership.State.ENDED,
        since=datetime.date(2023, 1, 1),
        until=datetime.date(2025, 6, 30),
    ).partner
    gone.sectors.set([sector("soziales")])
    later = MembershipFactory(
        network=net, partner=PartnerFactory(name="Familienbüro Neu"), since=datetime.date(2026, 2, 1)
    ).partner
    MembershipFactory(network=net, partner=PartnerFactory(name="Nur Eingeladen"), state=Membership.State.INVITED)

    # Agreements: one in force, one terminated (ends 2026), one invited in 2025, one signed only in 2026.
    draft = agreement_services.template_create(
        network=net,
        actor=world.coordinator,
        data={
            "title": "Kooperationsvereinbarung Frühe Hilfen Musterstadt",
            "version_date": datetime.date(2024, 1, 15),
            "body": "Die Partner arbeiten im Netzwerk zusammen.",
            "initial_months": None,
            "renewal_months": None,
            "notice_amount": 4,
            "notice_unit": "weeks",
            "notice_to": "quarter_end",
            "written_form": False,
        },
        signatories=["Leitung des Jugendamtes"],
    )
    template = agreement_services.template_publish(template=draft, actor=world.coordinator)
    common = {"network": net, "template": template}
    Agreement.objects.create(partner=a, status="in_kraft", effective_from=datetime.date(2025, 2, 1), **common)
    Agreement.objects.create(
        partner=b,
        status="gekuendigt",
        effective_from=datetime.date(2024, 5, 1),
        terminated_on=datetime.date(2025, 9, 1),
        ends_on=datetime.date(2026, 3, 31),
        **common,
    )
    invited = Agreement.objects.create(partner=kita, status="eingeladen", **common)
    Agreement.objects.filter(pk=invited.pk).update(created=at(datetime.date(2025, 11, 1)))
    Agreement.objects.create(partner=later, status="in_kraft", effective_from=datetime.date(2026, 2, 1), **common)

    # Meetings: March (approved), September (draft protocol, a person's seat), November cancelled; 2024 and 2026.
    body = Body.objects.create(network=net, name="Lenkungskreis Musterstadt")
    person = BodyMember.objects.create(body=body, name="Dr. Ilse Beispiel", function="Gesundheitsamt")
    march = meeting_in(
        body,
        datetime.date(2025, 3, 10),
        title="1. Lenkungskreis 2025",
        protocol_state=Meeting.ProtocolState.APPROVED,
        approved_at=at(datetime.date(2025, 6, 1)),
    )
    seat(march, a, Participant.Attendance.PRESENT)
    seat(march, b, Participant.Attendance.EXCUSED)
    seat(march, kita, Participant.Attendance.ABSENT)
    Participant.objects.create(meeting=march, name="Gast Hochschule", is_guest=True, attendance="anwesend")
    Recommendation.objects.create(meeting=march, text="Der Lenkungskreis empfiehlt, die Elternbriefe zu übersetzen.")
    september = meeting_in(body, datetime.date(2025, 9, 10), title="2. Lenkungskreis 2025")
    seat(september, a, Participant.Attendance.PRESENT)
    seat(september, b, Participant.Attendance.PRESENT)
    Participant.objects.create(meeting=september, member=person, name=person.name, attendance="anwesend")
    Recommendation.objects.create(meeting=september, text="Entwurf: noch nicht genehmigt")
    cancelled = meeting_in(body, datetime.date(2025, 11, 5), state=Meeting.State.CANCELLED)
    seat(cancelled, a, "")
    earlier = meeting_in(body, datetime.date(2024, 12, 2), title="4. Lenkungskreis 2024")
    next_year = meeting_in(body, datetime.date(2026, 3, 20), title="1. Lenkungskreis 2026")
    seat(next_year, a, "")

    ActionItem.objects.create(
        meeting=march, text="Flyer übersetzen", responsible_partner=a, done_at=at(datetime.date(2025, 5, 1))
    )
    ActionItem.objects.create(meeting=september, text="Liste aktualisieren", responsible_name="Koordination")
    ActionItem.objects.create(
        meeting=earlier, text="Raum reservieren", responsible_name="Koordination", done_at=at(datetime.date(2025, 2, 1))
    )
    ActionItem.objects.create(meeting=earlier, text="Alte Aufgabe", responsible_name="Koordination")
    ActionItem.objects.create(meeting=next_year, text="Aufgabe 2026", responsible_name="Koordination")

    # Coverage: one published offer in Nord for 0-3 years; Süd has none.
    town = Municipality.objects.create(name="Musterstadt", kind="stadt", federal_state="NW")
    net.municipalities.add(town)
    nord = District.objects.create(municipality=town, name="Nord")
    District.objects.create(municipality=town, name="Süd")
    make_offer(a, "Hebammensprechstunde", stages=("0-3",), districts=(nord,))

    # Goals: one strategic goal with a green action goal in 2025.
    goal = StrategicGoalFactory(network=net, number=1, title="Familien kennen die Angebote")
    action = ActionGoalFactory(strategic_goal=goal, title="Ein Wegweiser zeigt alle Angebote")
    Review.objects.create(action_goal=action, year=2025, assessment="gruen", comment="Wegweiser ist online.")
    return world


def row(rows, name):
    return next(r for r in rows if r["name"] == name)


# ---------------------------------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------------------------------


def test_members_are_counted_at_year_end_with_joined_and_left_by_sector(year):
    members = annual_report_data(year.network, 2025)["members"]
    assert (members["total"], members["at_start"], members["joined"], members["left"]) == (3, 3, 1, 1)
    assert row(members["by_sector"], "Kindertagesbetreuung") == {
        "name": "Kindertagesbetreuung",
        "members": 1,
        "joined": 1,
        "left": 0,
    }
    assert row(members["by_sector"], "Soziales")["left"] == 1
    assert row(members["by_sector"], "Soziales")["members"] == 0
    assert row(members["by_sector"], "Gesundheitswesen")["members"] == 1
    assert [r["name"] for r in members["joined_list"]] == ["Kita Sonnenschein"]
    assert [r["name"] for r in members["left_list"]] == ["Krabbelgruppe Vergangen"]
    # The invited institution never counts; the one joining in 2026 counts only in 2026.
    later = annual_report_data(year.network, 2026)["members"]
    assert (later["total"], later["joined"], later["left"]) == (4, 1, 0)


def test_agreements_are_counted_by_their_state_at_year_end(year):
    agreements = annual_report_data(year.network, 2025)["agreements"]
    counts = {r["state"]: r["count"] for r in agreements["by_state"]}
    assert counts["in_kraft"] == 1 and counts["gekuendigt"] == 1 and counts["eingeladen"] == 1
    assert agreements["total"] == 3 and agreements["in_force"] == 2
    assert counts["beendet"] == 0
    earlier = {r["state"]: r["count"] for r in annual_report_data(year.network, 2024)["agreements"]["by_state"]}
    assert earlier["in_kraft"] == 1 and earlier["gekuendigt"] == 0 and earlier["eingeladen"] == 0


def test_an_agreement_that_ended_during_the_year_counts_as_ended():
    row = {
        "status": "gekuendigt",
        "effective_from": datetime.date(2024, 1, 1),
        "terminated_on": datetime.date(2025, 3, 1),
        "ends_on": datetime.date(2025, 6, 30),
        "created": timezone.make_aware(datetime.datetime(2024, 1, 1)),
        "updated": timezone.make_aware(datetime.datetime(2025, 3, 1)),
    }
    assert agreement_state_at(row, datetime.date(2025, 12, 31)) == "beendet"
    assert agreement_state_at(row, datetime.date(2025, 4, 1)) == "gekuendigt"
    assert agreement_state_at(row, datetime.date(2024, 12, 31)) == "in_kraft"
    assert agreement_state_at(row, datetime.date(2023, 12, 31)) is None


def test_meetings_have_an_attendance_rate_per_meeting_and_per_sector(year):
    meetings = annual_report_data(year.network, 2025)["meetings"]
    assert [(r["title"], r["state"]) for r in meetings["rows"]] == [
        ("1. Lenkungskreis 2025", "stattgefunden"),
        ("2. Lenkungskreis 2025", "stattgefunden"),
        ("Lenkungskreis Musterstadt am 05.11.2025", "abgesagt"),
    ]
    march, september, cancelled = meetings["rows"]
    assert (march["seats"], march["present"], march["excused"], march["absent"], march["guests"]) == (3, 1, 1, 1, 1)
    assert march["rate"] == 33.3 and march["protocol"] == "genehmigt"
    assert (september["seats"], september["present"], september["rate"]) == (3, 3, 100.0)
    assert cancelled["rate"] is None
    assert (meetings["held"], meetings["cancelled"], meetings["with_attendance"]) == (2, 1, 2)
    assert meetings["rate"] == 66.7
    by_sector = {r["name"]: (r["seats"], r["present"], r["rate"]) for r in meetings["by_sector"]}
    assert by_sector == {
        "Gesundheitswesen": (2, 2, 100.0),
        "Kinder- und Jugendhilfe": (2, 1, 50.0),
        "Kindertagesbetreuung": (1, 0, 0.0),
    }


def test_recommendations_come_only_from_approved_protocols_and_action_items_are_counted(year):
    data = annual_report_data(year.network, 2025)
    assert [r["text"] for r in data["recommendations"]] == [
        "Der Lenkungskreis empfiehlt, die Elternbriefe zu übersetzen."
    ]
    actions = data["actions"]
    assert (actions["opened"], actions["closed"], actions["open_at_end"]) == (2, 2, 2)
    assert [(i["text"], i["done"]) for i in actions["items"]] == [
        ("Flyer übersetzen", datetime.date(2025, 5, 1)),
        ("Liste aktualisieren", None),
    ]


def test_coverage_and_goals_come_from_their_modules(year):
    data = annual_report_data(year.network, 2025)
    coverage = data["coverage"]
    assert [r["label"] for r in coverage["rows"]] == ["Nord", "Süd"]
    assert coverage["offers"] == 1 and coverage["gaps"] == coverage["cells"] - 1
    assert {"row": "Süd", "stage": "0 bis 3 Jahre"} in coverage["gap_list"]
    assert {"row": "Nord", "stage": "0 bis 3 Jahre"} not in coverage["gap_list"]
    assert data["goals"]["traffic_lights"] == {"gruen": 1, "gelb": 0, "rot": 0, "offen": 0}
    assert data["goals"]["goals"][0]["action_goals"][0]["review"]["comment"] == "Wegweiser ist online."


def test_the_number_of_queries_does_not_grow_with_members_and_meetings(year):
    with CaptureQueriesContext(connection) as before:
        annual_report_data(year.network, 2025)
    body = Body.objects.get(network=year.network)
    for i in range(6):
        partner = MembershipFactory(
            network=year.network, partner=PartnerFactory(name=f"Zusatz {i}"), since=datetime.date(2025, 5, i + 1)
        ).partner
        partner.sectors.set([sector("schule"), sector("soziales")])
        meeting = meeting_in(body, datetime.date(2025, 10, i + 1), title=f"AG {i}")
        seat(meeting, partner, Participant.Attendance.PRESENT)
        Recommendation.objects.create(meeting=meeting, text=f"Empfehlung {i}")
        ActionItem.objects.create(meeting=meeting, text=f"Aufgabe {i}", responsible_partner=partner)
    with CaptureQueriesContext(connection) as after:
        data = annual_report_data(year.network, 2025)
    assert data["members"]["total"] == 9 and len(data["meetings"]["rows"]) == 9
    assert len(after) == len(before)
    assert len(after) <= 40


# ---------------------------------------------------------------------------------------------------------------------
# Page, PDF, CSV
# ---------------------------------------------------------------------------------------------------------------------


def page_url(network, **query) -> str:
    url = reverse("annual_report", kwargs={"network": network.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def pdf_url(network, year: int, kind: str = "pdf") -> str:
    return reverse(f"annual_report_{kind}", kwargs={"network": network.slug, "year": year})


def test_the_page_shows_last_year_by_default_with_download_links(year, login):
    response = login(year.coordinator).get(page_url(year.network))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Jahresbericht 2025</h1>" in html
    assert 'value="2025" selected' in html
    assert pdf_url(year.network, 2025) in html and pdf_url(year.network, 2025, "csv") in html
    assert "PDF herunterladen" in html and "CSV herunterladen" in html
    assert "66,7 %" in html  # the attendance rate
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"' in html
    assert "<title" in html and "Kindertagesbetreuung: 1" in html  # the chart's description


def test_the_page_shows_the_chosen_year(year, login):
    html = login(year.jugendamt).get(page_url(year.network, jahr=2026)).content.decode()
    assert "<h1>Jahresbericht 2026</h1>" in html
    assert "noch nicht abgeschlossen" in html


@pytest.mark.parametrize("value", ["abc", "1999", "2028", "20250"])
def test_a_bad_year_on_the_page_is_a_german_400(year, login, value):
    response = login(year.coordinator).get(page_url(year.network, jahr=value))
    assert response.status_code == 400
    assert "Bitte ein Jahr zwischen 2000 und 2027 wählen." in response.content.decode()


@pytest.mark.parametrize("value", [1999, 2028, 99999])
@pytest.mark.parametrize("kind", ["pdf", "csv"])
def test_a_bad_year_in_the_download_is_a_404(year, login, value, kind):
    assert login(year.coordinator).get(pdf_url(year.network, value, kind)).status_code == 404


def test_a_year_that_is_not_a_number_does_not_resolve(year, login):
    client = login(year.coordinator)
    base = page_url(year.network)
    assert client.get(base + "zweitausend.pdf").status_code == 404
    assert client.get(base + "-2025.csv").status_code == 404


def test_partners_may_not_see_the_report_and_other_networks_are_404(year, login):
    for persona in ("contact_a", "contact_b"):
        client = login(year.persona(persona))
        assert client.get(page_url(year.network)).status_code == 403
        assert client.get(pdf_url(year.network, 2025)).status_code == 403
        assert client.get(pdf_url(year.network, 2025, "csv")).status_code == 403
    client = login(year.other_coordinator)
    assert client.get(pdf_url(year.network, 2025)).status_code == 404
    assert client.get(pdf_url(year.network, 2025, "csv")).status_code == 404


def test_the_report_is_get_only(year, login):
    client = login(year.coordinator)
    assert client.post(page_url(year.network)).status_code == 405
    assert client.post(pdf_url(year.network, 2025)).status_code == 405


def test_the_pdf_has_every_block_with_header_and_page_numbers(year, login):
    response = login(year.jugendamt).get(pdf_url(year.network, 2025))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="jahresbericht-musterstadt-2025.pdf"' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    pages = [page.extract_text() for page in reader.pages]
    text = "\n".join(pages)
    pages_total = len(reader.pages)
    assert pages_total >= 3
    assert "Mitteilung an den Jugendhilfeausschuss" in pages[0]
    for number, page in enumerate(pages[1:], start=2):
        assert "Frühe Hilfen Musterstadt" in page and "Jahresbericht 2025" in page  # the running header
        assert f"Seite {number} von {pages_total}" in page
    for expected in (
        "01.01.2025 bis 31.12.2025",
        "Kindertagesbetreuung",
        "Kita Sonnenschein",
        "Krabbelgruppe Vergangen",
        "in Kraft (gegengezeichnet)",
        "1. Lenkungskreis 2025",
        "33,3 %",
        "66,7 %",
        "Der Lenkungskreis empfiehlt, die Elternbriefe zu übersetzen.",
        "Flyer übersetzen",
        "LÜCKE",
        "Familien kennen die Angebote",
        "Wegweiser ist online.",
    ):
        assert expected in text, expected
    assert "Entwurf: noch nicht genehmigt" not in text
    assert "Aufgabe 2026" not in text


def test_the_csv_has_one_section_per_block_for_excel(year, login):
    response = login(year.coordinator).get(pdf_url(year.network, 2025, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="jahresbericht-musterstadt-2025.csv"' in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == "Jahresbericht 2025;Frühe Hilfen Musterstadt"
    for title in (
        "Mitgliedseinrichtungen nach Handlungsfeld 2025",
        "Kooperationsvereinbarungen nach Status am 31.12.2025",
        "Sitzungen 2025",
        "Anwesenheit nach Handlungsfeld 2025",
        "Empfehlungen aus genehmigten Protokollen 2025",
        "Aufgaben 2025",
        "Lücken der Präventionskette",
        "Ziele und Wirkung 2025",
        "Nächste Schritte 2025",
    ):
        assert title in lines, title
    assert "Handlungsfeld;Mitglieder am 31.12.2025;beigetreten;ausgeschieden" in lines
    assert "Kindertagesbetreuung;1;1;0" in lines
    assert "Gesundheitswesen;2;2;100,0" in lines
    assert "10.03.2025;Lenkungskreis Musterstadt;1. Lenkungskreis 2025;stattgefunden;genehmigt;3;1;1;1;1;33,3" in lines
    assert "Süd;0 bis 3 Jahre" in lines
    empty = lines.index("Nächste Schritte 2025")
    assert lines[empty + 2] == "keine Einträge"


def test_the_csv_neutralises_formulas(year):
    Partner.objects.filter(name="Kita Sonnenschein").update(name='=HYPERLINK("http://böse.example")')
    text = report_to_csv(annual_report_data(year.network, 2025)).decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "\n=HYPERLINK" not in text and ";=HYPERLINK" not in text


def test_the_dashboard_links_to_the_report(year, login):
    html = login(year.coordinator).get(reverse("dashboard", kwargs={"network": year.network.slug})).content.decode()
    assert page_url(year.network) in html


# ---------------------------------------------------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------------------------------------------------


def test_a_bar_chart_is_accessible_svg_with_escaped_labels():
    svg = charts.bar_chart("Mitglieder <2025>", [("Kita & Schule", 12), ("Soziales", 0), ("ohne Angabe", None)])
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and 'role="img"' in svg
    assert "<title" in svg and "Mitglieder &lt;2025&gt;</title>" in svg
    assert "Kita &amp; Schule: 12; Soziales: 0; ohne Angabe: keine Angabe</desc>" in svg
    assert svg.count("<rect") == 1  # no bar for 0 and none for a missing value
    assert "style=" not in svg and "<script" not in svg
    assert charts.bar_chart("leer", []) == ""


def test_a_long_label_is_shortened_but_the_description_keeps_it():
    label = "Ein sehr langer Name eines Handlungsfeldes mit vielen Wörtern"
    svg = charts.bar_chart("Titel", [(label, 3)], label_max=20)
    assert f"{label}: 3" in svg and "…</text>" in svg


def test_a_stacked_bar_leaves_out_empty_segments_and_shows_percent_in_german():
    svg = charts.stacked_bar("Status", [("in Kraft", 3), ("gekündigt", 0), ("eingeladen", 1)])
    assert svg.count("<rect") == 2 + 2  # two segments, two legend squares
    assert "in Kraft: 3; eingeladen: 1; zusammen 4" in svg
    assert "gekündigt" not in svg
    assert charts.stacked_bar("leer", [("a", 0)]) == ""
    assert "66,7 %" in charts.bar_chart("Quote", [("Sitzung", 66.7)], unit="%", max_value=100)
