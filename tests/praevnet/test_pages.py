import re

import pytest
from django.urls import reverse

from praevnet.models import SiteText


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("impressum", "Impressum"),
        ("datenschutz", "Datenschutzerklärung"),
        ("barrierefreiheit", "Erklärung zur Barrierefreiheit"),
    ],
)
def test_legal_pages_are_public_and_german(client, db, name, heading):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in response.content.decode()


def test_an_installation_sets_its_own_impressum(client, db):
    SiteText.objects.create(key="impressum", body="# Kreis Beispiel\n\nDer Landrat, Musterweg 1 <b>fett</b>")
    html = client.get(reverse("impressum")).content.decode()
    assert "<h1>Kreis Beispiel</h1>" in html
    assert "&lt;b&gt;fett&lt;/b&gt;" in html
    assert "noch kein eigenes Impressum" not in html


def test_every_page_links_the_legal_pages(client, db):
    html = client.get(reverse("login")).content.decode()
    for name in ("impressum", "datenschutz", "barrierefreiheit"):
        assert f'href="{reverse(name)}"' in html


def test_base_has_skip_link_and_local_assets_only(client, db):
    html = client.get(reverse("login")).content.decode()
    assert 'href="#inhalt"' in html and 'id="inhalt"' in html
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    for url in re.findall(r'(?:src|href|action)="([^"]*)"', html):
        assert url.startswith(("/", "#", "mailto:")) or url == "", url


def test_healthz_reports_the_database(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_503_when_the_database_fails(client, db, monkeypatch):
    import psycopg

    class BrokenConnection:
        def cursor(self):
            raise psycopg.OperationalError("server closed the connection")

    monkeypatch.setattr("praevnet.views.connection", BrokenConnection())
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_robots_keep_the_registry_out_of_search_engines(client, db):
    assert client.get("/robots.txt").content == b"User-agent: *\nDisallow: /\n"
