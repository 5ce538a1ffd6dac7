"""Random data posted to every form: never a 500, never a half-saved object."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

nasty_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "0",
            "-1",
            "9" * 40,
            "2026-02-30",
            "25:99",
            "<script>",
            "' OR 1=1 --",
            "ü" * 5000,
            "\u202e",
            "\ud7ff",
            "%00",
            "../../etc/passwd",
            "NaN",
            "1e309",
        ]
    ),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(lambda d: d.isoformat()),
)


def payload(fields: list[str]):
    return st.fixed_dictionaries({}, optional=dict.fromkeys(fields, nasty_text)).flatmap(
        lambda data: st.dictionaries(st.text(max_size=10), nasty_text, max_size=3).map(lambda extra: {**extra, **data})
    )


# (url name, kwargs, persona, field names of the form)
FORMS = [
    ("login", {}, "anonymous", ["username", "password", "next"]),
    ("password_reset", {}, "anonymous", ["email"]),
    (
        "password_reset_confirm",
        {"uidb64": "MQ", "token": "set-password"},
        "anonymous",
        ["new_password1", "new_password2"],
    ),
    ("account", {}, "contact_a", ["title", "first_name", "last_name", "phone"]),
    ("password_change", {}, "contact_a", ["old_password", "new_password1", "new_password2"]),
    ("two_factor_setup", {}, "contact_a", ["code", "next"]),
    ("two_factor_verify", {}, "contact_b", ["code", "next"]),
    (
        "partners:network_edit",
        {"network": "musterstadt"},
        "coordinator",
        [
            "jugendamt",
            "focus",
            "since",
            "leitbild",
            "contact_email",
            "contact_phone",
            "meeting_place",
            "meeting_weekday",
            "meeting_start",
            "meeting_minutes",
            "meeting_rhythm",
        ],
    ),
]
FUZZ_EXAMPLES = 60


@pytest.mark.parametrize(("name", "kwargs", "persona", "fields"), FORMS, ids=[f[0] for f in FORMS])
def test_random_posts_never_cause_a_server_error(world, login, name, kwargs, persona, fields):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=world.contact_b, name="App", confirmed=True)
    client = login(world.persona(persona))
    url = reverse(name, kwargs=kwargs)

    @settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(data=payload(fields))
    def post(data):
        response = client.post(url, data)
        assert response.status_code < 500, (data, response.status_code)

    post()


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(params=payload(["action", "actor_label", "since", "until", "page", "sort"]))
def test_random_filter_parameters_never_cause_a_server_error(params, world_for_filters):
    response = world_for_filters.get(reverse("audit_log", kwargs={"network": "musterstadt"}), params)
    assert response.status_code < 500, params


@pytest.fixture
def world_for_filters(world, login):
    return login(world.coordinator)


@pytest.mark.parametrize(
    ("name", "kwargs", "persona", "data"),
    [
        ("login", {}, "anonymous", {"username": "a\x00b@x.example", "password": "x\x00"}),
        ("password_reset", {}, "anonymous", {"email": "a\x00b@x.example"}),
        ("account", {}, "contact_a", {"first_name": "An\x00na", "last_name": "B", "phone": "\x00"}),
        (
            "partners:network_edit",
            {"network": "musterstadt"},
            "coordinator",
            {"jugendamt": "\x00", "meeting_place": "\x00"},
        ),
        ("two_factor_setup", {}, "contact_a", {"code": "12\x0034"}),
    ],
)
def test_nul_characters_are_refused_not_crashed_on(world, login, name, kwargs, persona, data):
    response = login(world.persona(persona)).post(reverse(name, kwargs=kwargs), data)
    assert response.status_code in {200, 302, 429}


def test_an_overlong_login_name_is_a_form_error_not_a_crash(client, db):
    """Found by the fuzzer: django-axes stores the name of a failed login in a varchar(255)."""
    response = client.post(reverse("login"), {"username": "a" * 300 + "@x.example", "password": "x"})
    assert response.status_code == 200
    assert "höchstens 254 Zeichen" in response.content.decode()
