"""Workflows on accounts and roles. Views, admin and commands call these, never write models directly."""

from __future__ import annotations

from django.db import transaction

from praevnet.audit import changes, log_action, snapshot
from praevnet.models import User

PROFILE_FIELDS = ["title", "first_name", "last_name", "phone"]


@transaction.atomic
def user_update_profile(*, user: User, actor: User, data: dict) -> User:
    """Change a person's own name, title and phone number."""
    before = snapshot(user, PROFILE_FIELDS)
    for name in PROFILE_FIELDS:
        if name in data:
            setattr(user, name, data[name])
    user.full_clean(exclude=["password"])
    user.save(update_fields=PROFILE_FIELDS)
    diff = changes(user, PROFILE_FIELDS, before)
    if diff:
        log_action(actor=actor, action="user.update_profile", obj=user, data=diff)
    return user


BACKUP_CODE_COUNT = 10


@transaction.atomic
def two_factor_enable(*, user: User, device, token: str) -> list[str] | None:
    """Confirm a pending TOTP device with its first code; return fresh one-time backup codes, or None if wrong."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    type(device).objects.filter(user=user).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=user).delete()
    backup = StaticDevice.objects.create(user=user, name="Notfallcodes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=backup, token=code) for code in codes])
    log_action(actor=user, action="auth.2fa_enable", obj=user)
    return codes


@transaction.atomic
def two_factor_disable(*, user: User, actor: User) -> None:
    """Remove every second factor of a person (their own choice, or an administrator's reset)."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    log_action(actor=actor, action="auth.2fa_disable", obj=user)
