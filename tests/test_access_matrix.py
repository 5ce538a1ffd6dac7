"""Every URL pattern × every persona: the expected status for GET and POST.

A new view without an entry in MATRIX makes `test_every_url_pattern_has_an_entry` fail. Network pages are also
requested with the id (slug) of the other network: that is a 404 for everyone but the system administrator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import PERSONAS

ANON = "anonymous"
MEMBERS = ["contact_a", "contact_b", "coordinator", "jugendamt"]


def statuses(default: int, **overrides: int) -> dict[str, int]:
    result = dict.fromkeys(PERSONAS, default)
    result.update(overrides)
    return result


def public(get: int = 200, post: int = 405) -> dict:
    return {"get": statuses(get), "post": statuses(post)}


def logged_in(get: int = 200, post: int = 405) -> dict:
    return {"get": statuses(get, anonymous=302), "post": statuses(post, anonymous=302)}


def network_page(allowed: list[str], get: int = 200, post: int = 405, denied: int = 403) -> dict:
    """Members of the network get `get` when their role allows it, else `denied`; others 404; admin may."""
    get_map = statuses(404, anonymous=302)
    post_map = statuses(404, anonymous=302)
    for persona in [*MEMBERS, "admin"]:
        allowed_here = persona in allowed or persona == "admin"
        get_map[persona] = get if allowed_here else denied
        post_map[persona] = post if allowed_here else denied
    return {"get": get_map, "post": post_map, "network": True}


def partner_page(view: list[str], get: int = 200, post: int = 405, denied: dict | None = None) -> dict:
    """A page of one institution: allowed personas get `get`/`post`, other members 404 (or what `denied` says)."""
    get_map = statuses(404, anonymous=302)
    post_map = statuses(404, anonymous=302)
    for persona in [*MEMBERS, "admin"]:
        if persona in view or persona == "admin":
            get_map[persona], post_map[persona] = get, post
        elif denied and persona in denied:
            get_map[persona] = post_map[persona] = denied[persona]
    return {"get": get_map, "post": post_map, "network": True}


@dataclass
class Route:
    name: str
    get: dict[str, int]
    post: dict[str, int]
    kwargs: dict = field(default_factory=dict)
    network: bool = False


def route(name: str, spec: dict, **kwargs) -> Route:
    get, post = dict(spec["get"]), dict(spec["post"])
    if "admin" in spec:  # an override for the system administrator
        get["admin"] = post["admin"] = spec["admin"]
    return Route(name=name, get=get, post=post, kwargs=kwargs, network=spec.get("network", False))


STAFF_ONLY = {"jugendamt": 403, "contact_a": 403, "contact_b": 403}

MATRIX: list[Route] = [
    route("home", {"get": statuses(302), "post": statuses(405, anonymous=302)}),
    route("login", {"get": statuses(302, anonymous=200), "post": statuses(302, anonymous=200)}),
    route("logout", {"get": statuses(405, anonymous=302), "post": statuses(302)}),
    route("account", logged_in(post=200)),
    route("password_change", logged_in(post=200)),
    route("password_change_done", logged_in(post=405)),
    route("password_reset", public(post=200)),
    route("password_reset_done", public(post=405)),
    route("password_reset_confirm", public(post=200), uidb64="MQ", token="abc-def"),
    route("password_reset_complete", public(post=405)),
    route("two_factor_verify", {"get": statuses(302), "post": statuses(302)}),
    route("two_factor_setup", logged_in(post=200)),
    route("two_factor_off", logged_in(get=405, post=302)),
    route("dashboard", network_page(MEMBERS)),
    route("partners:network_detail", network_page(MEMBERS)),
    route("partners:network_edit", network_page(["coordinator"], post=200)),
    route("partners:network_logo", network_page(MEMBERS)),
    route("partners:partner_list", network_page(["coordinator", "jugendamt"])),
    route("partners:partner_create", network_page(["coordinator"], post=200)),
    route("partners:partner_join", network_page(["coordinator"], get=405, post=302)),
    route("partners:partner_import", network_page(["coordinator"], post=200)),
    route("partners:partner_import_preview", network_page(["coordinator"], get=302, post=302)),
    route("partners:partner_export", network_page(["coordinator"], post=405), fmt="csv"),
    route("partners:own_partner", {**network_page(["contact_a", "contact_b"], get=302, denied=403), "admin": 404}),
    # A's institution: its own contact and the register roles see it; contact B gets 404 (ids are not guessable)
    route("partners:partner_detail", partner_page(view=["contact_a", "coordinator", "jugendamt"]), pk="partner_a"),
    route("partners:partner_edit", partner_page(view=["contact_a", "coordinator"], post=200), pk="partner_a"),
    route(
        "partners:partner_submit", partner_page(view=["contact_a", "coordinator"], get=405, post=302), pk="partner_a"
    ),
    route(
        "partners:partner_review",
        partner_page(
            view=["coordinator"], get=405, post=302, denied={"jugendamt": 403, "contact_a": 403, "contact_b": 403}
        ),
        pk="partner_a",
    ),
    route(
        "partners:partner_archive",
        partner_page(
            view=["coordinator"], get=405, post=302, denied={"jugendamt": 403, "contact_a": 403, "contact_b": 403}
        ),
        pk="partner_a",
    ),
    route("audit_log", network_page(["coordinator", "jugendamt"])),
    route("impressum", public()),
    route("datenschutz", public()),
    route("barrierefreiheit", public()),
    route("healthz", public()),
    route("robots_txt", public()),
    route("admin-login-redirect", {"get": statuses(302), "post": statuses(302)}),
    route("partners:contact_privacy", partner_page(view=["coordinator"], denied=STAFF_ONLY), pk="contact_of_a"),
    route("partners:contact_export", partner_page(view=["coordinator"], denied=STAFF_ONLY), pk="contact_of_a"),
    route(
        "partners:contact_anonymise",
        partner_page(view=["coordinator"], get=405, post=200, denied=STAFF_ONLY),
        pk="contact_of_a",
    ),
    route("annual_report", network_page(["coordinator", "jugendamt"])),
    route("annual_report_pdf", network_page(["coordinator", "jugendamt"]), year=2025),
    route("annual_report_csv", network_page(["coordinator", "jugendamt"]), year=2025),
]
UNNAMED = {"admin/login/": "admin-login-redirect"}


def walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            route_text = prefix + str(entry.pattern)
            yield (f"{namespace}{entry.name}" if entry.name else UNNAMED.get(route_text, route_text)), route_text


def project_patterns():
    return list(walk(get_resolver().url_patterns))


def test_every_url_pattern_has_an_entry():
    # apps whose routes need objects of their own (templates, meetings …) keep their matrix beside their tests
    from tests.agreements.test_access_matrix_agreements import MATRIX as AGREEMENT_MATRIX
    from tests.goals.test_access_matrix_goals import MATRIX as GOAL_MATRIX
    from tests.meetings.test_access_matrix_meetings import MATRIX as MEETING_MATRIX
    from tests.partners.test_access_matrix_directory import MATRIX as DIRECTORY_MATRIX

    known = {r.name for r in [*MATRIX, *AGREEMENT_MATRIX, *MEETING_MATRIX, *GOAL_MATRIX, *DIRECTORY_MATRIX]}
    missing = sorted(
        name for name, _ in project_patterns() if not name.startswith(("admin:", "admin/")) and name not in known
    )
    assert missing == [], f"URL patterns without an access-matrix entry: {missing}"
    stale = known - {name for name, _ in project_patterns()}
    assert {name for name, _ in project_patterns() if name.startswith("admin/")} <= {
        *UNNAMED.values(),
        "admin/(?P<url>.*)$",
        *(f"admin/{app}/{model}/<path:object_id>/" for app, model in admin_models()),
    }
    assert stale == set(), f"entries for URLs that no longer exist: {stale}"


def object_pk(world, value):
    """Route arguments that name an object of the world (partner_a …) become its id."""
    if value in {"partner_a", "partner_b"}:
        return getattr(world, value).pk
    if value == "contact_of_a":
        from partners.models import ContactPerson

        return ContactPerson.objects.get_or_create(partner=world.partner_a, name="Erika Muster")[0].pk
    return value


def url_for(r: Route, world, objects: dict | None = None, network=None) -> str:
    """The route's URL; arguments naming an object (`objects` of the app's matrix, or of the world) become its id."""
    if r.name == "admin-login-redirect":
        return "/admin/login/?next=/admin/"
    objects = objects or {}
    kwargs = {
        key: objects[value] if isinstance(value, str) and value in objects else object_pk(world, value)
        for key, value in r.kwargs.items()
    }
    if r.network:
        kwargs["network"] = (network or world.network).slug
    return reverse(r.name, kwargs=kwargs)


def check_route(r: Route, world, login, objects: dict | None = None) -> None:
    """Every persona GETs and POSTs the route; any status other than the matrix says fails, all listed at once."""
    failures = []
    url = url_for(r, world, objects)
    for persona in PERSONAS:
        for method, expected in (("get", r.get[persona]), ("post", r.post[persona])):
            client = login(world.persona(persona))
            response = getattr(client, method)(url)
            if response.status_code != expected:
                failures.append(f"{persona} {method.upper()} {url}: {response.status_code}, expected {expected}")
            if expected == 302 and persona == ANON and response.status_code == 302:
                location = response["Location"]
                if r.get[persona] == 302 and r.name not in {"home", "two_factor_verify", "admin-login-redirect"}:
                    assert location.startswith(reverse("login")), f"{url} sends anonymous to {location}"
    assert failures == []


def check_foreign_network(r: Route, world, login, objects: dict | None = None) -> None:
    """The route under the other network's slug is a 404 for every member of this one."""
    url = url_for(r, world, objects, network=world.other_network)
    for persona in MEMBERS:
        client = login(world.persona(persona))
        assert client.get(url).status_code == 404, (persona, url)
        assert client.post(url).status_code == 404, (persona, url)


