"""What the visitors of `make load` do, as plain data: each flow is a list of HTTP requests with the answer expected.

Imported by bench/locustfile.py (under load, through locust's FastHttpSession) and by tests/bench/test_load_flows.py
(once each, through Django's test client), so the steps measured are the steps tested. No locust import here.

A step is one request, redirects are not followed: a login answers 302, a page 200. `run_flow` sends the steps of a
flow in order through a `send(step, visit) -> Response` of the caller, checks each answer (`check_step`) and stops the
flow at the first error, because the later steps build on the earlier ones (a form needs the CSRF token of its page).

The plan (accounts, signing links, meetings) comes from bench/load.py, which prepares it in the database.
"""

from __future__ import annotations

import hmac
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape, unescape
from urllib.parse import quote, urlsplit

#: Pause between two steps of a flow and between two rounds, in seconds (uniform): short, a busy morning.
THINK_SECONDS = (0.5, 2.0)
SEARCH_TERMS = ("Hebamme", "Sprachförderung", "Beratung", "Eltern", "Kita", "Familienzentrum")
FINDER_TERMS = ("Sprachförderung", "Hebamme", "Beratung", "Eltern", "Stillen", "Elterncafé")
SIGN_DONE = "Sie haben unterzeichnet"

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TEXT_SHA_RE = re.compile(r'name="text_sha256" value="([0-9a-f]{64})"')


@dataclass
class Response:
    status: int  # 0 when no answer came (connection refused, timeout)
    text: str = ""
    location: str = ""


@dataclass
class Visit:
    """The state of one visitor during one round: who they are and what the pages told them so far."""

    plan: dict
    account: dict | None = None  # {"email", "password", "totp_key", "network"}
    network: str = ""  # slug
    signing: dict | None = None  # {"token", "network", "email", "password", "title"}
    csrf: str = ""
    text_sha256: str = ""
    links: list[int] = field(default_factory=list)
    term: str = ""
    rng: random.Random = field(default_factory=random.Random)

    def pick(self) -> int:
        return self.rng.choice(self.links)


@dataclass(frozen=True)
class Step:
    key: str
    label: str  # German, the row in the report
    method: str
    path: Callable[[Visit], str]
    expect: int
    form: Callable[[Visit], dict] | None = None
    after: Callable[[Visit, Response], str | None] | None = None  # reads the page; returns an error or None


@dataclass(frozen=True)
class Flow:
    key: str
    label: str
    weight: int
    steps: tuple[Step, ...]
    login: tuple[Step, ...] = ()  # once per visitor (on start), not per round
    role: str = ""  # which accounts of the plan: "coordinators", "jugendamt"


# ---------------------------------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------------------------------


def totp(key_hex: str, at: float | None = None, *, step: int = 30, digits: int = 6) -> str:
    """The current code of a TOTP device (RFC 6238, SHA-1, as django-otp's TOTPDevice with its defaults)."""
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(bytes.fromhex(key_hex), counter.to_bytes(8, "big"), "sha1").digest()
    offset = mac[-1] & 0x0F
    code = (int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF) % 10**digits
    return f"{code:0{digits}d}"


def proxy_headers(base_url: str) -> dict[str, str]:
    """What a TLS-terminating proxy in front of gunicorn adds, and what a browser on https sends with a form.

    Production settings (DEBUG off) make cookies Secure and check the Referer of every POST over https; the proxy
    header tells Django the request came in over https (SECURE_PROXY_SSL_HEADER), as behind the real proxy.
    """
    parts = urlsplit(base_url)
    origin = f"https://{parts.netloc}"
    return {"X-Forwarded-Proto": "https", "Referer": f"{origin}/", "Origin": origin}


def _need(pattern: re.Pattern, text: str, what: str) -> tuple[str | None, str | None]:
    match = pattern.search(text)
    return (unescape(match.group(1)), None) if match else (None, f"{what} fehlt auf der Seite")


def _csrf(visit: Visit, response: Response) -> str | None:
    token, error = _need(CSRF_RE, response.text, "CSRF-Token")
    visit.csrf = token or ""
    return error


def _contains(text: str) -> Callable[[Visit, Response], str | None]:
    def check(visit: Visit, response: Response) -> str | None:
        return None if text in response.text else f"„{text}“ fehlt in der Antwort"

    return check


