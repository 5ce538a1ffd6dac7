from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect

from praevnet.auth import has_confirmed_device, two_factor_required

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
