"""The project's one WeasyPrint helper: Django template → HTML → PDF.

Every PDF (agreement, protocol, report) is an HTML template under ``templates/pdf/`` that extends
``pdf/base.html`` and is rendered by :func:`render_pdf`. The print stylesheet ``static/css/pdf.css`` and the bundled
Liberation fonts are parsed once per process and reused for every document; so is a document family's own stylesheet
passed as ``stylesheets=`` (e.g. ``css/pdf_meetings.css``), which its templates then link only for the HTML alone.

WeasyPrint may load only our own static and media files (Trust): :func:`safe_url_fetcher` resolves ``/static/…``
and ``/media/…`` to local files and refuses everything else (other hosts, ``file://``, ``ftp:``, paths escaping
the roots). A refused resource is logged at WARNING and left out of the PDF; the document still renders. No
request to any host is ever made.

WeasyPrint is imported lazily (≈0.5 s), so importing this module costs nothing until a PDF is rendered.
"""

from __future__ import annotations

import atexit
import gc
import logging
import mimetypes
import threading
from collections.abc import Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpRequest
from django.template.loader import render_to_string

logger = logging.getLogger("praevnet.pdf")

#: Base URL of every document. Relative and root-relative URLs (``{% static %}`` → ``/static/x``, ``/media/…``)
#: resolve against it; ``.invalid`` (RFC 6761) can never be resolved, so nothing could reach a network anyway.
INTERNAL_BASE_URL = "https://praevnet.invalid/"
_INTERNAL_ORIGIN = ("https", "praevnet.invalid")

#: The print stylesheet every PDF gets (path below STATIC_URL).
STYLESHEET = "css/pdf.css"

#: Inline images only: a data: URL longer than this is refused.
MAX_DATA_URL_LENGTH = 2 * 1024 * 1024

_MIME_TYPES = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


# ---------------------------------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------------------------------

_render_lock = threading.Lock()
_stylesheet_lock = threading.Lock()
_stylesheet_cache: dict[str, Any] = {}
# Drop the FontConfiguration while its libraries are still loaded (its __del__ fails at interpreter teardown).
atexit.register(_stylesheet_cache.clear)


def render_pdf(
    template_name: str,
    context: dict[str, Any] | None = None,
    *,
    request: HttpRequest | None = None,
    stylesheets: Sequence[str] = (),
) -> bytes:
    """Render the Django template ``template_name`` (under ``templates/pdf/``) and return the PDF's bytes.

    ``stylesheets``: further stylesheets (paths below STATIC_URL, e.g. ``"css/pdf_meetings.css"``) applied after
    pdf.css and, like it, parsed once per process. The template sees ``pdf_stylesheet_attached`` and links them only
    when it is rendered as plain HTML.
    """
    context = {**(context or {}), "pdf_stylesheet_attached": True}
    html = render_to_string(template_name, context, request=request)
    return render_pdf_from_html(html, stylesheets=stylesheets)


def render_pdf_from_html(html: str, *, stylesheets: Sequence[str] = ()) -> bytes:
    """Turn an HTML document into PDF bytes with the print stylesheet, the bundled fonts and the safe fetcher."""
    from weasyprint import HTML

    stylesheet, font_config = _stylesheet()
    sheets = [stylesheet, *(_stylesheet(name)[0] for name in stylesheets)]
    document = HTML(string=html, base_url=INTERNAL_BASE_URL, url_fetcher=get_url_fetcher())
    # One FontConfiguration is shared by all renders of the process; Pango/fontconfig state is not made for
    # concurrent use, so renders within a process take turns (gunicorn's sync workers never wait here).
    with _render_lock, _gc_paused():
        return document.write_pdf(stylesheets=sheets, font_config=font_config)


@contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector during one render.

    WeasyPrint allocates hundreds of thousands of small objects for a few pages; the collector would otherwise run
    dozens of times per document (about a tenth of the render time) without finding anything to free. Reference
    counting still frees memory as usual, and the collector runs again right after the render.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _stylesheet(name: str = STYLESHEET):
    """The parsed stylesheet ``name`` (below STATIC_URL; pdf.css by default) and the FontConfiguration holding the
    fonts, built once per process and shared by all stylesheets.

    Re-parsed only when the file changes on disk (a stat per render), so editing it during development needs no
    restart. A document's own ``<link>`` would instead be fetched and parsed again for every PDF.
    """
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    path, absolute_url = _resolve_local(_static_prefix() + name)
    key = (str(path), path.stat().st_mtime_ns)
    with _stylesheet_lock:
        font_config = _stylesheet_cache.get("font_config")
        if font_config is None:
            font_config = _stylesheet_cache["font_config"] = FontConfiguration()
        cached = _stylesheet_cache.get(name)
        if cached is None or cached[0] != key:
            css = CSS(url=absolute_url, url_fetcher=get_url_fetcher(), font_config=font_config)
            cached = _stylesheet_cache[name] = (key, css)
        return cached[1], font_config


# ---------------------------------------------------------------------------------------------------------------------
# URL fetcher: our static and media files, small data: URLs, nothing else
# ---------------------------------------------------------------------------------------------------------------------