def _redirects_to(target: Callable[[Visit], str]) -> Callable[[Visit, Response], str | None]:
    def check(visit: Visit, response: Response) -> str | None:
        wanted = target(visit)
        return None if urlsplit(response.location).path == wanted else f"Weiterleitung nach {response.location!r}"

    return check


def _links(pattern: str, what: str) -> Callable[[Visit, Response], str | None]:
    def check(visit: Visit, response: Response) -> str | None:
        found = re.findall(pattern.format(network=re.escape(visit.network)), response.text)
        visit.links = sorted({int(pk) for pk in found})
        return None if visit.links else f"keine {what} in der Trefferliste"

    return check


def _dashboard(visit: Visit) -> str:
    return f"/n/{visit.network}/"


def _login_path(visit: Visit) -> str:
    return f"/konto/anmelden/?next={quote(_dashboard(visit))}"


def _sign_path(visit: Visit) -> str:
    return f"/vereinbarung/unterzeichnen/{visit.signing['token']}/"


def _sign_page(visit: Visit, response: Response) -> str | None:
    digest, error = _need(TEXT_SHA_RE, response.text, "Prüfsumme des Textes")
    visit.text_sha256 = digest or ""
    return error or _csrf(visit, response)


def _sign_form(visit: Visit) -> dict:
    number = visit.signing["partner"]
    return {
        "csrfmiddlewaretoken": visit.csrf,
        "name": f"Lastprobe Kontakt {number}",
        "function": "Leitung der Einrichtung",
        "place": "Prüfstadt",
        "authorised": "on",
        "consent": "on",
        "drawn_signature": "",
        "text_sha256": visit.text_sha256,
    }


def _login_form(visit: Visit) -> dict:
    who = visit.account or visit.signing
    return {"csrfmiddlewaretoken": visit.csrf, "username": who["email"], "password": who["password"]}


def _own_agreement(visit: Visit, response: Response) -> str | None:
    heading = response.text.find(f"{escape(visit.signing['title'])}</h2>")
    if (
        heading < 0
        or "Status: <strong>vom Partner unterzeichnet</strong>" not in response.text[heading : heading + 400]
    ):
        return "die neue Fassung steht nicht als unterzeichnet unter „Meine Vereinbarung“"
    return None


def _two_factor_path(visit: Visit) -> str:
    return f"/konto/zwei-faktor/?next={quote(_dashboard(visit))}"


def _partner_search(visit: Visit) -> str:
    visit.term = visit.rng.choice(SEARCH_TERMS)
    return f"/n/{visit.network}/partner/?q={quote(visit.term)}"


def _finder_search(visit: Visit) -> str:
    visit.term = visit.rng.choice(FINDER_TERMS)
    return f"/angebote/{visit.network}/?q={quote(visit.term)}"


def _meeting(visit: Visit) -> str:
    return f"/n/{visit.network}/sitzungen/{visit.plan['meetings'][visit.network]}/"


# ---------------------------------------------------------------------------------------------------------------------
# Flows
# ---------------------------------------------------------------------------------------------------------------------

SIGN_STEPS = (
    Step("sign_page", "Partner: Unterzeichnungsseite (Link aus der E-Mail)", "GET", _sign_path, 200, after=_sign_page),
    Step("sign_post", "Partner: neue Fassung unterzeichnen (POST)", "POST", _sign_path, 200, _sign_form),
    Step("partner_login_page", "Partner: Anmeldeseite", "GET", _login_path, 200, after=_csrf),
    Step("partner_login", "Partner: Anmelden (POST)", "POST", _login_path, 302, _login_form, _redirects_to(_dashboard)),
    Step("partner_dashboard", "Partner: eigene Übersicht", "GET", _dashboard, 200),
    Step(
        "partner_agreement",
        "Partner: Meine Vereinbarung",
        "GET",
        lambda v: f"/n/{v.network}/meine-vereinbarung/",
        200,
        after=_own_agreement,
    ),
)

STAFF_LOGIN = (
    Step("login_page", "Anmeldeseite", "GET", _login_path, 200, after=_csrf),
    Step("login", "Anmelden (POST)", "POST", _login_path, 302, _login_form, _redirects_to(_dashboard)),
    Step("two_factor_page", "Zwei-Faktor-Seite", "GET", _two_factor_path, 200, after=_csrf),
    Step(
        "two_factor",
        "Zwei-Faktor-Code (POST)",
        "POST",
        _two_factor_path,
        302,
        lambda v: {"csrfmiddlewaretoken": v.csrf, "code": totp(v.account["totp_key"])},
        _redirects_to(_dashboard),
    ),
)

