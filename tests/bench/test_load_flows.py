"""The steps of `make load` (bench/load_flows.py), each requested once through Django's test client on a small seeded
dataset prepared by bench/load.py: every step answers as expected, and a signing really signs. No locust needed."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.oath import TOTP

from agreements.models import Agreement, Signature, SigningInvitation
from bench.load import NEW_VERSION, prepare
from bench.load_flows import (
    FINDER_TERMS,
    FLOW,
    FLOWS,
    SEARCH_TERMS,
    Response,
    Visit,
    check_step,
    run_steps,
    signings_needed,
    totp,
    users_per_flow,
)
from praevnet.models import NetworkRole


class FixedChoice:
    def __init__(self, value):
        self.value = value

    def choice(self, values):
        return self.value


@pytest.fixture
def plan(db):
    call_command("seed_scale", "--partners", "50", "--network-size", "50", stdout=io.StringIO())
    return prepare(users=16, needed=2)


def send_through(client: Client):
    def send(step, visit: Visit) -> str | None:
        path = step.path(visit)
        response = client.post(path, step.form(visit)) if step.method == "POST" else client.get(path)
        answer = Response(response.status_code, response.content.decode(), response.get("Location", ""))
        return check_step(step, visit, answer)

    return send


def visitor(plan: dict, flow_key: str) -> tuple[Visit, Client]:
    flow, client = FLOW[flow_key], Client(enforce_csrf_checks=True)
    visit = Visit(plan=plan)
    if flow.role:
        visit.account = plan[flow.role][0]
        visit.network = visit.account["network"]
        assert run_steps(flow.login, visit, send_through(client)) is None
    else:
        visit.network = plan["networks"][0]
    return visit, client


@pytest.mark.parametrize("flow_key", ["coordinator", "jugendamt", "parent"])
def test_every_step_of_the_flow_answers_as_expected(plan, flow_key):
    visit, client = visitor(plan, flow_key)
    assert run_steps(FLOW[flow_key].steps, visit, send_through(client)) is None


def test_every_search_term_finds_something_to_click_on(plan):
    visit, client = visitor(plan, "coordinator")
    send = send_through(client)
    for flow_key, step_key, terms in (
        ("coordinator", "coord_search", SEARCH_TERMS),
        ("parent", "finder_search", FINDER_TERMS),
    ):
        step = next(step for step in FLOW[flow_key].steps if step.key == step_key)
        for term in terms:
            visit.rng = FixedChoice(term)
            assert send(step, visit) is None, term
            assert visit.term == term and visit.links


def test_a_partner_signs_the_new_version_through_the_link_and_sees_it_on_their_dashboard(plan):
    visit, client = visitor(plan, "sign")
    visit.signing = signing = plan["signings"][0]
    visit.network = signing["network"]
    assert run_steps(FLOW["sign"].steps, visit, send_through(client)) is None
    agreement = Agreement.objects.get(partner_id=signing["partner"], template__version_date=NEW_VERSION)
    assert agreement.status == Agreement.Status.SIGNED
    signature = Signature.objects.get(agreement=agreement, side=Signature.Side.PARTNER)
    assert signature.name == f"Lastprobe Kontakt {signing['partner']}"
    assert SigningInvitation.objects.get(agreement=agreement, used_at__isnull=False)
    assert NetworkRole.objects.get(user__email=signing["email"]).partner_id == signing["partner"]


def test_a_used_link_counts_as_an_error(plan):
    visit, client = visitor(plan, "sign")
    visit.signing, visit.network = plan["signings"][1], plan["signings"][1]["network"]
    send = send_through(client)
    assert run_steps(FLOW["sign"].steps[:2], visit, send) is None
    error = run_steps(FLOW["sign"].steps[:2], visit, send)
    assert error == "Partner: Unterzeichnungsseite (Link aus der E-Mail): HTTP 410 statt 200"


def test_a_second_preparation_replaces_unused_links_and_skips_partners_who_signed(plan):
    visit, client = visitor(plan, "sign")
    first, unused = plan["signings"]
    visit.signing, visit.network = first, first["network"]
    assert run_steps(FLOW["sign"].steps[:2], visit, send_through(client)) is None
    again = prepare(users=16, needed=2)
    assert first["partner"] not in {s["partner"] for s in again["signings"]}
    assert unused["partner"] in {s["partner"] for s in again["signings"]}
    assert SigningInvitation.objects.filter(agreement__partner_id=unused["partner"], revoked_at__isnull=False).exists()
    assert len(again["coordinators"]) == 3 and again["coordinators"][0]["email"] == plan["coordinators"][0]["email"]


def test_the_codes_are_those_of_django_otp():
    key = "3132333435363738393031323334353637383930"  # RFC 6238 appendix B: at 59 s the code ends in 287082
    for at in (59, 1_111_111_109, 1_764_000_000):
        reference = TOTP(bytes.fromhex(key), step=30, t0=0, digits=6)
        reference.time = at
        assert totp(key, at=at) == f"{reference.token():06d}"
    assert totp(key, at=59) == "287082"


def test_the_visitors_are_spread_by_weight_and_the_links_suffice():
    assert users_per_flow(16) == {"sign": 8, "coordinator": 3, "jugendamt": 2, "parent": 3}
    for users in (1, 5, 16, 17, 32, 33):
        assert sum(users_per_flow(users).values()) == users
    assert sum(flow.weight for flow in FLOWS) == 16
    # 8 signers, a round of 6 steps takes at least 6 × 0.5 s: at most 27 rounds each in 80 s
    assert signings_needed(16, 80) == 8 * 28
