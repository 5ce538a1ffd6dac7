"""The one WeasyPrint helper: text and fonts in the PDF, page footer, and a fetcher that loads only our own files."""

import io
import logging
import socket
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.template.loader import render_to_string
from fontTools.ttLib import TTFont
from PIL import Image
from pypdf import PdfReader

from praevnet import pdf

DOCUMENT = """{% extends "pdf/base.html" %}
{% block title %}Kooperationsvereinbarung{% endblock %}
{% block footer %}Kooperationsvereinbarung „Frühe Hilfen Musterstadt“ · Stand 24.11.2025{% endblock %}
{% block content %}
  <h1>Kooperationsvereinbarung</h1>
  <p>Die Größe der Übergänge: {{ sentence }}</p>
  <table class="audit-log"><thead><tr><th>Ereignis</th><th>Prüfsumme</th></tr></thead>
    <tbody><tr><td>Unterschrift</td><td class="hash">9f86d081884c7d659a2feaa0c55ad015</td></tr></tbody></table>
  {% if second_page %}<p class="page-break">Zweite Seite: Öffnungszeiten</p>{% endif %}
  {% for src in images %}<img src="{{ src }}" alt="">{% endfor %}
  {{ extra_html|safe }}
{% endblock %}
"""


@pytest.fixture
def pdf_templates(settings, tmp_path):
    """A template folder of the test's own (pdf/doc.html extends the real pdf/base.html)."""
    folder = tmp_path / "templates"
    (folder / "pdf").mkdir(parents=True)
    (folder / "pdf" / "doc.html").write_text(DOCUMENT, encoding="utf-8")
    settings.TEMPLATES = [
        {**django_settings.TEMPLATES[0], "DIRS": [folder, *django_settings.TEMPLATES[0]["DIRS"]]},
    ]
    return folder


@pytest.fixture
def no_network(monkeypatch):
    """Record every attempt to resolve a name, open a socket or use urllib; the test asserts the list stays empty.

    (Raising would not do: WeasyPrint swallows a fetcher's exceptions and only logs them.)
    """
    attempts = []

    def refuse(name):
        def _refuse(*args, **kwargs):
            attempts.append((name, args))
            raise OSError(f"no network in tests: {name}")

        return _refuse

    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(urllib.request, "urlopen", refuse("urlopen"))
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse("OpenerDirector.open"))
    return attempts


def body(response) -> bytes:
    """A fetcher response's content: URLFetcherResponse (WeasyPrint ≥ 68) or the older dict."""
    if isinstance(response, dict):
        return response["string"] if "string" in response else response["file_obj"].read()
    return response.read()


def mime_type(response) -> str:
    return response["mime_type"] if isinstance(response, dict) else response.content_type


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def embedded_fonts(data: bytes) -> dict[str, TTFont]:
    fonts = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
    return fonts


# ---------------------------------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------------------------------


def test_text_with_umlauts_and_quotes_is_in_the_pdf(pdf_templates):
    data = pdf.render_pdf("pdf/doc.html", {"sentence": "Straße, „Anführungszeichen“ – fertig."})

    assert data.startswith(b"%PDF-")
    (text,) = pdf_text(data)
    assert "Kooperationsvereinbarung" in text
    assert "Die Größe der Übergänge: Straße, „Anführungszeichen“ – fertig." in text
    assert "9f86d081884c7d659a2feaa0c55ad015" in text
    assert "Seite 1 von 1" in text
    assert PdfReader(io.BytesIO(data)).metadata.title == "Kooperationsvereinbarung"


def test_the_bundled_liberation_fonts_are_embedded_not_system_fonts(pdf_templates):
    fonts = embedded_fonts(pdf.render_pdf("pdf/doc.html", {"sentence": "Text"}))

    names = [name.split("+")[-1].replace("-", "") for name in fonts]
    assert any(name.startswith("LiberationSans") for name in names), names
    assert any(name.startswith("LiberationMono") for name in names), names  # the hash column
    assert all(name.startswith(("LiberationSans", "LiberationMono")) for name in names), names
    # static/fonts holds Liberation 2.1.5; Debian's fonts-liberation package is 1.07 – the PDF has ours.
    for name, font in fonts.items():
        assert font["head"].fontRevision >= 2, name


