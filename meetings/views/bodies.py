"""Bodies (Gremien), their members and the year plan."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render

from meetings import permissions, selectors, services
from meetings.forms import BodyForm, MeetingForm, MemberForm, YearPlanForm
from meetings.models import Body, BodyMember, Meeting
from meetings.views import FORM_ERRORS, add_errors, error_text
from partners.models import Network
from praevnet.access import Perm, method_checked, network_view, only


def _methods(request, *allowed: str) -> None:
    if request.method not in allowed:
        only(request, allowed[-1])


@method_checked
@network_view(Perm.VIEW_NETWORK)
def body_list(request, network: Network):
    only(request, "GET")
    bodies = (
        permissions.visible_bodies(request.user, network)
        .annotate(
            member_count=Count("members", filter=Q(members__until__isnull=True), distinct=True),
            meeting_count=Count("meetings", distinct=True),
        )
        .order_by("kind", "name")
    )
    return render(
        request,
        "meetings/body_list.html",
        {"network": network, "bodies": bodies, "may_manage": permissions.may_manage(request.user, network)},
    )


@method_checked
@network_view(Perm.MANAGE_MEETINGS)
def body_create(request, network: Network):
    _methods(request, "GET", "POST")
    form = BodyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            body = services.body_create(network=network, actor=request.user, data=form.cleaned_data)
        except FORM_ERRORS as error:
            add_errors(form, error)
        else:
            messages.success(request, f"Das Gremium „{body.name}“ ist angelegt. Jetzt die Mitglieder eintragen.")
            return redirect("meetings:body_detail", network=network.slug, pk=body.pk)
    return render(request, "meetings/body_form.html", {"network": network, "form": form, "body": None})


@method_checked
@network_view(Perm.VIEW_NETWORK)
def body_detail(request, network: Network, pk: int):
    body = permissions.get_body_or_404(request.user, network, pk)
    only(request, "GET")
    today = services.clock.today()
    members = list(body.members.select_related("partner").order_by("partner__name", "representation", "name"))
    current = [m for m in members if (m.since is None or m.since <= today) and (m.until is None or m.until >= today)]
    former = [m for m in members if m not in current]
    meetings = list(body.meetings.order_by("starts_at"))
    may_manage = permissions.may_manage(request.user, network)
    return render(
        request,
        "meetings/body_detail.html",
        {
            "network": network,
            "body": body,
            "members": current,
            "former_members": former,
            "meetings": meetings,
            "now": services.clock.now(),
            "may_manage": may_manage,
            "not_presented": selectors.not_presented(body)
            if permissions.sees_all_bodies(request.user, network)
            else [],
            "open_actions": permissions.visible_action_items(request.user, network)
            .open()
            .filter(meeting__body=body)
            .order_by("due_date", "pk"),
            "next_year": today.year + 1 if today.month >= 10 else today.year,
        },
    )


@method_checked
@network_view(Perm.MANAGE_MEETINGS)
def body_edit(request, network: Network, pk: int):
    body = permissions.get_body_or_404(request.user, network, pk)
    _methods(request, "GET", "POST")
    form = BodyForm(request.POST or None, instance=Body.objects.get(pk=body.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.body_update(body=body, actor=request.user, data=form.cleaned_data)
        except FORM_ERRORS as error:
            add_errors(form, error)
        else:
            messages.success(request, "Das Gremium ist gespeichert.")
            return redirect("meetings:body_detail", network=network.slug, pk=body.pk)
    return render(request, "meetings/body_form.html", {"network": network, "form": form, "body": body})


def _member_form_view(request, network: Network, body: Body, member: BodyMember | None):
    form = MemberForm(request.POST or None, instance=member, network=network)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.MEMBER_FIELDS}
        try:
            if member is None:
                services.member_add(body=body, actor=request.user, data=data)
            else:
                services.member_update(member=member, actor=request.user, data=data)
        except FORM_ERRORS as error:
            add_errors(form, error)
        else:
            messages.success(request, "Die Mitgliedschaft im Gremium ist gespeichert.")
            return redirect("meetings:body_detail", network=network.slug, pk=body.pk)
    return render(
        request, "meetings/member_form.html", {"network": network, "body": body, "member": member, "form": form}
    )


@method_checked
@network_view(Perm.MANAGE_MEETINGS)
def member_create(request, network: Network, pk: int):
    body = permissions.get_body_or_404(request.user, network, pk)
    _methods(request, "GET", "POST")
    return _member_form_view(request, network, body, None)


@method_checked
@network_view(Perm.MANAGE_MEETINGS)
def member_edit(request, network: Network, pk: int, member_pk: int):
    body = permissions.get_body_or_404(request.user, network, pk)
    member = body.members.filter(pk=member_pk).select_related("partner").first()
    if member is None:
        raise Http404("Dieses Mitglied gibt es in diesem Gremium nicht.")
    _methods(request, "GET", "POST")
    return _member_form_view(request, network, body, member)


@method_checked
@network_view(Perm.MANAGE_MEETINGS)
def year_plan(request, network: Network, pk: int):
    """Proposed dates of a year (network defaults, holidays of the Land skipped), editable, then created."""
    body = permissions.get_body_or_404(request.user, network, pk)
    _methods(request, "GET", "POST")
    today = services.clock.today()
    raw_year = request.POST.get("year") or request.GET.get("jahr") or ""
    year = int(raw_year) if raw_year.isdigit() and 2000 <= int(raw_year) <= 2100 else today.year
    proposal = services.year_plan_proposal(body=body, year=year)
    form = YearPlanForm(request.POST or None, proposal=proposal, state=network.federal_state, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        try:
            created = services.year_plan_create(body=body, actor=request.user, days=form.days())
        except FORM_ERRORS as error:
            add_errors(form, error)
        else:
            if created:
                days = ", ".join(f"{services.local_day(m.starts_at):%d.%m.%Y}" for m in created)
                messages.success(request, f"Der Jahresplan {year} ist angelegt: {days}. Noch ist niemand eingeladen.")
            else:
                messages.info(request, "An diesen Tagen gibt es schon Sitzungen; es wurde nichts angelegt.")
            return redirect("meetings:body_detail", network=network.slug, pk=body.pk)
    existing = body.meetings.filter(starts_at__year=year).exclude(state=Meeting.State.CANCELLED).order_by("starts_at")
    return render(
        request,
        "meetings/year_plan.html",
        {
            "network": network,
            "body": body,
            "form": form,
            "year": year,
            "years": [today.year, today.year + 1],
            "proposal": proposal,
            "existing": existing,
            "start": network.meeting_start,
            "end": (
                datetime.datetime.combine(today, network.meeting_start)
                + datetime.timedelta(minutes=network.meeting_minutes)
            ).time(),
        },
    )


@method_checked
@network_view(Perm.MANAGE_MEETINGS)
def meeting_create(request, network: Network, pk: int):
    body = permissions.get_body_or_404(request.user, network, pk)
    _methods(request, "GET", "POST")
    initial = {"place": body.default_place, "start": network.meeting_start}
    start = datetime.datetime.combine(services.clock.today(), network.meeting_start)
    initial["end"] = (start + datetime.timedelta(minutes=network.meeting_minutes)).time()
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.MEETING_FIELDS}
        try:
            meeting = services.meeting_create(body=body, actor=request.user, data=data)
        except FORM_ERRORS as error:
            add_errors(form, error)
        else:
            messages.success(request, "Die Sitzung ist angelegt. Ergänzen Sie die Tagesordnung und laden Sie ein.")
            for other in services.place_conflicts(meeting):
                messages.warning(request, conflict_text(other))
            return redirect("meetings:meeting_detail", network=network.slug, pk=meeting.pk)
    return render(
        request, "meetings/meeting_form.html", {"network": network, "body": body, "form": form, "meeting": None}
    )


def conflict_text(other: Meeting) -> str:
    starts, ends = services.timezone.localtime(other.starts_at), services.timezone.localtime(other.ends_at)
    return (
        f"Achtung, der Ort ist doppelt belegt: „{other.body.name}“ tagt am {starts:%d.%m.%Y} von {starts:%H:%M} bis "
        f"{ends:%H:%M} Uhr ebenfalls dort ({other.place})."
    )


__all__ = ["error_text"]
