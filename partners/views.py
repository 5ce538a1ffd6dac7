from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import CharField, F, IntegerField, Prefetch, Q
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.views import View
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from partners.filters import PartnerFilter
from partners.forms import (
    ContactFormSet,
    JoinForm,
    NetworkForm,
    OfferFormSet,
    PartnerCreateForm,
    PartnerForm,
    ReviewForm,
)
from partners.models import Membership, Network, Offer, Partner, Sector, institution_key
from partners.services import (
    PARTNER_FIELDS,
    PARTNER_M2M,
    ChildChange,
    ConflictError,
    DuplicatePartnerError,
    WorkflowError,
    membership_join,
    network_update,
    partner_archive,
    partner_create,
    partner_review,
    partner_submit,
    partner_update,
)
from partners.tables import PartnerTable
from praevnet import access
from praevnet.access import NetworkMixin, Perm, method_checked, network_view, only
from praevnet.files import attachment_response
from praevnet.markdown import render_markdown
from praevnet.models import AuditEntry, NetworkRole
from praevnet.tables import AuditTable, CountedPaginator


class NetworkDetailView(NetworkMixin, DetailView):
    permission = Perm.VIEW_NETWORK
    template_name = "partners/network_detail.html"
    context_object_name = "network"

    def get_object(self, queryset=None):
        return self.network

    def get_context_data(self, **kwargs):
        network = self.network
        kwargs.update(
            municipalities=network.municipalities.order_by("name"),
            team=NetworkRole.objects.team_of(network),
            member_count=Membership.objects.filter(network=network, state=Membership.State.ACTIVE).count(),
            leitbild_html=render_markdown(network.leitbild),
            may_manage=access.has_perm(self.request.user, Perm.MANAGE_NETWORK, network),
            public_labels=[label for value, label in Network.PublicSection.choices if network.is_public(value)],
        )
        return super().get_context_data(**kwargs)


@login_not_required
@require_GET
def network_public(request, slug: str):
    """The public profile of a network: only what the coordination ticked, no login, no cookies, nothing foreign."""
    from goals.models import StrategicGoal

    try:
        network = Network.objects.get(slug=slug, is_active=True, public_profile=True)
    except Network.DoesNotExist:
        raise Http404("Dieses Netzwerk hat keine öffentliche Profilseite.") from None
    show = {value: network.is_public(value) for value in Network.PublicSection.values}
    return render(
        request,
        "partners/network_public.html",
        {
            "network": network,
            "show": show,
            "leitbild_html": render_markdown(network.leitbild) if show["leitbild"] else "",
            "goals": StrategicGoal.objects.filter(network=network).order_by("number") if show["ziele"] else [],
            "municipalities": network.municipalities.order_by("name") if show["eckdaten"] else [],
        },
    )


@network_view(Perm.VIEW_NETWORK)
@require_GET
def network_logo(request, network: Network):
    extension = network.logo.name.rsplit(".", 1)[-1] if network.logo else "png"
    return attachment_response(network.logo, filename=f"logo-{network.slug}.{extension}")


