"""Access matrix of the goals pages; test_access_matrix.test_every_url_pattern_has_an_entry reads MATRIX.

Forms answer an empty POST with 400 (German field errors); figure reports are a page of one institution: its own
contact and the coordination may open it, every other member gets 404. The public network profile is in here too.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.test_access_matrix import (
    MEMBERS,
    Route,
    check_foreign_network,
    check_route,
    network_page,
    partner_page,
    public,
    route,
)

STAFF = ["coordinator", "jugendamt"]
COORD = ["coordinator"]

MATRIX: list[Route] = [
    route("goals:goal_overview", network_page(MEMBERS)),
    route("goals:goal_create", network_page(COORD, post=400)),
    route("goals:goal_edit", network_page(COORD, post=400), pk="goal"),
    route("goals:goal_action_create", network_page(COORD, post=400), pk="goal"),
    route("goals:goal_export", network_page(STAFF), kind="ziele"),
    route("goals:goal_year_close", network_page(COORD, get=405, post=302), year=2026),
    route("goals:goal_action_detail", network_page(MEMBERS), pk="action"),
    route("goals:goal_action_edit", network_page(COORD, post=400), pk="action"),
    route("goals:goal_indicator_create", network_page(COORD, post=400), pk="action"),
    route("goals:goal_review", network_page(COORD, post=400), pk="action", year=2026),
    route("goals:goal_indicator_edit", network_page(COORD, post=400), pk="indicator"),
    route("goals:goal_step_create", network_page(COORD, post=400)),
    route("goals:goal_step_edit", network_page(COORD, post=400), pk="step"),
    route("goals:goal_step_done", network_page(COORD, get=405, post=302), pk="step"),
    route("goals:figure_overview", network_page(STAFF)),
    route("goals:figure_settings", network_page(COORD)),
    route("goals:figure_definition_create", network_page(COORD, post=400)),
    route("goals:figure_definition_edit", network_page(COORD, post=400), pk="definition"),
    route("goals:figure_year_create", network_page(COORD, post=400)),
    route("goals:figure_year_edit", network_page(COORD, post=302), year=2026),
    # partner A's figures: its own contact and the coordination; contact B and the Jugendamt get 404
    route(
        "goals:figure_report",
        partner_page(view=["contact_a", "coordinator"], post=400),
        year=2026,
        partner_pk="partner_a",
    ),
    route("goals:figure_own", {**network_page(["contact_a", "contact_b"]), "admin": 404}),
    # the public profile: no login, GET only
    route("network_public", public(get=200, post=405), slug="musterstadt"),
]


@pytest.fixture
def objects(world, goals):
    world.network.public_profile = True
    world.network.public_sections = ["leitbild"]
    world.network.save()
    return {
        "goal": goals.goal.pk,
        "action": goals.action.pk,
        "indicator": goals.indicator.pk,
        "step": goals.step.pk,
        "definition": goals.families.pk,
        "partner_a": world.partner_a.pk,
    }


@pytest.mark.parametrize("r", MATRIX, ids=lambda r: r.name)
def test_access_matrix(r: Route, world, objects, login):
    check_route(r, world, login, objects)


@pytest.mark.parametrize("r", [r for r in MATRIX if r.network], ids=lambda r: r.name)
def test_swapping_the_network_gives_404(r: Route, world, objects, login):
    check_foreign_network(r, world, login, objects)


def test_every_goals_url_has_an_entry():
    from tests.test_access_matrix import project_patterns

    names = {name for name, _ in project_patterns() if name.startswith("goals:") or name == "network_public"}
    assert names == {r.name for r in MATRIX}


def test_a_network_without_a_public_profile_has_no_public_page(world, client):
    assert client.get(reverse("network_public", kwargs={"slug": world.network.slug})).status_code == 404
    assert client.get(reverse("network_public", kwargs={"slug": "gibt-es-nicht"})).status_code == 404
