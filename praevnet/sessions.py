"""Django's database sessions, loaded through a prepared statement (SESSION_ENGINE = "praevnet.sessions")."""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

from praevnet.queries import prepared


class SessionStore(DatabaseSessionStore):
    """The same table and rows as ``django.contrib.sessions.backends.db``; only the lookup every request makes is
    prepared (by session key: one plan for every key)."""

    def _get_session_from_db(self):
        with prepared(self.model.objects.db):
            return super()._get_session_from_db()
