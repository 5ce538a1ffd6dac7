from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect

from praevnet.auth import has_confirmed_device, two_factor_required
from praevnet.queries import prepared

# Pages a logged-in person may reach before the second factor: the 2FA pages themselves, logout, the legal texts.
TWO_FACTOR_EXEMPT = {"two_factor_setup", "two_factor_verify", "logout"}


class SecurityHeadersMiddleware:
    """Headers Django has no setting for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class IdleSessionMiddleware:
    """The session's age (SESSION_COOKIE_AGE) is an idle timeout: every request restarts the clock.

    Django's SESSION_SAVE_EVERY_REQUEST would write the session row and commit it on every page view – a database
    write per click, most of it for nothing. Here a request restarts the clock only when the last restart is at least
    SESSION_REFRESH_SECONDS old: the idle timeout holds to that minute, and a page view within it writes nothing.
    Empty sessions (anonymous visitors) are never touched, so no cookie is set for them.
    """

    KEY = "_praevnet_seen"

    def __init__(self, get_response):
        self.get_response = get_response
        self.refresh = settings.SESSION_REFRESH_SECONDS

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response
        now = int(time.time())
        if session.modified or now - session.get(self.KEY, 0) >= self.refresh:
            session[self.KEY] = now  # modified → SessionMiddleware saves it with a fresh expiry and cookie
        return response


class PreparedPersonMiddleware:
    """Looks up the person of a request (and a verified second factor's device) through prepared statements, just
    before LoginRequiredMiddleware asks for it anyway: by primary key, one plan serves every person."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        with prepared():
            request.user.is_authenticated  # noqa: B018  (evaluates the lazy user here)
        return None


class TwoFactorMiddleware:
    """After the password, ask for the TOTP code: always when the person has set one up, and before anything
    else when their role requires two factors (coordination, Jugendamt, administration)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if getattr(view_func, "login_required", True) is False:  # public pages (login_not_required)
            return None
        match = request.resolver_match
        if match is not None and match.url_name in TWO_FACTOR_EXEMPT:
            return None
        query = urlencode({"next": request.get_full_path()})
        if has_confirmed_device(user):
            return redirect(f"{settings_url('two_factor_verify')}?{query}")
        if two_factor_required(user):
            return redirect(f"{settings_url('two_factor_setup')}?{query}")
        return None


def settings_url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)
