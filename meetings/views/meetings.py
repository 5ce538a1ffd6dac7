"""Meetings: list, page, edit, cancel, invite, replies in the app, agenda (TOPs), calendar file and PDFs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from meetings import documents, permissions, selectors, services
from meetings.forms import AgendaItemForm, CancelForm, CommentForm, MeetingForm, ReplyForm
from meetings.ics import ics_filename, meeting_ics
from meetings.models import AgendaItem, Meeting, Participant
from meetings.tables import MeetingTable
from meetings.views import FORM_ERRORS, add_errors, error_text
from meetings.views.bodies import _methods, conflict_text
from partners.models import Network
from praevnet.access import Perm, method_checked, network_view, only
from praevnet.files import attachment_response


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@method_checked
@network_view(Perm.VIEW_NETWORK)
def meeting_list(request, network: Network):
    only(request, "GET")
    bodies = permissions.visible_bodies(request.user, network)
    now = services.clock.now()
    meetings = permissions.visible_meetings(request.user, network)
    upcoming = meetings.filter(ends_at__gte=now).order_by("starts_at")
    past = meetings.filter(ends_at__lt=now).order_by("-starts_at")
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "network": network,
            "upcoming": MeetingTable(upcoming, network=network, prefix="k-", orderable=False),
            "past": MeetingTable(past, network=network, prefix="v-", orderable=False),
            "bodies": bodies.order_by("kind", "name"),
            "may_manage": permissions.may_manage(request.user, network),
        },
    )


def _seat_rows(participants: list[Participant]) -> list[Participant]:
    return sorted(participants, key=lambda p: (p.is_guest, p.organisation.casefold(), p.name.casefold()))


@method_checked
@network_view(Perm.VIEW_NETWORK)
def meeting_detail(request, network: Network, pk: int):
    """The meeting page; its number of queries does not grow with the number of participants or TOPs."""
    meeting = permissions.get_meeting_or_404(request.user, network, pk)
    only(request, "GET")
    user = request.user
    participants = _seat_rows(list(meeting.participants.select_related("partner")))
    own_partner = permissions.access.own_partner(user, network)
    own_seat = next(
        (p for p in participants if own_partner and p.partner_id == own_partner.pk and not p.is_guest), None
    )
    may_write = permissions.may_write_protocol(user, network)
    staff = permissions.sees_all_bodies(user, network)
    actions = list(meeting.action_items.select_related("responsible_partner", "agenda_item"))
    recommendations = list(meeting.recommendations.select_related("agenda_item"))
    show_protocol = meeting.protocol_state != Meeting.ProtocolState.DRAFT or may_write or staff
    context = {
        "network": network,
        "meeting": meeting,
        "body": meeting.body,
        "items": documents.group_by_item(
            list(meeting.items.select_related("presenter_partner", "presenter_member__partner")),
            recommendations,
            actions,
        ),
        "participants": participants,
        "groups": documents.attendance_groups(participants),
        "reply_counts": {value: sum(1 for p in participants if p.reply == value) for value in Participant.Reply.values},
        "open_actions": list(selectors.open_actions_before(meeting)),
        "actions": actions,
        "recommendations": recommendations,
        "comments": list(meeting.comments.order_by("created")) if show_protocol else [],
        "show_protocol": show_protocol,
        "own_seat": own_seat,
        "reply_form": ReplyForm(initial={"reply": own_seat.reply if own_seat and own_seat.reply != "offen" else None})
        if own_seat and not meeting.is_past and not meeting.is_cancelled
        else None,
        "comment_form": CommentForm()
        if meeting.protocol_state == Meeting.ProtocolState.REVIEW
        and (meeting.comments_until is None or services.clock.today() <= meeting.comments_until)
        and permissions.may_comment(user, meeting)
        else None,
        "may_manage": permissions.may_manage(user, network),
        "may_write": may_write,
        "may_attend": permissions.may_record_attendance(user, network),
        "staff": staff,
        "conflicts": services.place_conflicts(meeting) if staff and not meeting.is_cancelled else [],
        "now": services.clock.now(),
        "protocol_day_reached": services.local_day(meeting.starts_at) <= services.clock.today(),
    }
    return render(request, "meetings/meeting_detail.html", context)


@method_checked
@network_view(Perm.MANAGE_MEETINGS)
def meeting_edit(request, network: Network, pk: int):
    meeting = permissions.get_meeting_or_404(request.user, network, pk)
    _methods(request, "GET", "POST")
    if meeting.is_cancelled or meeting.is_approved:
        messages.error(
            request, "Diese Sitzung ist abgesagt oder ihr Protokoll genehmigt; sie kann nicht mehr geändert werden."
        )
        return redirect("meetings:meeting_detail", network=network.slug, pk=meeting.pk)
    form = MeetingForm(request.POST or None, instance=Meeting.objects.get(pk=meeting.pk))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.MEETING_FIELDS}
        try:
            old_sequence = meeting.sequence
            meeting = services.meeting_update(meeting=meeting, actor=request.user, data=data)
        except FORM_ERRORS as error:
            add_errors(form, error)
        else:
            text = "Die Sitzung ist gespeichert."
            if meeting.sequence != old_sequence:
                text += " Alle Eingeladenen erhalten einen aktualisierten Kalendereintrag."
            messages.success(request, text)
            for other in services.place_conflicts(meeting):
                messages.warning(request, conflict_text(other))
            return redirect("meetings:meeting_detail", network=network.slug, pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {"network": network, "body": meeting.body, "form": form, "meeting": meeting},
    )


@method_checked
@network_view(Perm.MANAGE_MEETINGS)
def meeting_cancel(request, network: Network, pk: int):
    meeting = permissions.get_meeting_or_404(request.user, network, pk)
    _methods(request, "GET", "POST")
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(meeting=meeting, actor=request.user, reason=form.cleaned_data["reason"])
        except FORM_ERRORS as error:
            add_errors(form, error)
        else:
            messages.success(request, "Die Sitzung ist abgesagt. Eingeladene erhalten eine Absage für ihren Kalender.")
            return redirect("meetings:meeting_detail", network=network.slug, pk=meeting.pk)
    return render(request, "meetings/meeting_cancel.html", {"network": network, "meeting": meeting, "form": form})


@method_checked
@network_view(Perm.MANAGE_MEETINGS)
def meeting_invite(request, network: Network, pk: int):
    meeting = permissions.get_meeting_or_404(request.user, network, pk)
    only(request, "POST")
    try:
        result = services.meeting_invite(meeting=meeting, actor=request.user)
    except FORM_ERRORS as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, f"Einladungen verschickt: {result['sent']} (mit Tagesordnung als PDF und Kalendereintrag)."
        )
        if result["without_address"]:
            messages.warning(
                request,
                "Ohne E-Mail-Adresse, bitte anders einladen: " + ", ".join(result["without_address"]),
            )
    return redirect("meetings:meeting_detail", network=network.slug, pk=meeting.pk)


@method_checked
@network_view(Perm.VIEW_NETWORK)
def meeting_reply(request, network: Network, pk: int):
    """A partner contact answers for its institution in the app (the e-mail link does the same without login)."""
    meeting = permissions.get_meeting_or_404(request.user, network, pk)
    _methods(request, "GET", "POST")
    seat = permissions.own_seat(request.user, meeting)
    if seat is None:
        raise PermissionDenied("Antworten kann nur eine eingeladene Einrichtung für sich selbst.")
    form = ReplyForm(request.POST or None, initial={"reply": seat.reply if seat.reply != "offen" else None})
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_reply(
                participant=seat,
                actor=request.user,
                reply=form.cleaned_data["reply"],
                substitute=form.cleaned_data["substitute"],
            )
        except FORM_ERRORS as error:
            add_errors(form, error)
        else:
            messages.success(request, "Danke, Ihre Antwort ist gespeichert.")
            return redirect("meetings:meeting_detail", network=network.slug, pk=meeting.pk)
    return render(
        request, "meetings/meeting_reply.html", {"network": network, "meeting": meeting, "seat": seat, "form": form}
    )


# ---------------------------------------------------------------------------------------------------------------------
# Agenda
# ---------------------------------------------------------------------------------------------------------------------


def _get_item_or_404(meeting: Meeting, item_pk: int) -> AgendaItem:
    item = meeting.items.filter(pk=item_pk).first()
    if item is None:
        raise Http404("Diesen TOP gibt es in dieser Sitzung nicht.")
    return item


def _item_data(form) -> dict:
    data = {name: form.cleaned_data.get(name) for name in services.ITEM_FIELDS if name != "attachment"}
    attachment = form.cleaned_data.get("attachment")
    if attachment is False:  # "Löschen" ticked
        data["attachment"] = ""
    elif attachment is not None and hasattr(attachment, "content_type"):
        data["attachment"] = attachment
    return data


def _agenda_form_view(request, network: Network, meeting: Meeting, item: AgendaItem | None):
    form = AgendaItemForm(request.POST or None, request.FILES or None, instance=item, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_save(meeting=meeting, actor=request.user, data=_item_data(form), item=item)
        except FORM_ERRORS as error:
            add_errors(form, error)
        else:
            messages.success(request, "Die Tagesordnung ist gespeichert.")
            return redirect("meetings:meeting_detail", network=network.slug, pk=meeting.pk)
    not_presented = selectors.not_presented(meeting.body)
    return render(
        request,
        "meetings/agenda_form.html",
        {"network": network, "meeting": meeting, "item": item, "form": form, "not_presented": not_presented},
    )


@method_checked
@network_view(Perm.MANAGE_MEETINGS)
def agenda_create(request, network: Network, pk: int):
    meeting = permissions.get_meeting_or_404(request.user, network, pk)
    _methods(request, "GET", "POST")
    return _agenda_form_view(request, network, meeting, None)


@method_checked
@network_view(Perm.MANAGE_MEETINGS)
def agenda_edit(request, network: Network, pk: int, item_pk: int):
    meeting = permissions.get_meeting_or_404(request.user, network, pk)
    item = _get_item_or_404(meeting, item_pk)
    _methods(request, "GET", "POST")
    return _agenda_form_view(request, network, meeting, item)


@method_checked
@network_view(Perm.MANAGE_MEETINGS)
def agenda_delete(request, network: Network, pk: int, item_pk: int):
    meeting = permissions.get_meeting_or_404(request.user, network, pk)
    item = _get_item_or_404(meeting, item_pk)
    only(request, "POST")
    try:
        services.agenda_item_delete(item=item, actor=request.user)
    except FORM_ERRORS as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"{item} ist von der Tagesordnung gestrichen.")
    return redirect("meetings:meeting_detail", network=network.slug, pk=meeting.pk)


@method_checked
@network_view(Perm.VIEW_NETWORK)
def agenda_attachment(request, network: Network, pk: int, item_pk: int):
    meeting = permissions.get_meeting_or_404(request.user, network, pk)
    item = _get_item_or_404(meeting, item_pk)
    only(request, "GET")
    return attachment_response(item.attachment, filename=f"anlage-top-{item.number}.pdf")


# ---------------------------------------------------------------------------------------------------------------------
# Calendar file and documents
# ---------------------------------------------------------------------------------------------------------------------


@method_checked
@network_view(Perm.VIEW_NETWORK)
def meeting_calendar(request, network: Network, pk: int):
    meeting = permissions.get_meeting_or_404(request.user, network, pk)
    only(request, "GET")
    content = meeting_ics(meeting, items=list(meeting.items.all()), cancel=meeting.is_cancelled)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{ics_filename(meeting)}"'
    return response


@method_checked
@network_view(Perm.VIEW_NETWORK)
def invitation_pdf(request, network: Network, pk: int):
    meeting = permissions.get_meeting_or_404(request.user, network, pk)
    only(request, "GET")
    return pdf_response(documents.render_invitation(meeting), documents.invitation_filename(meeting))


@method_checked
@network_view(Perm.VIEW_PARTNERS)
def signin_pdf(request, network: Network, pk: int):
    meeting = permissions.get_meeting_or_404(request.user, network, pk)
    only(request, "GET")
    return pdf_response(documents.render_signin(meeting), documents.signin_filename(meeting))