def safe_url_fetcher(url: str, timeout: float = 10, ssl_context=None):
    """Fetch ``url`` for WeasyPrint from our own static or media files; refuse anything else with ValueError.

    Allowed: ``/static/…`` (found by the staticfiles finders or under STATIC_ROOT), ``/media/…`` (under MEDIA_ROOT),
    both also as ``https://praevnet.invalid/…`` (the internal base URL), and ``data:`` URLs. ``timeout`` and
    ``ssl_context`` exist for WeasyPrint's fetcher signature; nothing here goes to a network.

    Returns what the installed WeasyPrint expects: a ``URLFetcherResponse`` (WeasyPrint ≥ 68), else a dict.
    """
    if url[:5].lower() == "data:":
        return _fetch_data_url(url, timeout)
    try:
        path, absolute_url = _resolve_local(url)
    except ValueError as exc:
        logger.warning("PDF: Ressource abgelehnt: %s (%s)", _shorten(url), exc)
        raise
    body = path.read_bytes()
    mime_type = _MIME_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    response_class = _response_class()
    if response_class is None:  # WeasyPrint < 68: fetchers return a dict
        encoding = "utf-8" if mime_type.startswith("text/") else None
        return {"string": body, "mime_type": mime_type, "encoding": encoding, "redirected_url": absolute_url}
    if mime_type.startswith("text/"):
        mime_type += "; charset=utf-8"
    return response_class(absolute_url, body, {"Content-Type": mime_type})


@cache
def get_url_fetcher():
    """What to pass as ``url_fetcher=`` to WeasyPrint: an instance of a ``URLFetcher`` subclass (WeasyPrint ≥ 68,
    which accepts nothing else) that defers to :func:`safe_url_fetcher`, or a plain function on older versions."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # pragma: no cover - WeasyPrint < 68

        def fetcher(url, timeout=10, ssl_context=None):
            return safe_url_fetcher(url, timeout, ssl_context)

        return fetcher

    class SafeURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            return safe_url_fetcher(url)

        def __call__(self, url, timeout=10, ssl_context=None):
            return safe_url_fetcher(url, timeout, ssl_context)

    # The inherited urllib machinery is only reachable for data: URLs (see _fetch_data_url); no redirects, no
    # other protocols even if it were reached some other way.
    return SafeURLFetcher(allowed_protocols=("data",), allow_redirects=False)


@cache
def _response_class():
    try:
        from weasyprint.urls import URLFetcherResponse
    except ImportError:  # pragma: no cover - WeasyPrint < 68
        return None
    return URLFetcherResponse


def _fetch_data_url(url: str, timeout: float):
    if len(url) > MAX_DATA_URL_LENGTH:
        exc = ValueError(f"Eingebettete data:-Ressource ist größer als {MAX_DATA_URL_LENGTH} Zeichen.")
        logger.warning("PDF: Ressource abgelehnt: %s (%s)", _shorten(url), exc)
        raise exc
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # pragma: no cover - WeasyPrint < 68
        from weasyprint import default_url_fetcher

        return default_url_fetcher(url, timeout=timeout)
    return URLFetcher(timeout=timeout, allowed_protocols=("data",), allow_redirects=False).fetch(url)


def _resolve_local(url: str) -> tuple[Path, str]:
    """Map an allowed URL to ``(local file, absolute internal URL)``; ValueError for anything else."""
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    internal = (scheme, host) == _INTERNAL_ORIGIN and parts.port is None and parts.username is None
    if (scheme or parts.netloc) and not internal:
        source = f"vom Host {parts.netloc}" if parts.netloc else f"über {scheme}:"
        raise ValueError(
            f"PDFs dürfen nur eigene Dateien unter {_static_prefix()} und {_media_prefix()} laden, nichts {source}."
        )
    path = unquote(parts.path)
    if not path.startswith("/") or "\\" in path or "\x00" in path:
        raise ValueError("Ungültiger Pfad.")
    if any(segment in {".", ".."} for segment in path.split("/")):
        raise ValueError("Pfade mit „.“ oder „..“ sind nicht erlaubt.")

    static_prefix, media_prefix = _static_prefix(), _media_prefix()
    if path.startswith(static_prefix):
        file = _static_file(path.removeprefix(static_prefix))
    elif path.startswith(media_prefix):
        file = _file_below(Path(settings.MEDIA_ROOT), path.removeprefix(media_prefix))
    else:
        raise ValueError(f"Nur Dateien unter {static_prefix} und {media_prefix} sind erlaubt.")
    if file is None:
        raise ValueError("Datei nicht gefunden oder außerhalb des erlaubten Verzeichnisses.")
    return file, INTERNAL_BASE_URL.rstrip("/") + parts.path


def _static_file(relative: str) -> Path | None:
    if relative:
        try:
            found = finders.find(relative)
        except SuspiciousFileOperation:
            return None
        if found:
            roots = [Path(root) for root in _static_roots()]
            candidate = Path(found).resolve()
            if candidate.is_file() and any(candidate.is_relative_to(root.resolve()) for root in roots):
                return candidate
    if settings.STATIC_ROOT:
        return _file_below(Path(settings.STATIC_ROOT), relative)
    return None


def _static_roots() -> list[str]:
    """The folders the configured staticfiles finders search (STATICFILES_DIRS and the apps' static/)."""
    roots = []
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(location)
    return roots


def _file_below(root: Path, relative: str) -> Path | None:
    """``root / relative`` if it is a file inside ``root`` once symlinks are resolved, else None."""
    if not relative:
        return None
    root = root.resolve()
    candidate = (root / relative).resolve()
    if candidate.is_relative_to(root) and candidate.is_file():
        return candidate
    return None


def _static_prefix() -> str:
    return "/" + urlsplit(settings.STATIC_URL).path.strip("/") + "/"


def _media_prefix() -> str:
    return "/" + urlsplit(settings.MEDIA_URL).path.strip("/") + "/"


def _shorten(url: str) -> str:
    return url if len(url) <= 120 else url[:117] + "…"
