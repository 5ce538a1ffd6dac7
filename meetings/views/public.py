"""The reply link from the invitation e-mail: answer without logging in (like the agreement signing link).

The link carries 256 random bits; only their SHA-256 is stored. Each new e-mail to a seat (invitation, change)
replaces its link; a link works until the meeting begins and can be used again to change the answer until then.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from meetings import services
from meetings.forms import ReplyForm
from meetings.models import Participant
from meetings.views import FORM_ERRORS, add_errors


def _invalid(request, error: services.InvalidReplyLink):
    return render(
        request,
        "meetings/reply_invalid.html",
        {"message": str(error), "network": error.network, "status": error.status},
        status=error.status,
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def meeting_reply_link(request, token: str):
    try:
        seat = services.seat_for_token(token)
    except services.InvalidReplyLink as error:
        return _invalid(request, error)
    meeting = seat.meeting
    network = meeting.body.network
    closed = ""
    try:
        services._check_reply_possible(meeting)
    except services.MeetingError as error:
        closed = str(error)
    form = ReplyForm(
        request.POST or None, initial={"reply": seat.reply if seat.reply != Participant.Reply.OPEN else None}
    )
    done = False
    if request.method == "POST" and not closed and form.is_valid():
        try:
            seat = services.participant_reply(
                participant=seat,
                actor=request.user,
                reply=form.cleaned_data["reply"],
                substitute=form.cleaned_data["substitute"],
                via="link",
            )
        except FORM_ERRORS as error:
            add_errors(form, error)
        else:
            done = True
    status = 200
    if request.method == "POST" and closed:
        status = 409
    return render(
        request,
        "meetings/reply_public.html",
        {
            "seat": seat,
            "meeting": meeting,
            "network": network,
            "form": form,
            "closed": closed,
            "done": done,
            "items": meeting.items.order_by("number"),
        },
        status=status,
    )
