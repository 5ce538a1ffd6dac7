from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, UpdateView

from partners.forms import NetworkForm
from partners.models import Membership, Network
from partners.services import network_update
from praevnet import access
from praevnet.access import NetworkMixin, Perm, network_view
from praevnet.files import attachment_response
from praevnet.markdown import render_markdown
from praevnet.models import NetworkRole


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
        )
        return super().get_context_data(**kwargs)


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
        network_update(network=self.network, actor=self.request.user, data=form.cleaned_data)
        messages.success(self.request, "Die Angaben zum Netzwerk wurden gespeichert.")
        return redirect("partners:network_detail", network=self.network.slug)
