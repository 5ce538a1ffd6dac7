"""Sending e-mail: one template triple per message, so every app's mails look and behave the same."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def send_email(name: str, *, to: list[str], context: dict, attachments: list[tuple[str, bytes, str]] = ()) -> None:
    """One e-mail from templates/emails/<name>_subject.txt, .txt and .html; addresses are de-duplicated.

    Call it from `transaction.on_commit` in services, never inside a transaction that may still roll back.
    """
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    context = {**context, "site_name": settings.SITE_NAME, "site_url": settings.SITE_URL}
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    message = EmailMultiAlternatives(subject, render_to_string(f"emails/{name}.txt", context), to=recipients)
    message.attach_alternative(render_to_string(f"emails/{name}.html", context), "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()