class NetworkUpdateView(NetworkMixin, UpdateView):
    permission = Perm.MANAGE_NETWORK
    form_class = NetworkForm
    template_name = "partners/network_form.html"

    def get_object(self, queryset=None):
        return Network.objects.get(pk=self.network.pk)

    def form_valid(self, form):
        try:
            network_update(network=self.network, actor=self.request.user, data=form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(self.request, "Die Angaben zum Netzwerk wurden gespeichert.")
        return redirect("partners:network_detail", network=self.network.slug)


# ---------------------------------------------------------------------------------------------------------------------
# Partner register
# ---------------------------------------------------------------------------------------------------------------------


def partner_queryset(network: Network):
    """The register of one network with everything the list shows, in a fixed number of queries."""
    return (
        Partner.objects.filter(memberships__network=network)
        .annotate(
            # the state from the membership row the filter joins already (one per network): a subquery per row,
            # ordered like Membership's Meta, joined network and institution again for every row it computed
            membership_state=F("memberships__state"),
            offer_count=OFFER_COUNT,
            sector_names=SECTOR_NAMES,
        )
        .only(*PARTNER_LIST_FIELDS)  # not the long texts and the search vector of every row
    )


def _per_partner(sql: str) -> str:
    """A correlated subquery on the register's rows, written out: the ORM spent longer compiling its Subquery and
    ArraySubquery for every page (0.4 ms) than PostgreSQL spends running them for 25 rows. The register query is
    never nested in another query, so its institutions keep their table name as alias."""
    quote = connection.ops.quote_name
    return sql.format(
        partner=f"{quote(Partner._meta.db_table)}.id",
        offer=quote(Offer._meta.db_table),
        sector=quote(Sector._meta.db_table),
        partner_sectors=quote(Partner.sectors.through._meta.db_table),
    )


OFFER_COUNT = RawSQL(
    _per_partner("SELECT COUNT(*) FROM {offer} o WHERE o.partner_id = {partner}"), (), output_field=IntegerField()
)
# the names in the page query itself, in the sectors' list order: a prefetch would be a second query and model
# instances per row
SECTOR_NAMES = RawSQL(
    _per_partner(
        "ARRAY(SELECT s.name FROM {sector} s JOIN {partner_sectors} ps ON ps.sector_id = s.id "
        'WHERE ps.partner_id = {partner} ORDER BY s."order", s.name)'
    ),
    (),
    output_field=ArrayField(CharField()),
)


def register_counts(network: Network) -> tuple[int, int]:
    """The register without a filter: (institutions of the network not archived, profiles among them waiting for
    review), what ``partner_queryset(network).filter(archived_at__isnull=True)`` counts.

    Written out like the subqueries above: compiling the ORM's aggregate over the register query took longer than
    PostgreSQL needs to count a network's members.
    """
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), COUNT(*) FILTER (WHERE p.profile_state = %s) FROM {quote(Membership._meta.db_table)} m "
            f"JOIN {quote(Partner._meta.db_table)} p ON p.id = m.partner_id "
            "WHERE m.network_id = %s AND p.archived_at IS NULL",
            [Partner.ProfileState.SUBMITTED.value, network.pk],
        )
        listed, waiting = cursor.fetchone()
    return listed, waiting


#: The partner fields the register table shows or needs (name, place, state, archived, changed since review).
PARTNER_LIST_FIELDS = ("name", "city", "archived_at", "profile_state", "updated", "reviewed_at")


# Reads only (the session is saved by its middleware, outside any transaction): no BEGIN and COMMIT around it.
@method_decorator(transaction.non_atomic_requests, name="dispatch")
class PartnerListView(NetworkMixin, SingleTableMixin, FilterView):
    permission = Perm.VIEW_PARTNERS
    table_class = PartnerTable
    filterset_class = PartnerFilter
    template_name = "partners/partner_list.html"

    def get_queryset(self):
        return partner_queryset(self.network)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["network"] = self.network
        return kwargs

    def get_table_kwargs(self):
        return {"network": self.network}

    @cached_property
    def per_page(self) -> int:
        per_page = self.request.GET.get("per_page")
        return int(per_page) if per_page in {"25", "50", "100"} else 25

    def get_table_pagination(self, table):
        pagination = {"per_page": self.per_page}
        if self.counts[0] is not None:
            pagination.update(paginator_class=CountedPaginator, count=self.counts[0])
        return pagination

    @cached_property
    def counts(self) -> tuple[int | None, int]:
        """(institutions listed or None, profiles waiting for review).

        Without a filter both count the same rows – the network's institutions that are not archived – so one
        query answers both; with a filter the list's count is left to the paginator.
        """
        if not any(self.request.GET.get(name) for name in self.filterset.filters):
            return register_counts(self.network)
        waiting = Q(profile_state=Partner.ProfileState.SUBMITTED)
        return None, Partner.objects.in_network(self.network).filter(waiting, archived_at__isnull=True).count()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            may_manage=access.has_perm(self.request.user, Perm.MANAGE_PARTNERS, self.network),
            per_page_options=[25, 50, 100],
            current_per_page=self.per_page,
            query_without_page=query.urlencode(),
            waiting_for_review=self.counts[1],
        )
        return context