COORDINATOR_STEPS = (
    Step("coord_dashboard", "Koordination: Übersicht", "GET", _dashboard, 200),
    Step("coord_partners", "Koordination: Partnerliste", "GET", lambda v: f"/n/{v.network}/partner/", 200),
    Step(
        "coord_search",
        "Koordination: Partnersuche",
        "GET",
        _partner_search,
        200,
        after=_links(r'href="/n/{network}/partner/(\d+)/"', "Einrichtungen"),
    ),
    Step("coord_partner", "Koordination: Einrichtung", "GET", lambda v: f"/n/{v.network}/partner/{v.pick()}/", 200),
    Step("coord_meeting", "Koordination: Sitzung mit Protokoll", "GET", _meeting, 200),
    Step("coord_coverage", "Koordination: Abdeckungsmatrix", "GET", lambda v: f"/n/{v.network}/abdeckung/", 200),
)

JUGENDAMT_STEPS = (
    Step("ja_dashboard", "Jugendamt: Übersicht", "GET", _dashboard, 200),
    Step("ja_deadlines", "Jugendamt: Fristen", "GET", lambda v: f"/n/{v.network}/vereinbarungen/fristen/", 200),
)

PARENT_STEPS = (
    Step(
        "finder_search",
        "Eltern: Angebotsfinder, Suche",
        "GET",
        _finder_search,
        200,
        after=_links(r'href="/angebote/{network}/(\d+)/[?"]', "Angebote"),
    ),
    Step("finder_offer", "Eltern: Seite eines Angebots", "GET", lambda v: f"/angebote/{v.network}/{v.pick()}/", 200),
)

# Weights: at 16 users 8 partners signing, 3 coordinators, 2 Jugendamt, 3 parents (the morning of the new version).
FLOWS = (
    Flow("sign", "Partner unterzeichnet die neue Fassung", 8, SIGN_STEPS),
    Flow("coordinator", "Koordination", 3, COORDINATOR_STEPS, STAFF_LOGIN, "coordinators"),
    Flow("jugendamt", "Jugendamt", 2, JUGENDAMT_STEPS, STAFF_LOGIN, "jugendamt"),
    Flow("parent", "Eltern (ohne Anmeldung)", 3, PARENT_STEPS),
)
FLOW = {flow.key: flow for flow in FLOWS}


def users_per_flow(users: int) -> dict[str, int]:
    """How many of `users` visitors run each flow (largest remainders, as locust spreads users by weight)."""
    total = sum(flow.weight for flow in FLOWS)
    shares = {flow.key: users * flow.weight / total for flow in FLOWS}
    counts = {key: int(share) for key, share in shares.items()}
    for key in sorted(shares, key=lambda k: shares[k] - counts[k], reverse=True)[: users - sum(counts.values())]:
        counts[key] += 1
    return counts


def signings_needed(users: int, seconds: float) -> int:
    """An upper bound of the signing links a run can use: every signer as fast as the shortest pauses allow."""
    signers = users_per_flow(users)["sign"]
    shortest_round = len(SIGN_STEPS) * THINK_SECONDS[0]  # pauses between the steps and after the round
    return signers * (int(seconds / shortest_round) + 2)


def check_step(step: Step, visit: Visit, response: Response) -> str | None:
    """None when the answer is what a person would expect, else a short German reason (an error of the run)."""
    if response.status != step.expect:
        where = f" → {response.location}" if response.location else ""
        return f"HTTP {response.status or 'ohne Antwort'}{where} statt {step.expect}"
    if step.key == "sign_post" and SIGN_DONE not in response.text:
        return "Unterschrift nicht angenommen (Formular kam mit Fehlern zurück)"
    return step.after(visit, response) if step.after else None


def run_steps(
    steps: tuple[Step, ...],
    visit: Visit,
    send: Callable[[Step, Visit], str | None],
    think: Callable[[], None] = lambda: None,
) -> str | None:
    """Send `steps` in order; `send` performs one request and returns check_step's verdict. Stops at the first error."""
    for index, step in enumerate(steps):
        if index:
            think()
        error = send(step, visit)
        if error:
            return f"{step.label}: {error}"
    return None
