from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from agreements import services
from agreements.forms import (
    CountersignForm,
    InviteAllForm,
    InviteForm,
    PaperForm,
    SignForm,
    TemplateForm,
    TerminateForm,
    TerminationPreviewForm,
    VerifyForm,
)
from agreements.models import Agreement, AgreementTemplate, Signature, SigningInvitation, sha256_hex
from partners.models import Network
from praevnet import access
from praevnet.access import Perm, method_checked, network_view, only
from praevnet.files import attachment_response, validate_upload
from praevnet.markdown import render_markdown


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _user_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:400]


FORM_ERRORS = (ValidationError, services.AgreementError)


def _add_errors(form, error: Exception) -> None:
    """Put a service's German refusal on the form: field errors on their fields, the rest above the form."""
    if isinstance(error, services.AgreementError):
        form.add_error(None, str(error))
    elif hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


# ---------------------------------------------------------------------------------------------------------------------
# Lookups: always scoped to the network and to what the user may see
# ---------------------------------------------------------------------------------------------------------------------


def get_template_or_404(network: Network, pk: int) -> AgreementTemplate:
    try:
        return AgreementTemplate.objects.get(pk=pk, network=network)
    except AgreementTemplate.DoesNotExist:
        raise Http404("Diese Vorlage gibt es in diesem Netzwerk nicht.") from None


def may_view_agreement(user, agreement: Agreement, network: Network) -> bool:
    """Network staff (coordination, Jugendamt) and the contacts of the partner the agreement belongs to."""
    if access.has_perm(user, Perm.VIEW_PARTNERS, network):
        return True
    own = access.own_partner(user, network)
    return own is not None and own.pk == agreement.partner_id


def get_agreement_or_404(user, network: Network, pk: int) -> Agreement:
    try:
        agreement = Agreement.objects.select_related("partner", "template", "network").get(pk=pk, network=network)
    except Agreement.DoesNotExist:
        raise Http404("Diese Vereinbarung gibt es in diesem Netzwerk nicht.") from None
    if not may_view_agreement(user, agreement, network):
        raise Http404("Diese Vereinbarung gibt es in diesem Netzwerk nicht.")
    return agreement


# ---------------------------------------------------------------------------------------------------------------------
# Templates (Vereinbarungsvorlagen)
# ---------------------------------------------------------------------------------------------------------------------


@method_checked
@network_view(Perm.VIEW_PARTNERS)
def template_list(request, network: Network):
    only(request, "GET")
    templates = (
        AgreementTemplate.objects.filter(network=network)
        .prefetch_related("signatories")
        .annotate(
            valid_count=Count("agreements", filter=Q(agreements__status__in=Agreement.VALID_STATES)),
            pending_count=Count("agreements", filter=Q(agreements__status__in=Agreement.PENDING_STATES)),
        )
    )
    return render(
        request,
        "agreements/template_list.html",
        {
            "network": network,
            "templates": templates,
            "may_manage": access.has_perm(request.user, Perm.MANAGE_PARTNERS, network),
        },
    )


@method_checked
@network_view(Perm.VIEW_PARTNERS)
def template_detail(request, network: Network, pk: int):
    template = get_template_or_404(network, pk)
    only(request, "GET")
    agreements = (
        template.agreements.exclude(status__in=[Agreement.Status.EXPIRED, Agreement.Status.DECLINED])
        .select_related("partner", "supersedes__template")
        .prefetch_related(
            Prefetch(
                "signatures",
                queryset=Signature.objects.filter(side=Signature.Side.PARTNER).order_by("signed_at"),
            )
        )
        .order_by("partner__name", "-created")
    )
    outdated = list(services.outdated_agreements(network=network, template=template)) if template.is_published else []
    pending_successors = set(
        Agreement.objects.filter(
            supersedes__in=[a.pk for a in outdated], template=template, status__in=Agreement.PENDING_STATES
        ).values_list("supersedes_id", flat=True)
    )
    return render(
        request,
        "agreements/template_detail.html",
        {
            "network": network,
            "template": template,
            "body_html": render_markdown(template.body),
            "may_manage": access.has_perm(request.user, Perm.MANAGE_PARTNERS, network),
            "agreements": agreements,
            "agreement_count": len(agreements),
            "outdated": outdated,
            "outdated_to_invite": [a for a in outdated if a.pk not in pending_successors],
            "pending_successors": pending_successors,
        },
    )


