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
