from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection, transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import UpdateView
from django_filters.views import FilterView
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tables2 import SingleTableMixin

from goals import selectors as goal_selectors
from meetings.dashboard import meeting_dashboard
from partners.models import Membership, Network, Partner
from partners.tables import MembershipTable
from praevnet import access
from praevnet.access import NetworkMixin, Perm, network_view
from praevnet.auth import has_confirmed_device, two_factor_required
from praevnet.filters import AuditFilter
from praevnet.forms import AccountForm, LoginForm, OtpCodeForm
from praevnet.markdown import render_markdown
from praevnet.models import AuditEntry, NetworkRole, SiteText
from praevnet.services import two_factor_disable, two_factor_enable, user_update_profile
from praevnet.tables import AuditTable


@require_GET
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
@require_GET
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
        "waiting_for_review": Partner.objects.in_network(network)
        .filter(profile_state=Partner.ProfileState.SUBMITTED, archived_at__isnull=True)
        .count(),
        "team": team,
        "may_manage": access.has_perm(request.user, Perm.MANAGE_NETWORK, network),
        **meeting_dashboard(request.user, network),
    }
    if role is not None and role.role == NetworkRole.Role.PARTNER:
        context["partner"] = role.partner
        context["goals_partner"] = goal_selectors.dashboard_partner(network, role.partner)
        context["own_membership"] = next((m for m in memberships if m.partner_id == role.partner_id), None)
        context["other_members"] = [
            m.partner for m in memberships if m.state == Membership.State.ACTIVE and m.partner_id != role.partner_id
        ]
        template = "praevnet/dashboard_partner.html"
    else:
        context["table"] = MembershipTable(memberships, request=request, network=network)
        context["goals_staff"] = goal_selectors.dashboard_staff(network)
        template = "praevnet/dashboard_staff.html"
    return render(request, template, context)


class AuditLogView(NetworkMixin, SingleTableMixin, FilterView):
    """The network's audit trail: who changed what and when (coordination and Jugendamt)."""

    permission = Perm.VIEW_AUDIT
    table_class = AuditTable
    filterset_class = AuditFilter
    template_name = "praevnet/audit_list.html"
    table_pagination = {"per_page": 50}

    def get_queryset(self):
        return AuditEntry.objects.filter(network=self.network).order_by("-created", "-id")


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
        kwargs["two_factor_active"] = has_confirmed_device(self.request.user)
        kwargs["two_factor_required"] = two_factor_required(self.request.user)
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


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


def two_factor_verify(request):
    """Second step of the login: the code from the authenticator app (or a one-time backup code)."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not has_confirmed_device(request.user):
        return redirect("two_factor_setup")
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("code", "Dieser Code stimmt nicht oder ist abgelaufen. Bitte den aktuellen Code eingeben.")
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request)})


def two_factor_setup(request):
    """Set up the authenticator app: QR code and secret, confirmed by the first code; then show backup codes."""
    import base64

    import qrcode
    import qrcode.image.svg

    user = request.user
    if has_confirmed_device(user) and not user.is_verified():
        return redirect("two_factor_verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator-App", confirmed=False)
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor_enable(user=user, device=device, token=form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, device)
            return render(request, "registration/two_factor_codes.html", {"codes": codes, "next": _next_url(request)})
        form.add_error("code", "Dieser Code stimmt nicht. Prüfen Sie, ob die Uhrzeit Ihres Telefons stimmt.")
    qr_svg = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).to_string()
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr_svg": mark_safe(qr_svg.decode()),
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "required": two_factor_required(user),
        "next": _next_url(request),
    }
    return render(request, "registration/two_factor_setup.html", context)


@require_POST
def two_factor_off(request):
    """A partner contact may switch the optional second factor off again; required roles may not."""
    if two_factor_required(request.user):
        messages.error(request, "Für Ihre Rolle ist die Anmeldung mit zweitem Faktor vorgeschrieben.")
        return redirect("account")
    two_factor_disable(user=request.user, actor=request.user)
    messages.success(request, "Die Anmeldung mit zweitem Faktor ist ausgeschaltet.")
    return redirect("account")