@method_checked
@network_view(Perm.MANAGE_PARTNERS)
def template_reinvite(request, network: Network, pk: int):
    """ "Alle mit älterer Fassung neu einladen": every partner in force on an older version re-signs this one."""
    template = get_template_or_404(network, pk)
    only(request, "POST")
    try:
        result = services.agreement_reinvite_older_versions(network=network, template=template, actor=request.user)
    except services.AgreementError as error:
        messages.error(request, str(error))
    else:
        invited, already, skipped = result["invited"], result["already"], result["skipped"]
        if invited:
            messages.success(
                request,
                f"{len(invited)} Einrichtung(en) zur neuen Fassung eingeladen. Ihre bisherige Vereinbarung gilt, bis das "
                "Jugendamt die neue gegenzeichnet.",
            )
        else:
            messages.info(request, "Niemand war neu einzuladen.")
        if already:
            messages.info(request, "Schon zu dieser Fassung eingeladen: " + ", ".join(p.name for p in already))
        if skipped:
            messages.warning(
                request,
                "Nicht eingeladen (keine E-Mail-Adresse oder kein aktives Mitglied): "
                + ", ".join(p.name for p in skipped),
            )
    return redirect("agreements:template_detail", network=network.slug, pk=template.pk)


@method_checked
@network_view(Perm.MANAGE_PARTNERS)
@require_http_methods(["GET", "POST"])
def template_create(request, network: Network):
    form = TemplateForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.TEMPLATE_FIELDS}
        try:
            template = services.template_create(
                network=network, actor=request.user, data=data, signatories=form.signatory_labels()
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Die Vorlage ist als Entwurf angelegt.")
            return redirect("agreements:template_detail", network=network.slug, pk=template.pk)
    return render(request, "agreements/template_form.html", {"network": network, "form": form, "template": None})


@method_checked
@network_view(Perm.MANAGE_PARTNERS)
def template_edit(request, network: Network, pk: int):
    template = get_template_or_404(network, pk)
    if request.method not in ("GET", "POST"):
        only(request, "POST")
    if template.is_published:
        messages.error(request, "Diese Fassung ist veröffentlicht und kann nicht mehr geändert werden.")
        return redirect("agreements:template_detail", network=network.slug, pk=template.pk)
    form = TemplateForm(request.POST or None, instance=template, network=network)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.TEMPLATE_FIELDS}
        try:
            services.template_update(
                template=template, actor=request.user, data=data, signatories=form.signatory_labels()
            )
        except FORM_ERRORS as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Die Vorlage ist gespeichert.")
            return redirect("agreements:template_detail", network=network.slug, pk=template.pk)
    return render(request, "agreements/template_form.html", {"network": network, "form": form, "template": template})


@method_checked
@network_view(Perm.MANAGE_PARTNERS)
def template_publish(request, network: Network, pk: int):
    template = get_template_or_404(network, pk)
    only(request, "POST")
    try:
        services.template_publish(template=template, actor=request.user)
    except (services.AgreementError, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, "Die Fassung ist veröffentlicht. Sie kann jetzt unterzeichnet werden.")
    return redirect("agreements:template_detail", network=network.slug, pk=template.pk)


# ---------------------------------------------------------------------------------------------------------------------
# Agreements
# ---------------------------------------------------------------------------------------------------------------------


@method_checked
@network_view(Perm.VIEW_PARTNERS)
def agreement_list(request, network: Network):
    only(request, "GET")
    agreements = (
        Agreement.objects.filter(network=network)
        .select_related("partner", "template")
        .prefetch_related(Prefetch("signatures", queryset=Signature.objects.order_by("signed_at")), "invitations")
        .order_by("partner__name", "-created")
    )
    return render(
        request,
        "agreements/agreement_list.html",
        {
            "network": network,
            "agreements": agreements,
            "may_manage": access.has_perm(request.user, Perm.MANAGE_PARTNERS, network),
            "invite_all_form": InviteAllForm(network=network),
            "newest": AgreementTemplate.objects.filter(network=network, state=AgreementTemplate.State.PUBLISHED)
            .order_by("-version_date")
            .first(),
        },
    )


