"""At and after the meeting: attendance, sign-in sheet, protocol, comments, approval and action items."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render

from meetings import documents, permissions, selectors, services
from meetings.forms import (
    ActionItemForm,
    ApproveForm,
    AttendanceForm,
    CommentForm,
    GuestForm,
    ProtocolForm,
    RecommendationForm,
    SendForm,
)
from meetings.models import Meeting
from meetings.tables import ActionItemTable
from meetings.views import FORM_ERRORS, add_errors, error_text
from meetings.views.bodies import _methods
from meetings.views.meetings import pdf_response
from partners.models import Network
from praevnet.access import Perm, method_checked, network_view, only
from praevnet.files import attachment_response


def _back(network: Network, meeting: Meeting, anchor: str = ""):
    response = redirect("meetings:meeting_detail", network=network.slug, pk=meeting.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _require_writer(request, network: Network) -> None:
    if not permissions.may_write_protocol(request.user, network):
        raise PermissionDenied("Das Protokoll schreibt das Jugendamt.")


@method_checked
@network_view(Perm.VIEW_PARTNERS)
def attendance(request, network: Network, pk: int):
    """Present / excused / absent per seat, plus guests; uninvited members get their seat on first save."""
    meeting = permissions.get_meeting_or_404(request.user, network, pk)
    _methods(request, "GET", "POST")
    if not permissions.may_record_attendance(request.user, network):
        raise PermissionDenied("Die Anwesenheit erfassen Koordination und Jugendamt.")
    existing = list(meeting.participants.select_related("partner"))
    seats = existing + selectors.missing_seats(meeting, existing)
    saved = [seat for seat in seats if seat.pk]
    form = AttendanceForm(request.POST or None, participants=saved, prefix="anwesenheit")
    guest_form = GuestForm(prefix="gast")
    if request.method == "POST" and "gast-name" in request.POST:
        guest_form = GuestForm(request.POST, prefix="gast")
        form = AttendanceForm(participants=saved, prefix="anwesenheit")
        if guest_form.is_valid():
            try:
                services.guest_add(meeting=meeting, actor=request.user, **guest_form.cleaned_data)
            except FORM_ERRORS as error:
                add_errors(guest_form, error)
            else:
                messages.success(request, "Der Gast ist eingetragen.")
                return redirect("meetings:attendance", network=network.slug, pk=meeting.pk)
    elif request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(meeting=meeting, actor=request.user, attendance=form.values())
        except FORM_ERRORS as error:
            add_errors(form, error)
        else:
            messages.success(request, "Die Anwesenheit ist gespeichert.")
            return _back(network, meeting, "teilnahme")
    unseated = [seat for seat in seats if not seat.pk]
    return render(
        request,
        "meetings/attendance.html",
        {
            "network": network,
            "meeting": meeting,
            "form": form,
            "guest_form": guest_form,
            "unseated": unseated,
            "closed": meeting.is_approved or meeting.is_cancelled,
        },
    )


@method_checked
@network_view(Perm.VIEW_PARTNERS)
def attendance_seats(request, network: Network, pk: int):
    """Give every member of the body a seat in the attendance list (e.g. for a meeting nobody was invited to)."""
    meeting = permissions.get_meeting_or_404(request.user, network, pk)
    only(request, "POST")
    if not permissions.may_record_attendance(request.user, network):
        raise PermissionDenied("Die Anwesenheit erfassen Koordination und Jugendamt.")
    if meeting.is_approved or meeting.is_cancelled:
        messages.error(request, "Diese Sitzung ist abgesagt oder ihr Protokoll genehmigt.")
    else:
        created = services.ensure_participants(meeting)
        messages.success(request, f"{len(created)} Mitglied(er) in die Anwesenheitsliste übernommen.")
    return redirect("meetings:attendance", network=network.slug, pk=meeting.pk)


@method_checked
@network_view(Perm.VIEW_NETWORK)
def protocol_edit(request, network: Network, pk: int):
    meeting = permissions.get_meeting_or_404(request.user, network, pk)
    _methods(request, "GET", "POST")
    _require_writer(request, network)
    if meeting.is_approved:
        messages.error(request, "Das Protokoll ist genehmigt und kann nicht mehr geändert werden.")
        return _back(network, meeting, "protokoll")
    items = list(meeting.items.all())
    initial = {"chair": meeting.chair, "minute_taker": meeting.minute_taker or str(request.user)}
    form = ProtocolForm(request.POST or None, items=items, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.protocol_update(
                meeting=meeting,
                actor=request.user,
                chair=form.cleaned_data["chair"],
                minute_taker=form.cleaned_data["minute_taker"],
                notes=form.notes(),
            )
        except FORM_ERRORS as error:
            add_errors(form, error)
        else:
            messages.success(request, "Das Protokoll ist gespeichert.")
            return redirect("meetings:protocol_edit", network=network.slug, pk=meeting.pk)
    return render(
        request,
        "meetings/protocol_form.html",
        {
            "network": network,
            "meeting": meeting,
            "form": form,
            "recommendation_form": RecommendationForm(meeting=meeting, prefix="empfehlung"),
            "action_form": ActionItemForm(meeting=meeting, prefix="aufgabe"),
            "send_form": SendForm(),
            "recommendations": meeting.recommendations.select_related("agenda_item"),
            "actions": meeting.action_items.select_related("responsible_partner", "agenda_item"),
        },
    )


def _protocol_side_form(request, network: Network, pk: int, form_class, action, success: str, prefix: str):
    meeting = permissions.get_meeting_or_404(request.user, network, pk)
    only(request, "POST")
    _require_writer(request, network)
    form = form_class(request.POST, meeting=meeting, prefix=prefix)
    if form.is_valid():
        try:
            action(meeting, form.cleaned_data)
        except FORM_ERRORS as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, success)
    else:
        problems = "; ".join(
            f"{form.fields[f].label if f in form.fields else ''} {' '.join(e)}".strip() for f, e in form.errors.items()
        )
        messages.error(request, f"Nicht gespeichert: {problems}")
    return redirect("meetings:protocol_edit", network=network.slug, pk=meeting.pk)


@method_checked
@network_view(Perm.VIEW_NETWORK)
def recommendation_create(request, network: Network, pk: int):
    return _protocol_side_form(
        request,
        network,
        pk,
        RecommendationForm,
        lambda meeting, data: services.recommendation_add(meeting=meeting, actor=request.user, **data),
        "Die Empfehlung ist aufgenommen.",
        "empfehlung",
    )


@method_checked
@network_view(Perm.VIEW_NETWORK)
def action_create(request, network: Network, pk: int):
    return _protocol_side_form(
        request,
        network,
        pk,
        ActionItemForm,
        lambda meeting, data: services.action_item_add(meeting=meeting, actor=request.user, data=data),
        "Die Aufgabe ist aufgenommen.",
        "aufgabe",
    )


def _strike(request, network: Network, pk: int, *, items: str, item_pk: int, missing: str, delete, done: str):
    """Strike a recommendation or an action item from a protocol that may still change (POST, protocol writers)."""
    meeting = permissions.get_meeting_or_404(request.user, network, pk)
    item = getattr(meeting, items).filter(pk=item_pk).first()
    if item is None:
        raise Http404(missing)
    only(request, "POST")
    _require_writer(request, network)
    try:
        delete(item)
    except FORM_ERRORS as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, done)
    return redirect("meetings:protocol_edit", network=network.slug, pk=meeting.pk)


@method_checked
@network_view(Perm.VIEW_NETWORK)
def recommendation_delete(request, network: Network, pk: int, item_pk: int):
    return _strike(
        request,
        network,
        pk,
        items="recommendations",
        item_pk=item_pk,
        missing="Diese Empfehlung gibt es in dieser Sitzung nicht.",
        delete=lambda item: services.recommendation_delete(recommendation=item, actor=request.user),
        done="Die Empfehlung ist gestrichen.",
    )


@method_checked
@network_view(Perm.VIEW_NETWORK)
def action_delete(request, network: Network, pk: int, item_pk: int):
    return _strike(
        request,
        network,
        pk,
        items="action_items",
        item_pk=item_pk,
        missing="Diese Aufgabe gibt es in dieser Sitzung nicht.",
        delete=lambda item: services.action_item_delete(item=item, actor=request.user),
        done="Die Aufgabe ist gestrichen.",
    )


@method_checked
@network_view(Perm.VIEW_NETWORK)
def protocol_send(request, network: Network, pk: int):
    meeting = permissions.get_meeting_or_404(request.user, network, pk)
    only(request, "POST")
    _require_writer(request, network)
    form = SendForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Bitte geben Sie an, bis wann Anmerkungen möglich sind.")
        return redirect("meetings:protocol_edit", network=network.slug, pk=meeting.pk)
    try:
        services.protocol_send(meeting=meeting, actor=request.user, **form.cleaned_data)
    except FORM_ERRORS as error:
        messages.error(request, error_text(error))
        return redirect("meetings:protocol_edit", network=network.slug, pk=meeting.pk)
    messages.success(
        request,
        f"Das Protokoll ist zur Abstimmung versandt; Anmerkungen sind bis {form.cleaned_data['comments_until']:%d.%m.%Y} möglich.",
    )
    return _back(network, meeting, "protokoll")


@method_checked
@network_view(Perm.VIEW_NETWORK)
def protocol_comment(request, network: Network, pk: int):
    meeting = permissions.get_meeting_or_404(request.user, network, pk)
    only(request, "POST")
    if not permissions.may_comment(request.user, meeting):
        raise PermissionDenied("Anmerkungen schreiben die Mitglieder des Gremiums.")
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Bitte schreiben Sie Ihre Anmerkung (höchstens 5.000 Zeichen).")
        return _back(network, meeting, "anmerkungen")
    try:
        services.protocol_comment(meeting=meeting, actor=request.user, text=form.cleaned_data["text"])
    except FORM_ERRORS as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, "Danke, Ihre Anmerkung ist beim Jugendamt angekommen.")
    return _back(network, meeting, "anmerkungen")


@method_checked
@network_view(Perm.VIEW_NETWORK)
def protocol_approve(request, network: Network, pk: int):
    meeting = permissions.get_meeting_or_404(request.user, network, pk)
    _methods(request, "GET", "POST")
    _require_writer(request, network)
    form = ApproveForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.protocol_approve(meeting=meeting, actor=request.user, approved_in=form.cleaned_data["approved_in"])
        except FORM_ERRORS as error:
            add_errors(form, error)
        else:
            messages.success(
                request, "Das Protokoll ist genehmigt. Das PDF ist gespeichert und ändert sich nicht mehr."
            )
            return _back(network, meeting, "protokoll")
    return render(
        request,
        "meetings/protocol_approve.html",
        {"network": network, "meeting": meeting, "form": form, "comments": meeting.comments.order_by("created")},
    )


@method_checked
@network_view(Perm.VIEW_NETWORK)
def protocol_pdf(request, network: Network, pk: int):
    """The stored PDF of an approved protocol; a draft for staff (and for members once it is out for comments)."""
    meeting = permissions.get_meeting_or_404(request.user, network, pk)
    only(request, "GET")
    if meeting.is_approved:
        return attachment_response(meeting.protocol_pdf, filename=documents.protocol_filename(meeting))
    if meeting.protocol_state == Meeting.ProtocolState.DRAFT and not permissions.sees_all_bodies(request.user, network):
        raise Http404("Das Protokoll ist noch nicht zur Abstimmung versandt.")
    return pdf_response(documents.render_protocol(meeting), documents.protocol_filename(meeting, draft=True))


# ---------------------------------------------------------------------------------------------------------------------
# Action items
# ---------------------------------------------------------------------------------------------------------------------


@method_checked
@network_view(Perm.VIEW_NETWORK)
def action_list(request, network: Network):
    """Staff: every action item of the network; a partner contact: those of its institution."""
    only(request, "GET")
    show_done = request.GET.get("erledigt") == "1"
    items = permissions.visible_action_items(request.user, network)
    if not show_done:
        items = items.open()
    items = items.order_by("done_at", "due_date", "pk")
    may_mark = {item.pk for item in items if item.is_open and permissions.may_mark_done(request.user, item, network)}
    table = ActionItemTable(items, network=network, may_mark=may_mark, csrf_token=get_token(request))
    table.paginate(page=request.GET.get("page", 1), per_page=50)
    return render(
        request,
        "meetings/action_list.html",
        {
            "network": network,
            "table": table,
            "show_done": show_done,
            "staff": permissions.sees_all_bodies(request.user, network),
        },
    )


@method_checked
@network_view(Perm.VIEW_NETWORK)
def action_done(request, network: Network, pk: int):
    item = permissions.get_action_item_or_404(request.user, network, pk)
    only(request, "POST")
    if not permissions.may_mark_done(request.user, item, network):
        raise PermissionDenied("Erledigt melden die verantwortliche Einrichtung, die Koordination oder das Jugendamt.")
    try:
        services.action_item_done(item=item, actor=request.user)
    except FORM_ERRORS as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"Erledigt: {item.text}")
    target = request.POST.get("next", "")
    if target.startswith("/n/") and "//" not in target:
        return redirect(target)
    return redirect("meetings:action_list", network=network.slug)