@method_checked
@network_view(Perm.VIEW_NETWORK)
def partner_detail(request, network: Network, pk: int):
    partner = access.get_partner_or_404(request.user, network, pk)
    only(request, "GET")
    partner = (
        Partner.objects.filter(pk=partner.pk)
        .prefetch_related(
            "sectors",
            "districts__municipality",
            "languages",
            "contacts",
            Prefetch(
                "offers",
                queryset=Offer.objects.prefetch_related(
                    "life_stages", "access_routes", "districts__municipality", "languages"
                ),
            ),
        )
        .get()
    )
    history = AuditEntry.objects.filter(object_type="partners.Partner", object_id=str(partner.pk)).order_by(
        "-created", "-id"
    )
    manage = access.has_perm(request.user, Perm.MANAGE_PARTNERS, network)
    context = {
        "network": network,
        "partner": partner,
        "membership": Membership.objects.get(partner=partner, network=network),
        "history": AuditTable(history, request=request, exclude=("object_label",)),
        "may_edit": access.may_edit_partner(request.user, partner, network),
        "may_manage": manage,
        "may_submit": access.may_edit_partner(request.user, partner, network)
        and partner.profile_state != Partner.ProfileState.SUBMITTED,
        "review_form": ReviewForm() if manage and partner.profile_state == Partner.ProfileState.SUBMITTED else None,
        "other_networks": Network.objects.filter(memberships__partner=partner).exclude(pk=network.pk),
    }
    return render(request, "partners/partner_detail.html", context)


@method_checked
@network_view(Perm.EDIT_OWN_PARTNER)
def own_partner(request, network: Network):
    """The "Meine Einrichtung" entry of partner contacts: straight to their institution's profile."""
    partner = access.own_partner(request.user, network)
    if partner is None:
        raise Http404
    only(request, "GET")
    return redirect("partners:partner_detail", network=network.slug, pk=partner.pk)


class PartnerFormMixin:
    """One page for the profile and its inline lists of contact persons and offers."""

    template_name = "partners/partner_form.html"
    form_class = PartnerForm

    def forms(self, data=None, files=None):
        instance = getattr(self, "partner", None) or Partner()
        form = self.form_class(data, files, instance=instance, network=self.network)
        contacts = ContactFormSet(data, instance=instance, prefix="contacts")
        offers = OfferFormSet(data, instance=instance, prefix="offers", form_kwargs={"network": self.network})
        return form, contacts, offers

    def get(self, request, *args, **kwargs):
        return self.render(*self.forms())

    def post(self, request, *args, **kwargs):
        form, contacts, offers = self.forms(request.POST, request.FILES)
        valid = [form.is_valid(), contacts.is_valid(), offers.is_valid()]
        if not all(valid):
            return self.render(form, contacts, offers, status=200)
        try:
            partner = self.save(form, child_changes(contacts), child_changes(offers))
        except ConflictError as conflict:
            return self.render(form, contacts, offers, conflict=conflict.entries, status=409)
        except DuplicatePartnerError as duplicate:
            form.add_error("name", str(duplicate))
            return self.render(form, contacts, offers, duplicate=duplicate, status=200)
        except (WorkflowError, ValidationError) as error:
            messages_list = error.messages if isinstance(error, ValidationError) else [str(error)]
            for message in messages_list:
                form.add_error(None, message)
            return self.render(form, contacts, offers, status=200)
        messages.success(request, self.success_message)
        return redirect("partners:partner_detail", network=self.network.slug, pk=partner.pk)

    def render(self, form, contacts, offers, conflict=None, duplicate=None, status=200):
        context = {
            "duplicate": duplicate,
            "network": self.network,
            "form": form,
            "contacts": contacts,
            "offers": offers,
            "partner": getattr(self, "partner", None),
            "conflict": conflict,
            "title": self.title,
            "has_errors": form.errors or contacts.total_error_count() or offers.total_error_count(),
        }
        return render(self.request, self.template_name, context, status=status)


def child_changes(formset) -> list[ChildChange]:
    changes = []
    for form in formset.forms:
        if not form.has_changed() and not form.instance.pk:
            continue
        data = {name: form.cleaned_data.get(name) for name in form._meta.fields}
        changes.append(ChildChange(pk=form.instance.pk, data=data, delete=bool(form.cleaned_data.get("DELETE"))))
    return changes


class PartnerCreateView(NetworkMixin, PartnerFormMixin, View):
    permission = Perm.MANAGE_PARTNERS
    form_class = PartnerCreateForm
    title = "Einrichtung aufnehmen"
    success_message = "Die Einrichtung wurde aufgenommen."

    def save(self, form, contacts, offers):
        data = {name: form.cleaned_data.get(name) for name in [*PARTNER_FIELDS, *PARTNER_M2M]}
        return partner_create(
            network=self.network,
            actor=self.request.user,
            data=data,
            contacts=contacts,
            offers=offers,
            membership_state=form.cleaned_data["membership_state"],
            member_since=form.cleaned_data["member_since"],
        )