@method_checked
@network_view(Perm.VIEW_PARTNERS)
def deadlines(request, network: Network):
    """ "Fristen": deadlines, renewals and ends of the next 90 days, open invitations, links about to expire."""
    from agreements import deadlines as deadlines_module

    only(request, "GET")
    today = services.today()
    return render(
        request,
        "agreements/deadlines.html",
        {
            "network": network,
            "today": today,
            "horizon": deadlines_module.HORIZON_DAYS,
            "until": today + timedelta(days=deadlines_module.HORIZON_DAYS),
            "valid_days": SigningInvitation.VALID_DAYS,
            "remind_days": deadlines_module.INVITATION_REMIND_DAYS,
            "deadlines": deadlines_module.network_deadlines(network, today=today),
            "invitations": deadlines_module.open_invitations(network),
            "awaiting": deadlines_module.awaiting_countersignature(network),
            "may_manage": access.has_perm(request.user, Perm.MANAGE_PARTNERS, network),
            "may_countersign": services.may_countersign(request.user, network),
        },
    )


@method_checked
@network_view(Perm.EDIT_OWN_PARTNER)
def own_agreements(request, network: Network):
    """ "Meine Vereinbarung" of a partner contact: the institution's agreements in this network."""
    partner = access.own_partner(request.user, network)
    if partner is None:
        raise Http404("Sie handeln in diesem Netzwerk für keine Einrichtung.")
    only(request, "GET")
    agreements = (
        Agreement.objects.filter(network=network, partner=partner).select_related("template").order_by("-created")
    )
    return render(
        request,
        "agreements/own_agreements.html",
        {
            "network": network,
            "partner": partner,
            "agreements": agreements,
            "may_terminate": access.has_perm(request.user, Perm.EDIT_OWN_PARTNER, network),
        },
    )


@method_checked
@network_view(Perm.VIEW_NETWORK)
def agreement_detail(request, network: Network, pk: int):
    agreement = get_agreement_or_404(request.user, network, pk)
    only(request, "GET")
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "network": network,
            "agreement": agreement,
            "signatures": agreement.signatures.order_by("signed_at", "pk"),
            "invitations": agreement.invitations.order_by("-created_at")
            if access.has_perm(request.user, Perm.VIEW_PARTNERS, network)
            else [],
            "text_html": render_markdown(agreement.signed_text) if agreement.signed_text else "",
            "may_countersign": services.may_countersign(request.user, network)
            and agreement.status == Agreement.Status.SIGNED,
            "may_terminate": agreement.is_in_force and services.may_terminate(request.user, agreement),
            "successor": agreement.successors.exclude(status=Agreement.Status.EXPIRED).order_by("-created").first(),
        },
    )


@method_checked
@network_view(Perm.MANAGE_PARTNERS)
def agreement_invite(request, network: Network, partner_pk: int):
    partner = access.get_partner_or_404(request.user, network, partner_pk)
    if request.method not in ("GET", "POST"):
        only(request, "POST")
    form = InviteForm(request.POST or None, network=network, initial={"email": services.invitation_address(partner)})
    if request.method == "POST" and form.is_valid():
        try:
            agreement, _token = services.agreement_invite(
                network=network,
                partner=partner,
                template=form.cleaned_data["template"],
                email=form.cleaned_data["email"],
                actor=request.user,
            )
        except services.AgreementError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"Die Einladung zur Unterzeichnung ist an {form.cleaned_data['email']} verschickt."
            )
            return redirect("agreements:agreement_detail", network=network.slug, pk=agreement.pk)
    return render(request, "agreements/agreement_invite.html", {"network": network, "partner": partner, "form": form})


@method_checked
@network_view(Perm.MANAGE_PARTNERS)
def agreement_invite_all(request, network: Network):
    only(request, "POST")
    form = InviteAllForm(request.POST, network=network)
    if not form.is_valid():
        messages.error(request, "Bitte wählen Sie eine veröffentlichte Fassung.")
        return redirect("agreements:agreement_list", network=network.slug)
    try:
        result = services.agreement_invite_all(
            network=network, template=form.cleaned_data["template"], actor=request.user
        )
    except services.AgreementError as error:
        messages.error(request, str(error))
    else:
        invited, skipped = result["invited"], result["skipped"]
        messages.success(request, f"{len(invited)} Einrichtung(en) eingeladen.")
        if skipped:
            messages.warning(
                request,
                "Ohne E-Mail-Adresse, daher nicht eingeladen: " + ", ".join(partner.name for partner in skipped),
            )
    return redirect("agreements:agreement_list", network=network.slug)


