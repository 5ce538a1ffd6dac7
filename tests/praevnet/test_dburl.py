import pytest

from praevnet.dburl import DatabaseUrlError, describe, parse_database_url


def test_it_parses_a_tcp_url():
    params = parse_database_url("postgresql://app:g%40heim@db.example:5433/praevnet?sslmode=require")
    assert params["NAME"] == "praevnet"
    assert params["USER"] == "app"
    assert params["PASSWORD"] == "g@heim"
    assert params["HOST"] == "db.example"
    assert params["PORT"] == "5433"
    assert params["OPTIONS"] == {"sslmode": "require"}


def test_it_parses_a_unix_socket_given_as_host_parameter():
    params = parse_database_url("postgresql://postgres@/praevnet?host=/srv/app/.data/pg")
    assert params["HOST"] == "/srv/app/.data/pg"
    assert params["PORT"] == ""


def test_it_accepts_the_postgres_scheme_alias():
    assert parse_database_url("postgres://u@localhost/x")["NAME"] == "x"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u@localhost/x", "postgresql://"),
        ("postgresql://u@localhost/", "keine Datenbank"),
        ("postgresql://u@localhost:99999/x", "ungültig"),
        ("postgresql://u@localhost/x?foo=1", "unbekannte Parameter: foo"),
    ],
)
def test_it_rejects_bad_urls_in_german(url, message):
    with pytest.raises(DatabaseUrlError, match=message):
        parse_database_url(url)


def test_description_never_contains_the_password():
    text = describe(parse_database_url("postgresql://app:supersecret@db:5432/praevnet"))
    assert "supersecret" not in text
    assert text == "„praevnet“ auf app@db:5432"


def test_server_options_pass_through_and_replace_the_planner_default(settings):
    params = parse_database_url("postgres://app@db.example/praevnet?options=-c%20random_page_cost%3D2")
    assert params["OPTIONS"] == {"options": "-c random_page_cost=2"}
    # without them, settings.py tells PostgreSQL that reading by index is cheap (data in memory or on SSD)
    assert settings.DATABASES["default"]["OPTIONS"]["options"] == "-c random_page_cost=1.1"


def test_the_planner_setting_reaches_the_server(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
