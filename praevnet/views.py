from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection, transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import UpdateView

from partners.models import Membership, Network
from partners.tables import MembershipTable
from praevnet import access
from praevnet.access import Perm, network_view
from praevnet.forms import AccountForm, LoginForm
from praevnet.markdown import render_markdown
from praevnet.models import NetworkRole, SiteText
from praevnet.services import user_update_profile


def home(request):
    """Send the user to the network they used last (or their first); explain when they have none."""
    networks = access.networks_of(request.user)
    if not networks:
        if request.user.is_staff:
            return redirect("admin:index")
        return render(request, "praevnet/no_network.html")
    last = request.session.get("network")
    chosen = next((n for n in networks if n.slug == last), networks[0])
    return redirect("dashboard", network=chosen.slug)


@network_view(Perm.VIEW_NETWORK)
def dashboard(request, network: Network):
    role = access.role_in(request.user, network)
    memberships = Membership.objects.filter(network=network).select_related("partner").order_by("partner__name")
    counts = dict.fromkeys(Membership.State.values, 0)
    for state in memberships.values_list("state", flat=True):
        counts[state] += 1
    team = NetworkRole.objects.team_of(network)
    context = {
        "network": network,
        "role": role,
        "counts": counts,
        "team": team,
        "may_manage": access.has_perm(request.user, Perm.MANAGE_NETWORK, network),
    }
    if role is not None and role.role == NetworkRole.Role.PARTNER:
        context["partner"] = role.partner
        context["own_membership"] = next((m for m in memberships if m.partner_id == role.partner_id), None)
        context["other_members"] = [
            m.partner for m in memberships if m.state == Membership.State.ACTIVE and m.partner_id != role.partner_id
        ]
        template = "praevnet/dashboard_partner.html"
    else:
        context["table"] = MembershipTable(memberships, request=request)
        template = "praevnet/dashboard_staff.html"
    return render(request, template, context)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


class AccountView(UpdateView):
    form_class = AccountForm
    template_name = "praevnet/account.html"
    success_url = reverse_lazy("account")

    def get_object(self, queryset=None):
        return self.request.user

    def get_context_data(self, **kwargs):
        kwargs["roles"] = (
            NetworkRole.objects.filter(user=self.request.user)
            .select_related("network", "partner")
            .order_by("network__name")
        )
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        user_update_profile(user=self.request.user, actor=self.request.user, data=form.cleaned_data)
        messages.success(self.request, "Ihre Angaben wurden gespeichert.")
        return redirect(self.success_url)


LEGAL_PAGES = {
    "impressum": "praevnet/legal_impressum.html",
    "datenschutz": "praevnet/legal_datenschutz.html",
    "barrierefreiheit": "praevnet/legal_barrierefreiheit.html",
}


@login_not_required
@require_GET
def legal_page(request, key: str):
    """Impressum, Datenschutz and Barrierefreiheit: the installation's own text, or our default."""
    if key not in LEGAL_PAGES:
        raise Http404
    text = SiteText.objects.filter(key=key).first()
    context = {
        "title": SiteText.Key(key).label,
        "custom_body": mark_safe(render_markdown(text.body)) if text else None,
        "updated": text.updated if text else None,
    }
    return render(request, LEGAL_PAGES[key], context)


@login_not_required
@never_cache
@require_GET
@transaction.non_atomic_requests
def healthz(request):
    """For load balancers and compose: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_not_required
@require_GET
def robots_txt(request):
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")
