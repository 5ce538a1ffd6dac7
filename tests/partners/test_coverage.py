"""Coverage of the prevention chain: published offers per life stage × Sozialraum/sector/access route, gaps marked."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from pypdf import PdfReader

from partners.coverage import coverage_matrix
from partners.models import District, LifeStage, Membership, Municipality, Sector
from tests.factories import MembershipFactory, NetworkFactory, NetworkRoleFactory, PartnerFactory
from tests.partners.test_directory import build_offers, make_offer


@pytest.fixture
def offers(world):
    return build_offers(world)


def coverage_url(network, name="coverage") -> str:
    return reverse(f"partners:{name}", kwargs={"network": network.slug})


def cell(matrix, row_label: str, stage_slug: str) -> int:
    row = next(row for row in matrix.rows if row.label == row_label)
    column = next(i for i, stage in enumerate(matrix.columns) if stage.slug == stage_slug)
    return row.cells[column]


def test_the_matrix_counts_published_offers_of_active_members_per_life_stage_and_district(world, offers):
    matrix = coverage_matrix(network=world.network)
    assert [row.label for row in matrix.rows] == ["Nord", "Süd"]
    assert cell(matrix, "Nord", "0-3") == 1  # the midwife; not the ended member's nor the archived one's
    assert cell(matrix, "Nord", "schwangerschaft") == 1
    assert cell(matrix, "Süd", "0-3") == 0  # the course is not published: a gap
    assert cell(matrix, "Süd", "3-6") == 1 and cell(matrix, "Süd", "grundschule") == 1
    assert matrix.offers == 2
    assert [row.total for row in matrix.rows] == [1, 1]
    assert matrix.gaps == 2 * len(matrix.columns) - 4
    assert {stage.slug for stage in matrix.empty_columns} == {
        "weiterfuehrende-schule",
        "schule-beruf",
        "junge-erwachsene",
        "eltern-familie",
    }


def test_the_matrix_switches_to_sectors_and_access_routes(world, offers):
    sectors = coverage_matrix(network=world.network, axis="handlungsfeld")
    assert len(sectors.rows) == Sector.objects.count()
    assert cell(sectors, "Gesundheitswesen", "0-3") == 1
    assert cell(sectors, "Kinder- und Jugendhilfe", "3-6") == 1
    assert cell(sectors, "Schule", "3-6") == 0
    routes = coverage_matrix(network=world.network, axis="zugangsweg")
    assert cell(routes, "Offene Sprechstunde", "0-3") == 1 and cell(routes, "Telefonisch", "grundschule") == 1
    assert coverage_matrix(network=world.network, axis="unsinn").axis == "sozialraum"


def test_offers_without_life_stage_or_district_are_counted_apart(world, offers):
    make_offer(world.partner_b, "Offenes Angebot ohne Angaben")
    matrix = coverage_matrix(network=world.network)
    assert matrix.offers == 3 and matrix.without_stage == 1 and matrix.without_axis == 1


def test_the_kreis_view_adds_the_networks_whose_municipalities_share_the_kreis(world, offers):
    neighbour = NetworkFactory(name="Frühe Hilfen Nachbarort", slug="nachbarort")
    village = Municipality.objects.create(name="Nachbarort", kind="gemeinde", kreis="Kreis Muster", federal_state="NW")
    neighbour.municipalities.add(village)
    mitte = District.objects.create(municipality=village, name="Ortsmitte")
    kita = MembershipFactory(network=neighbour, partner=PartnerFactory(name="Kita Nachbarort")).partner
    make_offer(kita, "Eltern-Kind-Turnen", stages=("3-6",), districts=(mitte,))
    MembershipFactory(network=neighbour, partner=world.partner_a)  # a member of both counts its offers once

    own = coverage_matrix(network=world.network)
    kreis = coverage_matrix(network=world.network, scope="kreis")
    assert own.scope == "netzwerk" and own.offers == 2 and "Ortsmitte" not in [r.label for r in own.rows]
    assert kreis.scope == "kreis" and kreis.kreis == "Kreis Muster"
    assert {n.slug for n in kreis.networks} == {world.network.slug, "nachbarort"}
    assert kreis.offers == 3 and cell(kreis, "Ortsmitte", "3-6") == 1
    assert [(r.group, r.label) for r in kreis.rows] == [
        ("Musterstadt", "Nord"),
        ("Musterstadt", "Süd"),
        ("Nachbarort", "Ortsmitte"),
    ]


def test_a_network_without_kreis_falls_back_to_itself(world, offers):
    Municipality.objects.update(kreis="")
    matrix = coverage_matrix(network=world.network, scope="kreis")
    assert matrix.scope == "netzwerk" and matrix.offers == 2


def test_the_page_marks_gaps_with_text_and_links_each_cell_to_the_directory(login, world, offers):
    html = login(world.coordinator).get(coverage_url(world.network)).content.decode()
    assert "Abdeckung der Präventionskette" in html
    assert "⚠</span> Lücke" in html and "Lücken von 16 Feldern" in html
    directory = reverse("partners:directory", kwargs={"network": world.network.slug})
    links = [part.split('"')[0] for part in html.split(f'href="{directory}?')[1:]]
    assert links, "the cells link to the directory"
    query = parse_qs(next(link for link in links if "district" in link).replace("&amp;", "&"))
    assert set(query) == {"life_stage", "district", "published"}
    nord_baby = f"life_stage={LifeStage.objects.get(slug='0-3').pk}&amp;district={offers.nord.pk}&amp;published=on"
    assert nord_baby in html
    response = login(world.coordinator).get(f"{directory}?{nord_baby.replace('&amp;', '&')}")
    assert "Hebammensprechstunde" in response.content.decode()
    assert "Erziehungsberatung für Eltern" not in response.content.decode()


def test_the_page_offers_the_kreis_switch_only_when_there_is_a_kreis(login, world, offers):
    client = login(world.jugendamt)
    assert "Ganzer Kreis Muster" in client.get(coverage_url(world.network)).content.decode()
    html = client.get(coverage_url(world.network), {"umfang": "kreis", "achse": "zugangsweg"}).content.decode()
    assert "Gezählt sind die Angebote aller Netzwerke im Kreis Muster" in html and "Offene Sprechstunde" in html
    Municipality.objects.update(kreis="")
    assert "Ganzer" not in client.get(coverage_url(world.network)).content.decode()


@pytest.mark.parametrize("params", [{"achse": "nix"}, {"umfang": "welt"}, {"achse": "", "umfang": ""}])
def test_unknown_switch_values_show_the_default_matrix(login, world, offers, params):
    response = login(world.coordinator).get(coverage_url(world.network), params)
    assert response.status_code == 200 and "Lebensphasen × Sozialräume" in response.content.decode()


@pytest.mark.parametrize(
    "persona, status",
    [
        ("coordinator", 200),
        ("jugendamt", 200),
        ("admin", 200),
        ("contact_a", 403),
        ("contact_b", 403),
        ("other_coordinator", 404),
        ("anonymous", 302),
    ],
)
def test_who_sees_the_coverage(login, world, offers, persona, status):
    client = login(world.persona(persona))
    assert client.get(coverage_url(world.network)).status_code == status
    assert client.get(coverage_url(world.network, "coverage_pdf")).status_code == status


def test_the_pdf_prints_the_matrix_with_gaps_in_words(login, world, offers):
    response = login(world.jugendamt).get(coverage_url(world.network, "coverage_pdf"), {"achse": "handlungsfeld"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"] and "handlungsfeld" in response["Content-Disposition"]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Abdeckung der Präventionskette" in text
    assert "Lebensphasen × Handlungsfelder" in text
    assert "LÜCKE" in text and "Gesundheitswesen" in text and "Frühe Hilfen Musterstadt" in text


def test_the_counts_follow_the_membership(world, offers):
    assert coverage_matrix(network=world.network).offers == 2
    Membership.objects.filter(partner=world.partner_b, network=world.network).update(state=Membership.State.ENDED)
    assert coverage_matrix(network=world.network).offers == 1


def test_another_coordinator_cannot_read_this_networks_matrix_through_the_kreis(login, world, offers):
    neighbour = NetworkFactory(name="Nachbarnetz", slug="nachbarnetz")
    neighbour.municipalities.add(Municipality.objects.get(name="Musterstadt"))
    user = NetworkRoleFactory(network=neighbour).user
    html = login(user).get(coverage_url(neighbour), {"umfang": "kreis"}).content.decode()
    # counts only (no names, no contacts) of the Kreis; the network's own directory is not opened to them
    assert "Hebammensprechstunde" not in html and "Erika Offen" not in html
    directory = reverse("partners:directory", kwargs={"network": world.network.slug})
    assert login(user).get(directory).status_code == 404
    assert urlsplit(directory).path not in html
