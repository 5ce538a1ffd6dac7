"""The access-matrix entries for the agreements URLs, checked here until they move into tests/test_access_matrix.py.

MATRIX below is what goes into the project matrix; OBJECTS says which world object each route argument names.
"""

from __future__ import annotations

import datetime

import pytest

from agreements import services
from tests.agreements.conftest import SIGNER
from tests.test_access_matrix import (
    Route,
    check_foreign_network,
    check_route,
    network_page,
    partner_page,
    route,
    statuses,
)

pytestmark = pytest.mark.urls("tests.agreements.urls")

STAFF_ONLY = {"jugendamt": 403, "contact_a": 403, "contact_b": 403}

MATRIX: list[Route] = [
    route("agreements:template_list", network_page(["coordinator", "jugendamt"])),
    route("agreements:template_create", network_page(["coordinator"], post=200)),
    route("agreements:template_detail", network_page(["coordinator", "jugendamt"]), pk="template"),
    route("agreements:template_edit", network_page(["coordinator"], post=200), pk="draft_template"),
    route("agreements:template_publish", network_page(["coordinator"], get=405, post=302), pk="draft_template"),
    route("agreements:template_reinvite", network_page(["coordinator"], get=405, post=302), pk="template"),
    route("agreements:agreement_list", network_page(["coordinator", "jugendamt"])),
    route("agreements:agreement_invite_all", network_page(["coordinator"], get=405, post=302)),
    route("agreements:agreement_verify", network_page(["coordinator"], post=200)),
    route("agreements:deadlines", network_page(["coordinator", "jugendamt"])),
    route("agreements:own_agreements", {**network_page(["contact_a", "contact_b"]), "admin": 404}),
    route(
        "agreements:agreement_detail", partner_page(view=["contact_a", "coordinator", "jugendamt"]), pk="agreement_a"
    ),
    route(
        "agreements:agreement_countersign",
        partner_page(view=["jugendamt"], post=200, denied={"coordinator": 403, "contact_a": 403, "contact_b": 403}),
        pk="agreement_a",
    ),
    route(
        "agreements:agreement_terminate",
        partner_page(view=["contact_a", "coordinator", "jugendamt"], post=200),
        pk="agreement_a",
    ),
    route("agreements:agreement_pdf", partner_page(view=["contact_a", "coordinator", "jugendamt"]), pk="agreement_a"),
    route(
        "agreements:agreement_invite",
        partner_page(view=["coordinator"], post=200, denied=STAFF_ONLY),
        partner_pk="partner_a",
    ),
    route(
        "agreements:agreement_paper",
        partner_page(view=["coordinator"], post=200, denied=STAFF_ONLY),
        partner_pk="partner_a",
    ),
    # The public signing page: an unknown token is a 404 for everyone (a valid one is 200, see test_views.py).
    route("agreement_sign", {"get": statuses(404), "post": statuses(404)}, token="ungueltig"),
]


@pytest.fixture
def objects(world, template, django_capture_on_commit_callbacks):
    draft = services.template_create(
        network=world.network,
        actor=world.coordinator,
        data={"title": "Entwurf 2026", "version_date": datetime.date(2026, 1, 1), "body": "Text"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        agreement, token = services.agreement_invite(
            network=world.network, partner=world.partner_a, template=template, email="a@hebamme.example", actor=None
        )
        services.agreement_sign(token=token, **SIGNER)
        agreement = services.agreement_countersign(
            agreement=agreement, actor=world.jugendamt, name="J", function="Leitung", place="M", ip=None, user_agent=""
        )
    return {
        "template": template.pk,
        "draft_template": draft.pk,
        "agreement_a": agreement.pk,
        "partner_a": world.partner_a.pk,
        "partner_b": world.partner_b.pk,
    }


@pytest.mark.parametrize("r", MATRIX, ids=lambda r: r.name)
def test_access_matrix(r: Route, world, objects, login):
    check_route(r, world, login, objects)


@pytest.mark.parametrize("r", [r for r in MATRIX if r.network], ids=lambda r: r.name)
def test_swapping_the_network_gives_404(r: Route, world, objects, login):
    check_foreign_network(r, world, login, objects)


def test_every_agreements_url_has_an_entry():
    from tests.test_access_matrix import project_patterns

    names = {name for name, _ in project_patterns() if name.startswith("agreements:") or name == "agreement_sign"}
    assert names == {r.name for r in MATRIX}