@method_checked
@network_view(Perm.MANAGE_PARTNERS)
def partner_join(request, network: Network):
    """Make an institution registered in another network (found by name and postcode) a member here as well."""
    only(request, "POST")
    form = JoinForm(request.POST)
    key = institution_key(request.POST.get("name", ""), request.POST.get("postcode", ""))
    partner = Partner.objects.by_institution_key({key}).get(key) if form.is_valid() else None
    if partner is None:
        messages.error(request, "Zu diesem Namen und dieser PLZ ist keine Einrichtung registriert.")
        return redirect("partners:partner_create", network=network.slug)
    try:
        membership_join(
            network=network,
            partner=partner,
            actor=request.user,
            state=form.cleaned_data["membership_state"],
            since=form.cleaned_data["member_since"],
        )
    except (WorkflowError, ValidationError) as error:
        messages.error(request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))
    else:
        messages.success(
            request,
            f"„{partner.name}“ ist jetzt auch Mitglied in diesem Netzwerk. "
            "Das Profil ist dasselbe wie in den anderen Netzwerken der Einrichtung.",
        )
    if Membership.objects.filter(network=network, partner=partner).exists():
        return redirect("partners:partner_detail", network=network.slug, pk=partner.pk)
    return redirect("partners:partner_create", network=network.slug)


class PartnerUpdateView(NetworkMixin, PartnerFormMixin, View):
    permission = Perm.VIEW_NETWORK
    title = "Einrichtungsprofil bearbeiten"
    success_message = "Das Profil wurde gespeichert."

    def dispatch(self, request, *args, **kwargs):
        network = access.enter_network(request, kwargs["network"], self.permission)
        self.partner = access.get_partner_or_404(request.user, network, kwargs["pk"], edit=True)
        return super().dispatch(request, *args, **kwargs)

    def save(self, form, contacts, offers):
        data = {name: form.cleaned_data.get(name) for name in [*PARTNER_FIELDS, *PARTNER_M2M]}
        version = form.cleaned_data.get("version") or 0
        return partner_update(
            partner=self.partner,
            network=self.network,
            actor=self.request.user,
            data=data,
            version=version,
            contacts=contacts,
            offers=offers,
        )


@method_checked
@network_view(Perm.VIEW_NETWORK)
def partner_submit_view(request, network: Network, pk: int):
    partner = access.get_partner_or_404(request.user, network, pk, edit=True)
    only(request, "POST")
    try:
        partner_submit(partner=partner, network=network, actor=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Das Profil ist zur Prüfung eingereicht. Die Netzwerkkoordination meldet sich.")
    return redirect("partners:partner_detail", network=network.slug, pk=partner.pk)


@method_checked
@network_view(Perm.MANAGE_PARTNERS)
def partner_review_view(request, network: Network, pk: int):
    partner = access.get_partner_or_404(request.user, network, pk)
    only(request, "POST")
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Bitte wählen Sie, ob das Profil geprüft ist oder zurückgeht.")
        return redirect("partners:partner_detail", network=network.slug, pk=partner.pk)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        partner_review(
            partner=partner, network=network, actor=request.user, approve=approve, comment=form.cleaned_data["comment"]
        )
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, "Das Profil ist geprüft." if approve else "Das Profil geht mit Ihrer Anmerkung zurück."
        )
    return redirect("partners:partner_detail", network=network.slug, pk=partner.pk)


@method_checked
@network_view(Perm.MANAGE_PARTNERS)
def partner_archive_view(request, network: Network, pk: int):
    partner = access.get_partner_or_404(request.user, network, pk)
    only(request, "POST")
    archive = request.POST.get("restore") is None
    partner_archive(partner=partner, network=network, actor=request.user, archive=archive)
    messages.success(
        request,
        "Die Einrichtung ist archiviert; sie bleibt mit ihren Vereinbarungen erhalten."
        if archive
        else "Die Einrichtung ist wieder im Register.",
    )
    return redirect("partners:partner_detail", network=network.slug, pk=partner.pk)