@pytest.mark.parametrize("r", MATRIX, ids=lambda r: r.name)
def test_access_matrix(r: Route, world, login):
    check_route(r, world, login)


NETWORK_ROUTES = [r for r in MATRIX if r.network]


@pytest.mark.parametrize("r", NETWORK_ROUTES, ids=lambda r: r.name)
def test_swapping_the_network_gives_404(r: Route, world, login):
    check_foreign_network(r, world, login)


def admin_models() -> list[tuple[str, str]]:
    from django.contrib import admin

    return [(m._meta.app_label, m._meta.model_name) for m in admin.site._registry]


def admin_urls(world) -> list[tuple[str, str]]:
    """Every admin URL with real arguments: the app index per app, object pages for a real object per model."""
    from django.contrib import admin

    objects = {}
    for model in admin.site._registry:
        instance = model._default_manager.order_by("pk").first()
        objects[model._meta.app_label, model._meta.model_name] = instance
    urls = [("admin catch-all", "/admin/gibt-es-nicht/")]
    for (app, model), instance in objects.items():
        if instance is not None:  # the bare object URL redirects to its change page
            urls.append((f"admin/{app}/{model}", f"/admin/{app}/{model}/{instance.pk}/"))
    for name, route_text in project_patterns():
        if not name.startswith("admin:"):
            continue
        short = name.removeprefix("admin:")
        if short == "app_list":
            urls += [(name, reverse(name, kwargs={"app_label": label})) for label in ("praevnet", "partners")]
            continue
        if short == "view_on_site" or short.startswith("autocomplete") or short == "jsi18n":
            continue  # these answer every persona alike (redirect, JSON) and hold no data of their own
        args = re.findall(r"<(?:\w+:)?(\w+)>", route_text)
        if args:
            model_key = next((k for k in objects if short.startswith(f"{k[0]}_{k[1]}_")), None)
            instance = objects.get(model_key)
            if instance is None:
                continue
            urls.append((name, reverse(name, kwargs=dict.fromkeys(args, instance.pk))))
        else:
            urls.append((name, reverse(name)))
    return urls


def test_the_admin_is_for_system_administrators_only(world, login):
    from praevnet.audit import log_action

    log_action(actor=world.coordinator, action="network.update", network=world.network)
    urls = admin_urls(world)
    assert len(urls) > 20
    failures = []
    for name, url in urls:
        for persona in PERSONAS:
            client = login(world.persona(persona))
            get = client.get(url)
            if persona == "admin":
                must_show = name.endswith("_changelist") or name == "admin:index"
                if get.status_code >= 500 or (must_show and get.status_code != 200):
                    failures.append(f"admin GET {url}: {get.status_code}")
                continue
            post = client.post(url)
            for method, response in (("GET", get), ("POST", post)):
                if name == "admin:logout":  # logs the person out of their own session, shows nothing
                    ok = response.status_code == 302
                else:
                    location = response.get("Location", "")
                    ok = response.status_code == 302 and (reverse("login") in location or "/admin/login/" in location)
                if not ok:
                    failures.append(f"{persona} {method} {url}: {response.status_code}")
    assert failures == [], "\n".join(failures)
