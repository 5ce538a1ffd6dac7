"""DSGVO pages for one contact person: what is stored, the export (Art. 15) and anonymisation (Art. 17).

Only the network's coordination (Perm.MANAGE_PARTNERS) may use them; partner contacts ask the coordination. The
contact is looked up among the network's member institutions only, so a foreign contact is a 404.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header

from partners import privacy
from partners.models import ContactPerson, Network
from partners.services import WorkflowError
from praevnet.access import Perm, method_checked, network_view, only


class AnonymiseForm(forms.Form):
    confirm = forms.BooleanField(
        label=(
            "Ich habe geprüft, dass die Person ihre Löschung verlangt hat oder nicht mehr für die Einrichtung tätig ist"
        ),
        error_messages={"required": "Bitte bestätigen Sie zuerst, dass Sie die Anonymisierung geprüft haben."},
    )


def _contact_or_404(network: Network, pk: int) -> ContactPerson:
    return get_object_or_404(privacy.contacts_in_network(network), pk=pk)


def _all_networks(request) -> bool:
    """System administrators answer for the whole installation; a coordination only for its own network."""
    return request.user.is_superuser


def _page(request, network: Network, contact: ContactPerson, form: AnonymiseForm, status: int = 200):
    summary = privacy.contact_privacy_summary(contact=contact, network=None if _all_networks(request) else network)
    context = {
        "network": network,
        "contact": contact,
        "partner": contact.partner,
        "summary": summary,
        "about_count": summary.count(privacy.ABOUT) + summary.count(privacy.MENTIONS),
        "acted_count": summary.count(privacy.ACTED),
        "all_networks": _all_networks(request),
        "form": form,
    }
    return render(request, "partners/contact_privacy.html", context, status=status)


@method_checked
@network_view(Perm.MANAGE_PARTNERS)
def contact_privacy(request, network: Network, pk: int):
    contact = _contact_or_404(network, pk)
    only(request, "GET")
    return _page(request, network, contact, AnonymiseForm())


@method_checked
@network_view(Perm.MANAGE_PARTNERS)
def contact_export(request, network: Network, pk: int):
    contact = _contact_or_404(network, pk)
    only(request, "GET")
    content = privacy.contact_export(
        contact=contact, network=network, actor=request.user, all_networks=_all_networks(request)
    )
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"ansprechperson-{contact.pk}.json")
    response["Cache-Control"] = "private, no-store"
    return response


@method_checked
@network_view(Perm.MANAGE_PARTNERS)
def contact_anonymise(request, network: Network, pk: int):
    contact = _contact_or_404(network, pk)
    only(request, "POST")
    form = AnonymiseForm(request.POST)
    if not form.is_valid():
        return _page(request, network, contact, form)
    try:
        privacy.contact_anonymise(contact=contact, network=network, actor=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("partners:contact_privacy", network=network.slug, pk=contact.pk)
    messages.success(
        request,
        "Die Ansprechperson ist anonymisiert. Unterschriften unter Kooperationsvereinbarungen bleiben unverändert.",
    )
    return redirect(reverse("partners:partner_detail", kwargs={"network": network.slug, "pk": contact.partner_id}))