def test_fonts_and_stylesheet_load_through_the_safe_fetcher(pdf_templates, monkeypatch):
    fetched = []
    real_fetcher = pdf.safe_url_fetcher

    def spy(url, *args, **kwargs):
        fetched.append(url)
        return real_fetcher(url, *args, **kwargs)

    monkeypatch.setattr(pdf, "safe_url_fetcher", spy)
    monkeypatch.setattr(pdf, "_stylesheet_cache", {})  # a fresh process: parse pdf.css and load the fonts again

    pdf.render_pdf("pdf/doc.html", {"sentence": "Text"})

    base = pdf.INTERNAL_BASE_URL + "static/"
    assert fetched[0] == base + "css/pdf.css"
    assert base + "fonts/LiberationSans-Regular.ttf" in fetched
    assert base + "fonts/LiberationSans-Bold.ttf" in fetched
    assert base + "fonts/LiberationMono-Regular.ttf" in fetched


def test_the_stylesheet_is_parsed_once_and_reused(pdf_templates):
    pdf.render_pdf("pdf/doc.html", {"sentence": "eins"})
    first = pdf._stylesheet()
    pdf.render_pdf("pdf/doc.html", {"sentence": "zwei"})

    assert pdf._stylesheet()[0] is first[0]
    assert pdf._stylesheet()[1] is first[1]


def test_footer_counts_pages_and_repeats_the_left_slot(pdf_templates):
    pages = pdf_text(pdf.render_pdf("pdf/doc.html", {"sentence": "Text", "second_page": True}))

    assert len(pages) == 2
    assert "Seite 1 von 2" in pages[0]
    assert "Seite 2 von 2" in pages[1]
    assert "Zweite Seite: Öffnungszeiten" in pages[1]
    for page in pages:
        assert "Kooperationsvereinbarung „Frühe Hilfen Musterstadt“ · Stand 24.11.2025" in page


def test_letterhead_shows_network_and_a_logo_from_media(pdf_templates, settings):
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (40, 20), "navy").save(media / "logo.png")

    class Network:
        name = "Frühe Hilfen Musterstadt"
        region = "Kreis Beispiel"

    data = pdf.render_pdf("pdf/doc.html", {"sentence": "Text", "network": Network, "logo_url": "/media/logo.png"})

    assert "Frühe Hilfen Musterstadt" in pdf_text(data)[0]
    images = [image for page in PdfReader(io.BytesIO(data)).pages for image in page.images]
    assert len(images) == 1


def test_html_alone_links_the_stylesheet_but_render_pdf_attaches_the_parsed_one(pdf_templates):
    assert '<link rel="stylesheet" href="/static/css/pdf.css">' in render_to_string("pdf/doc.html")
    html = render_to_string("pdf/doc.html", {"pdf_stylesheet_attached": True})
    assert "pdf.css" not in html


def test_an_external_image_is_left_out_without_any_network_request(pdf_templates, no_network, caplog):
    extra = """
      <link rel="stylesheet" href="https://cdn.example/y.css">
      <style>@import url("https://fonts.googleapis.com/css?family=Roboto");
             h1 { background: url(//tracker.example/pixel.gif); }</style>
      <img src="file:///etc/passwd"><img src="/media/../../etc/passwd">
    """
    with caplog.at_level(logging.WARNING, logger="praevnet.pdf"):
        data = pdf.render_pdf(
            "pdf/doc.html", {"sentence": "trotzdem da", "images": ["http://example.com/x.png"], "extra_html": extra}
        )

    assert "Die Größe der Übergänge: trotzdem da" in pdf_text(data)[0]
    assert no_network == []
    refused = " ".join(r.getMessage() for r in caplog.records if r.name == "praevnet.pdf")
    for url in ("http://example.com/x.png", "file:///etc/passwd", "//tracker.example/pixel.gif"):
        assert url.removeprefix("//") in refused
    assert all(r.levelno == logging.WARNING for r in caplog.records if r.name == "praevnet.pdf")


