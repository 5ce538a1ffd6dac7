"""The public offer finder: no login, no cookies, only published offers of active members, public contacts only."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.filters_directory import life_stages_for_age
from partners.models import Language, LifeStage, Network, Offer, Sector
from tests.factories import MembershipFactory, PartnerFactory
from tests.partners.test_directory import build_offers, make_offer


@pytest.fixture
def offers(world):
    return build_offers(world)


def finder(network) -> str:
    return reverse("public:finder", kwargs={"network": network.slug})


def offer_page(network, offer) -> str:
    return reverse("public:finder_offer", kwargs={"network": network.slug, "pk": offer.pk})


def test_anyone_finds_the_published_offers_of_active_members_without_logging_in(client, world, offers):
    response = client.get(finder(world.network))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hebammensprechstunde" in html and "Erziehungsberatung für Eltern" in html
    for hidden in (
        "Rückbildungskurs intern",
        "Alte Krabbelgruppe",
        "Archivierter Elternkurs",
        "Fremdes Familienfrühstück",
    ):
        assert hidden not in html
    assert "2 Angebote" in html


def test_the_finder_sets_no_cookie_and_has_no_csrf_token_and_a_get_form(client, world, offers):
    for url in (
        reverse("public:finder_index"),
        finder(world.network),
        finder(world.network) + "?age=2&cost=kostenlos&q=Heb",
        offer_page(world.network, offers.midwife),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.cookies == {}, (url, response.cookies)
        html = response.content.decode()
        assert "csrfmiddlewaretoken" not in html
        assert 'method="post"' not in html.lower()
    assert '<form method="get"' in client.get(finder(world.network)).content.decode()
    assert client.cookies == {}


def test_the_finder_loads_nothing_from_other_hosts(client, world, offers):
    html = client.get(offer_page(world.network, offers.midwife)).content.decode()
    sources = re.findall(r'<(?:link|script|img)[^>]+(?:href|src)="([^"]+)"', html)
    assert sources and all(source.startswith("/") for source in sources), sources


def test_the_finder_has_its_own_calm_layout_without_the_app_navigation(client, world, offers):
    html = client.get(finder(world.network)).content.decode()
    assert "css/finder.css" in html and "Angebote für Familien" in html
    assert "Hauptnavigation" not in html and "bootstrap.bundle" not in html
    assert "Wie alt ist Ihr Kind?" in html and "Wo wohnen Sie?" in html


def test_a_logged_in_member_sees_the_same_public_finder(login, world, offers):
    html = login(world.coordinator).get(finder(world.network)).content.decode()
    assert "Hebammensprechstunde" in html and "Rückbildungskurs intern" not in html


def test_the_offer_page_says_how_to_reach_the_offer(client, world, offers):
    html = client.get(offer_page(world.network, offers.midwife)).content.decode()
    assert "So erreichen Sie das Angebot" in html
    assert "Hebammenpraxis Am Bach" in html and "Hauptstraße 1" in html and "47051 Musterstadt" in html
    assert 'href="tel:0203111222"' in html and "praxis@am-bach.example" in html and "https://am-bach.example" in html
    assert "Offene Sprechstunde" in html and "Sie können ohne Termin hingehen." in html
    assert "Die Einrichtung ist barrierefrei." in html and "Eingang ebenerdig" in html
    assert "Das Angebot ist kostenlos." in html
    assert "Nord" in html and "Türkisch" in html


def test_the_offer_page_shows_only_contacts_who_agreed_to_a_public_listing(client, world, offers):
    html = client.get(offer_page(world.network, offers.midwife)).content.decode()
    assert "Erika Offen" in html and "erika@am-bach.example" in html
    for hidden in ("Ina Intern", "ina@am-bach.example", "Nora Nichtgenannt", "Anonymisierte Person"):
        assert hidden not in html


@pytest.mark.parametrize("which", ["course", "ended", "archived", "foreign"])
def test_unpublished_offers_and_offers_of_non_members_are_404(client, world, offers, which):
    assert client.get(offer_page(world.network, getattr(offers, which))).status_code == 404


def test_unknown_and_inactive_networks_are_404(client, world, offers):
    assert client.get("/angebote/gibt-es-nicht/").status_code == 404
    Network.objects.filter(pk=world.network.pk).update(is_active=False)
    assert client.get(finder(world.network)).status_code == 404
    assert client.get(offer_page(world.network, offers.midwife)).status_code == 404
    assert world.network.name not in client.get(reverse("public:finder_index")).content.decode()


def test_an_offer_is_reached_only_under_a_network_it_belongs_to(client, world, offers):
    assert client.get(offer_page(world.other_network, offers.midwife)).status_code == 404
    assert client.get(offer_page(world.other_network, offers.foreign)).status_code == 200


def test_the_finder_refuses_post(client, world, offers):
    assert client.post(finder(world.network)).status_code == 405
    assert client.post(offer_page(world.network, offers.midwife)).status_code == 405


@pytest.mark.parametrize(
    "params, shown, hidden",
    [
        ({"age": "1"}, ["Hebammensprechstunde"], ["Erziehungsberatung für Eltern"]),
        ({"age": "-1"}, ["Hebammensprechstunde"], ["Erziehungsberatung für Eltern"]),
        ({"age": "4"}, ["Erziehungsberatung für Eltern"], ["Hebammensprechstunde"]),
        ({"age": "20"}, [], ["Erziehungsberatung für Eltern", "Hebammensprechstunde"]),
        ({"life_stage": "stage:grundschule"}, ["Erziehungsberatung für Eltern"], ["Hebammensprechstunde"]),
        ({"district": "nord"}, ["Hebammensprechstunde"], ["Erziehungsberatung für Eltern"]),
        ({"topic": "sector:jugendhilfe"}, ["Erziehungsberatung für Eltern"], ["Hebammensprechstunde"]),
        ({"language": "language:ar"}, ["Erziehungsberatung für Eltern"], ["Hebammensprechstunde"]),
        ({"cost": "kostenlos"}, ["Hebammensprechstunde"], ["Erziehungsberatung für Eltern"]),
        ({"cost": "guenstig"}, ["Hebammensprechstunde", "Erziehungsberatung für Eltern"], []),
        ({"q": "Hebamme"}, ["Hebammensprechstunde"], ["Erziehungsberatung für Eltern"]),
        ({"q": "Am Bach"}, ["Hebammensprechstunde"], ["Erziehungsberatung für Eltern"]),
        ({"q": "Beratung"}, ["Erziehungsberatung für Eltern"], ["Hebammensprechstunde"]),
    ],
)
def test_the_filters_parents_use(client, world, offers, params, shown, hidden):
    values = {}
    for key, value in params.items():
        kind, _, slug = value.partition(":")
        models = {"stage": LifeStage, "sector": Sector, "language": Language}
        if key == "district":
            values[key] = getattr(offers, value).pk
        elif kind in models and slug:
            values[key] = models[kind].objects.get(slug=slug).pk
        else:
            values[key] = value
    html = client.get(finder(world.network), values).content.decode()
    for title in shown:
        assert title in html, (params, title)
    for title in hidden:
        assert title not in html, (params, title)
    if not shown:
        assert "kein passendes Angebot" in html


def test_the_age_maps_to_life_stages_with_inclusive_bounds_and_open_ends(db):
    slugs = dict(LifeStage.objects.values_list("pk", "slug"))

    def names(age):
        return {slugs[pk] for pk in life_stages_for_age(age)}

    assert names(-1) == {"schwangerschaft", "eltern-familie"}
    assert names(0) == {"schwangerschaft", "0-3", "eltern-familie"}
    assert names(3) == {"0-3", "3-6", "eltern-familie"}
    assert names(12) == {"weiterfuehrende-schule", "eltern-familie"}
    assert names(40) == {"eltern-familie"}


@pytest.mark.parametrize("params", [{"age": "abc"}, {"district": "999999"}, {"cost": "teuer"}, {"topic": "x"}])
def test_bad_filter_values_give_a_german_hint_not_an_error(client, world, offers, params):
    response = client.get(finder(world.network), params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Eine Auswahl war nicht gültig." in html and "Hebammensprechstunde" in html


def test_bad_page_numbers_show_a_page_not_an_error(client, world, offers):
    assert client.get(finder(world.network), {"page": "abc"}).status_code == 200
    assert client.get(finder(world.network), {"page": "9999"}).status_code == 200


def test_the_detail_link_keeps_the_parents_choice_for_the_way_back(client, world, offers):
    html = client.get(finder(world.network), {"cost": "kostenlos"}).content.decode()
    assert f"{offer_page(world.network, offers.midwife)}?cost=kostenlos" in html
    detail = client.get(offer_page(world.network, offers.midwife), {"cost": "kostenlos"}).content.decode()
    assert f'href="{finder(world.network)}?cost=kostenlos"' in detail


def test_the_query_count_does_not_grow_with_the_offers_shown(client, world, offers):
    client.get(finder(world.network))

    def count(params=None) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(finder(world.network), params or {}).status_code == 200
        return len(queries)

    before, searched = count(), count({"q": "Eltern", "age": "4", "cost": "guenstig"})
    for n in range(12):
        partner = MembershipFactory(network=world.network, partner=PartnerFactory(name=f"Elternschule {n}")).partner
        make_offer(partner, f"Elternkurs {n}", stages=("3-6", "0-3"), languages=("de", "tr"), districts=(offers.nord,))
    assert count() == before
    assert count({"q": "Eltern", "age": "4", "cost": "guenstig"}) == searched


def test_pages_of_twenty(client, world, offers):
    partner = MembershipFactory(network=world.network, partner=PartnerFactory(name="Große Elternschule")).partner
    for n in range(25):
        make_offer(partner, f"Kurs {n:02d}", stages=("0-3",))
    html = client.get(finder(world.network)).content.decode()
    assert "27 Angebote" in html and "Seite 1 von 2" in html and "Nächste Seite" in html
    assert html.count('class="finder-card"') == 20
    second = client.get(finder(world.network), {"page": "2"}).content.decode()
    assert second.count('class="finder-card"') == 7


def test_the_index_lists_the_active_networks(client, world, offers):
    html = client.get(reverse("public:finder_index")).content.decode()
    assert finder(world.network) in html and finder(world.other_network) in html


def test_a_published_offer_without_details_still_has_a_plain_page(client, world, offers):
    bare = make_offer(world.partner_b, "Spielgruppe", published=True)
    html = client.get(offer_page(world.network, bare)).content.decode()
    assert "für alle Familien" in html and "Deutsch" in html
    assert Offer.objects.filter(pk=bare.pk, published=True).exists()


def test_many_matches_walk_the_title_order_and_are_not_counted_beyond_the_cap(client, world, offers, monkeypatch):
    from partners import views_finder

    partner = MembershipFactory(network=world.network, partner=PartnerFactory(name="Elternschule Groß")).partner
    for n in range(4):
        make_offer(partner, f"Elternabend {n}", stages=("3-6",))
    monkeypatch.setattr(views_finder, "SPARSE_SEARCH", 2)  # 4 matches are "many" now
    monkeypatch.setattr(views_finder.CappedPaginator, "CAP", 3)
    html = client.get(finder(world.network), {"q": "Elternabend"}).content.decode()
    assert "Mehr als 3 Angebote" in html and "Wählen Sie oben genauer aus" in html
    titles = re.findall(r'class="finder-card-title"><a [^>]+>([^<]+)<', html)
    assert titles == ["Elternabend 0", "Elternabend 1", "Elternabend 2"]  # in title order, and no further than CAP
    narrowed = client.get(finder(world.network), {"q": "Elternabend", "cost": "kostenlos"}).content.decode()
    assert "Elternabend 0" in narrowed and "Mehr als 3 Angebote" in narrowed
    few = client.get(finder(world.network), {"q": "Hebamme"}).content.decode()
    assert "1 Angebot" in few and "Hebammensprechstunde" in few


def test_the_finder_search_matches_an_institution_by_name_not_by_its_description(client, world, offers):
    # the midwives' description says "junge Familien"; the offer of partner B says nothing of the kind
    html = client.get(finder(world.network), {"q": "Bach"}).content.decode()
    assert "Hebammensprechstunde" in html
    html = client.get(finder(world.network), {"q": "junge"}).content.decode()
    assert "kein passendes Angebot" in html


def test_the_capped_count_does_not_sort_and_counts_what_the_page_shows(client, world, offers, monkeypatch):
    from partners import views_finder

    partner = MembershipFactory(network=world.network, partner=PartnerFactory(name="Familienbüro")).partner
    for n in range(5):
        make_offer(partner, f"Krabbelgruppe {n}", stages=("0-3",))
    monkeypatch.setattr(views_finder.CappedPaginator, "CAP", 3)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(finder(world.network), {"life_stage": LifeStage.objects.get(slug="0-3").pk}).content.decode()
    counts = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("SELECT COUNT(*)")]
    assert len(counts) == 1 and "ORDER BY" not in counts[0]  # the count need not walk the title index
    assert "Mehr als 3 Angebote" in html


def test_an_archived_member_found_by_name_brings_no_offer(client, world, offers):
    from django.utils import timezone

    from partners.models import Partner

    partner = MembershipFactory(network=world.network, partner=PartnerFactory(name="Storchennest Hebammen")).partner
    make_offer(partner, "Rückbildungskurs", stages=("0-3",))
    assert "Rückbildungskurs" in client.get(finder(world.network), {"q": "Storchennest"}).content.decode()
    Partner.objects.filter(pk=partner.pk).update(archived_at=timezone.now())
    assert "kein passendes Angebot" in client.get(finder(world.network), {"q": "Storchennest"}).content.decode()
