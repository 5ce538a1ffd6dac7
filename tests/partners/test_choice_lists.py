"""The filter selects' choices come from one query (partners.filters.choice_lists)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.filters import choice_lists
from partners.models import AccessRoute, District, Language, LifeStage, Municipality, Sector


def test_lists_in_their_own_order_and_the_networks_districts_grouped(world):
    # ties in "order" fall back to the name, as in Taxonomy.Meta.ordering
    Sector.objects.create(name="Zahngesundheit", slug="zahn", order=1)
    Sector.objects.create(name="Ärztliche Versorgung", slug="aerzte", order=1)
    LifeStage.objects.create(name="Ganz zuletzt", slug="zuletzt", order=999)
    stadt = Municipality.objects.create(name="Voerde")
    dorf = Municipality.objects.create(name="Alpen")
    world.network.municipalities.add(stadt, dorf)
    for municipality, name in [(stadt, "Zentrum"), (stadt, "Friedrichsfeld"), (dorf, "Menzelen")]:
        District.objects.create(municipality=municipality, name=name)
    foreign = Municipality.objects.create(name="Anderswo")
    world.other_network.municipalities.add(foreign)
    District.objects.create(municipality=foreign, name="Fremdviertel")

    with CaptureQueriesContext(connection) as queries:
        lists = choice_lists(world.network, "sector", "life_stage", "district", "language", "access_route")
    assert len(queries.captured_queries) == 1

    assert lists["sector"] == list(Sector.objects.values_list("pk", "name"))
    assert lists["life_stage"] == list(LifeStage.objects.values_list("pk", "name"))
    assert lists["life_stage"][-1][1] == "Ganz zuletzt"
    assert lists["language"] == list(Language.objects.values_list("pk", "name"))
    assert lists["access_route"] == list(AccessRoute.objects.values_list("pk", "name"))
    labels = [label for _, label in lists["sector"]]
    assert abs(labels.index("Zahngesundheit") - labels.index("Ärztliche Versorgung")) == 1  # order 1, then name
    grouped = {municipality: [name for _, name in districts] for municipality, districts in lists["district"]}
    assert list(grouped) == ["Alpen", "Voerde"]
    assert grouped == {"Alpen": ["Menzelen"], "Voerde": ["Friedrichsfeld", "Zentrum"]}


def test_one_municipality_gives_a_flat_list(world):
    stadt = Municipality.objects.create(name="Musterstadt")
    world.network.municipalities.add(stadt)
    for name in ["Süd", "Nord", "Altstadt"]:
        District.objects.create(municipality=stadt, name=name)
    assert [name for _, name in choice_lists(world.network, "district")["district"]] == [
        "Altstadt",
        "Nord",
        "Süd",
    ]
