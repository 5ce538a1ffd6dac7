"""Parse DATABASE_URL into Django's DATABASES entry (PostgreSQL only, the one database praevnet supports)."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit


class DatabaseUrlError(ValueError):
    pass


def parse_database_url(url: str) -> dict:
    """Return NAME, USER, PASSWORD, HOST, PORT and OPTIONS for a postgres:// or postgresql:// URL.

    A Unix socket directory may be given as `?host=/path` or percent-encoded in the host part.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise DatabaseUrlError(f"DATABASE_URL ist ungültig ({exc}).") from None
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise DatabaseUrlError(
            "DATABASE_URL muss mit postgresql:// beginnen, z. B. postgresql://benutzer:passwort@localhost:5432/praevnet."
        )
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise DatabaseUrlError("DATABASE_URL nennt keine Datenbank (…/praevnet am Ende fehlt).")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    host = query.pop("host", None) or unquote(parts.hostname or "")
    options = {}
    for key in ("sslmode", "sslrootcert", "connect_timeout", "application_name", "options"):
        if key in query:
            options[key] = query.pop(key)
    if query:
        raise DatabaseUrlError(f"DATABASE_URL enthält unbekannte Parameter: {', '.join(sorted(query))}.")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(port) if port else "",
        "OPTIONS": options,
    }


def describe(params: dict) -> str:
    """A human description of where the database is, without the password."""
    host = params["HOST"] or "localhost"
    port = f":{params['PORT']}" if params["PORT"] else ""
    user = f"{params['USER']}@" if params["USER"] else ""
    return f"„{params['NAME']}“ auf {user}{host}{port}"