# ---------------------------------------------------------------------------------------------------------------------
# The fetcher
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/x.png",
        "https://cdn.example/y.css",
        "file:///etc/passwd",
        "/media/../../etc/passwd",
        "/static/../settings.py",
        "/static/%2e%2e/praevnet/settings.py",
        "/static/..%2f..%2fpraevnet/settings.py",
        "/media/%2e%2e/x",
        "//evil.example/static/css/pdf.css",
        "https://praevnet.invalid:8443/static/css/pdf.css",
        "https://user@praevnet.invalid/static/css/pdf.css",
        "ftp://example.com/file.txt",
        "javascript:alert(1)",
        "/etc/passwd",
        "/static/",
        "/static/css/gibt-es-nicht.css",
        "/media/fehlt.png",
        "praevnet/settings.py",
    ],
)
def test_fetcher_refuses_everything_but_our_files(url, no_network, caplog):
    with caplog.at_level(logging.WARNING, logger="praevnet.pdf"), pytest.raises(ValueError):
        pdf.safe_url_fetcher(url)

    assert [r.levelno for r in caplog.records if r.name == "praevnet.pdf"] == [logging.WARNING]
    assert no_network == []


def test_fetcher_refuses_a_symlink_out_of_media_root(settings, tmp_path):
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    secret = tmp_path / "geheim.txt"
    secret.write_text("geheim")
    (media / "link.txt").symlink_to(secret)
    (media / "ordner").symlink_to(tmp_path)

    for url in ("/media/link.txt", "/media/ordner/geheim.txt"):
        with pytest.raises(ValueError):
            pdf.safe_url_fetcher(url)


def test_fetcher_returns_the_stylesheet_and_media_files(settings):
    media = Path(settings.MEDIA_ROOT)
    (media / "netzwerke").mkdir(parents=True)
    (media / "netzwerke" / "Logo Süd.svg").write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'/>")

    stylesheet = pdf.safe_url_fetcher("/static/css/pdf.css")
    assert b"@font-face" in body(stylesheet)
    assert mime_type(stylesheet) == "text/css"

    for url in ("/media/netzwerke/Logo%20S%C3%BCd.svg", "https://praevnet.invalid/media/netzwerke/Logo%20S%C3%BCd.svg"):
        logo = pdf.safe_url_fetcher(url)
        assert body(logo) == b"<svg xmlns='http://www.w3.org/2000/svg'/>"
        assert mime_type(logo) == "image/svg+xml"


def test_fetcher_serves_collected_static_files_from_static_root(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    (settings.STATIC_ROOT / "css").mkdir(parents=True)
    (settings.STATIC_ROOT / "css" / "pdf.0123abcd.css").write_text("p { color: black }")

    assert body(pdf.safe_url_fetcher("/static/css/pdf.0123abcd.css")) == b"p { color: black }"


def test_fetcher_accepts_small_data_urls_only():
    pixel = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    assert body(pdf.safe_url_fetcher(pixel)).startswith(b"\x89PNG")

    with pytest.raises(ValueError):
        pdf.safe_url_fetcher("data:text/plain," + "x" * pdf.MAX_DATA_URL_LENGTH)


def test_weasyprint_gets_a_fetcher_it_accepts():
    from weasyprint import HTML

    fetcher = pdf.get_url_fetcher()
    html = HTML(string="<p>Hallo</p>", base_url=pdf.INTERNAL_BASE_URL, url_fetcher=fetcher)
    assert html.url_fetcher is fetcher
    assert body(fetcher("/static/css/pdf.css")).startswith(b"/*")