@method_checked
@network_view(Perm.VIEW_PARTNERS)
def agreement_countersign(request, network: Network, pk: int):
    agreement = get_agreement_or_404(request.user, network, pk)
    if request.method not in ("GET", "POST"):
        only(request, "POST")
    if not services.may_countersign(request.user, network):
        raise PermissionDenied("Gegenzeichnen darf nur das Jugendamt des Netzwerks.")
    initial = {"name": request.user.get_full_name()}
    role = access.role_in(request.user, network)
    if role is not None and role.function:
        initial["function"] = role.function
    form = CountersignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_countersign(
                agreement=agreement,
                actor=request.user,
                ip=_client_ip(request),
                user_agent=_user_agent(request),
                **form.cleaned_data,
            )
        except FORM_ERRORS as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Gegengezeichnet: Die Vereinbarung ist in Kraft. Beide Seiten erhalten das PDF.")
            return redirect("agreements:agreement_detail", network=network.slug, pk=agreement.pk)
    return render(
        request,
        "agreements/agreement_countersign.html",
        {
            "network": network,
            "agreement": agreement,
            "form": form,
            "text_html": render_markdown(agreement.signed_text),
            "signatures": agreement.signatures.order_by("signed_at", "pk"),
        },
    )


@method_checked
@network_view(Perm.VIEW_NETWORK)
def agreement_pdf(request, network: Network, pk: int):
    agreement = get_agreement_or_404(request.user, network, pk)
    only(request, "GET")
    if agreement.pdf:
        return attachment_response(agreement.pdf, filename=services.pdf_filename(agreement))
    if agreement.scan:
        return attachment_response(agreement.scan, filename=services.pdf_filename(agreement))
    raise Http404("Für diese Vereinbarung gibt es noch kein PDF.")


def _termination_preview(agreement: Agreement, day, form, field: str | None) -> tuple[dict | None, str]:
    """The computed last day for a notice received on `day`; the engine's German reason becomes a form error."""
    try:
        return services.termination_preview(agreement, day), ""
    except ValueError as error:
        if form.is_bound:
            form.add_error(field if field in form.fields else None, str(error))
        return None, str(error)


@method_checked
@network_view(Perm.VIEW_NETWORK)
def agreement_terminate(request, network: Network, pk: int):
    """ "Kündigen": the rule in words, the computed last day and its deadline, then a confirmed termination.

    GET (with ?eingang=JJJJ-MM-TT) and the "Berechnen" button only compute; nothing is saved.
    """
    agreement = get_agreement_or_404(request.user, network, pk)
    if request.method not in ("GET", "POST"):
        only(request, "POST")
    if not services.may_terminate(request.user, agreement):
        raise PermissionDenied("Kündigen dürfen die Einrichtung selbst, das Jugendamt und die Netzwerkkoordination.")
    today = services.today()
    letter = services.may_record_letter(request.user, network)
    written = agreement.template.written_form
    in_force = agreement.is_in_force
    form = TerminateForm(
        request.POST if request.method == "POST" else None,
        letter=letter,
        written_form=written,
        today=today,
        effective_from=agreement.effective_from,
    )
    preview_form = TerminationPreviewForm(
        request.GET if request.method == "GET" and "eingang" in request.GET else None, auto_id="vorschau_%s"
    )
    preview, preview_error = None, ""
    if in_force and request.method == "POST":
        if form.is_valid():
            day = form.cleaned_data["notice_received"]
            by_letter = bool(form.cleaned_data.get("by_letter"))
            preview, preview_error = _termination_preview(agreement, day, form, "eingang" if by_letter else None)
            if preview is not None and "berechnen" not in request.POST:
                if not form.cleaned_data["confirm"]:
                    form.add_error("confirm", "Bitte bestätigen Sie die Kündigung.")
                else:
                    try:
                        agreement = services.agreement_terminate(
                            agreement=agreement,
                            actor=request.user,
                            notice_received=day,
                            reason=form.cleaned_data["reason"],
                            by_letter=by_letter,
                            written_form_confirmed=bool(form.cleaned_data.get("written_form_confirmed")),
                        )
                    except FORM_ERRORS as error:
                        _add_errors(form, error)
                    else:
                        messages.success(
                            request,
                            f"Gekündigt: Die Vereinbarung endet mit Ablauf des {agreement.ends_on:%d.%m.%Y}. "
                            "Beide Seiten erhalten eine Bestätigung per E-Mail.",
                        )
                        return redirect("agreements:agreement_detail", network=network.slug, pk=agreement.pk)
    elif in_force:
        if not preview_form.is_bound:
            preview, preview_error = _termination_preview(agreement, today, preview_form, None)
        elif preview_form.is_valid():
            day = preview_form.cleaned_data["eingang"] or today
            preview, preview_error = _termination_preview(agreement, day, preview_form, "eingang")
    next_deadline = None
    if in_force:
        if preview is None and not preview_error and request.method == "POST":
            preview, preview_error = _termination_preview(agreement, today, TerminationPreviewForm(), None)
        next_deadline = services.terms_engine.next_notice_deadline(
            agreement.template.terms(), effective_from=agreement.effective_from, today=today
        )
    return render(
        request,
        "agreements/agreement_terminate.html",
        {
            "network": network,
            "agreement": agreement,
            "today": today,
            "terms_text": agreement.template.terms_text(),
            "term_end": agreement.term_end(),
            "next_deadline": next_deadline,
            "preview": preview,
            "preview_error": preview_error,
            "preview_form": preview_form,
            "form": form,
            "may_record_letter": letter,
            "written_form": written,
            "written_form_text": services.WRITTEN_FORM_TEXT,
            "online_possible": in_force and not written,
        },
    )


