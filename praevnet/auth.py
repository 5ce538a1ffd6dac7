"""Login protection: who needs a second factor, throttling of failed logins, and the login audit trail."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import connection
from django.dispatch import receiver
from django.shortcuts import render
from django_otp import device_classes

from praevnet import access
from praevnet.audit import log_action
from praevnet.models import NetworkRole
from praevnet.queries import prepared

STAFF_ROLES = {NetworkRole.Role.COORDINATOR, NetworkRole.Role.JUGENDAMT}


def two_factor_required(user) -> bool:
    """Coordinators, Jugendamt staff and administrators must log in with a second factor."""
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return any(role.role in STAFF_ROLES for role in access.roles_of(user).values())


def has_confirmed_device(user) -> bool:
    """Whether the user has set up a second factor (an app or backup codes), in one query over every device type.

    Asked on every page of a person without a verified second factor (partners, above all). django_otp's
    user_has_device asks each device model in turn, a query each; the ORM took longer to build one union of them
    than PostgreSQL to answer it, so the EXISTS is written out for the device tables (each a django_otp Device:
    ``user`` and ``confirmed``).
    """
    if not user.is_authenticated:
        return False
    sql, tables = _device_sql()
    with prepared(), connection.cursor() as cursor:
        cursor.execute(sql, [user.pk] * tables)
        return cursor.fetchone()[0]


@cache
def _device_sql() -> tuple[str, int]:
    """The query and its number of device tables (django_otp's installed device models, fixed per process)."""
    quote = connection.ops.quote_name
    found = [
        f"EXISTS (SELECT 1 FROM {quote(model._meta.db_table)} WHERE {quote(model._meta.get_field('user').column)} = %s"
        f" AND {quote(model._meta.get_field('confirmed').column)})"
        for model in device_classes()
    ]
    return f"SELECT {' OR '.join(found)}", len(found)


def client_ip(request) -> str:
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", "")


def axes_username(request, credentials) -> str:
    """Count failures per e-mail address regardless of its spelling (Anna@… and anna@… are one account)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(username).strip().lower()[:254]  # axes stores it in a varchar(255)


def locked_out(request, credentials, *args, **kwargs):
    """django-axes calls this when an account/IP pair is locked: a calm German page with status 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


# Django's login view offers no other hook than these signals; they only record, they decide nothing.
@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs):
    log_action(actor=user, action="auth.login", obj=user, data={"ip": client_ip(request)})


@receiver(user_logged_out)
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        log_action(actor=user, action="auth.logout", obj=user, data={"ip": client_ip(request)})


@receiver(user_login_failed)
def _audit_login_failed(sender, credentials, request=None, **kwargs):
    email = (credentials or {}).get("username", "")
    data = {"email": str(email)[:200]}
    if request is not None:
        data["ip"] = client_ip(request)
    log_action(actor=None, action="auth.login_failed", data=data)