@method_checked
@network_view(Perm.MANAGE_PARTNERS)
def agreement_paper(request, network: Network, partner_pk: int):
    partner = access.get_partner_or_404(request.user, network, partner_pk)
    if request.method not in ("GET", "POST"):
        only(request, "POST")
    form = PaperForm(request.POST or None, request.FILES or None, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_record_paper(
                network=network, partner=partner, actor=request.user, **form.cleaned_data
            )
        except FORM_ERRORS as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Die Papier-Vereinbarung ist erfasst und in Kraft.")
            return redirect("agreements:agreement_detail", network=network.slug, pk=agreement.pk)
    return render(request, "agreements/agreement_paper.html", {"network": network, "partner": partner, "form": form})


@method_checked
@network_view(Perm.MANAGE_PARTNERS)
@require_http_methods(["GET", "POST"])
def agreement_verify(request, network: Network):
    form = VerifyForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            validate_upload(upload, kinds=("pdf",), max_bytes=services.MAX_SCAN_BYTES)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            digest = sha256_hex(b"".join(upload.chunks()))
            match = (
                Agreement.objects.filter(network=network)
                .filter(Q(pdf_sha256=digest) | Q(scan_sha256=digest))
                .select_related("partner", "template")
                .first()
            )
            result = {"sha256": digest, "agreement": match}
    return render(request, "agreements/agreement_verify.html", {"network": network, "form": form, "result": result})


# ---------------------------------------------------------------------------------------------------------------------
# The public signing page (one-time link from the e-mail)
# ---------------------------------------------------------------------------------------------------------------------


def _invalid_link(request, error: services.InvalidToken):
    return render(
        request,
        "agreements/sign_invalid.html",
        {"message": str(error), "network": error.network, "status": error.status},
        status=error.status,
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def agreement_sign(request, token: str):
    try:
        invitation = services.invitation_for_token(token)
    except services.InvalidToken as error:
        return _invalid_link(request, error)
    agreement = invitation.agreement
    template, partner, network = agreement.template, agreement.partner, agreement.network
    text = services.agreement_text(template=template, partner=partner, network=network)
    digest = sha256_hex(text)
    form = SignForm(request.POST or None, initial={"text_sha256": digest})
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_sign(
                token=token,
                ip=_client_ip(request),
                user_agent=_user_agent(request),
                **form.cleaned_data,
            )
        except services.InvalidToken as error:
            return _invalid_link(request, error)
        except FORM_ERRORS as error:
            _add_errors(form, error)
        else:
            return render(
                request, "agreements/sign_done.html", {"agreement": agreement, "network": network, "partner": partner}
            )
    today = timezone.localdate()
    return render(
        request,
        "agreements/sign.html",
        {
            "agreement": agreement,
            "template": template,
            "partner": partner,
            "network": network,
            "text_html": render_markdown(text),
            "text_sha256": digest,
            "terms_text": template.terms_text(),
            "dates": services.term_dates(template, today),
            "form": form,
            "invitation": invitation,
        },
    )
