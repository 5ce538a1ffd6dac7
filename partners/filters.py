import django_filters
from django import forms
from django.db.models import Exists, OuterRef

from partners.models import District, LifeStage, Membership, Offer, Partner, Sector


class PartnerFilter(django_filters.FilterSet):
    """The filters of the partner register; `network` limits the districts to the network's municipalities."""

    q = django_filters.CharFilter(label="Suche", method="filter_search")
    sector = django_filters.ModelChoiceFilter(
        label="Handlungsfeld", queryset=Sector.objects.all(), field_name="sectors", empty_label="alle"
    )
    life_stage = django_filters.ModelChoiceFilter(
        label="Lebensphase", queryset=LifeStage.objects.all(), method="filter_life_stage", empty_label="alle"
    )
    district = django_filters.ModelChoiceFilter(
        label="Sozialraum", queryset=District.objects.none(), method="filter_district", empty_label="alle"
    )
    membership_state = django_filters.ChoiceFilter(
        label="Mitgliedschaft", choices=Membership.State.choices, method="filter_membership", empty_label="alle"
    )
    profile_state = django_filters.ChoiceFilter(
        label="Profil", choices=Partner.ProfileState.choices, empty_label="alle"
    )
    archived = django_filters.BooleanFilter(
        label="nur archivierte", method="filter_archived", widget=forms.CheckboxInput
    )

    class Meta:
        model = Partner
        fields = ["q", "sector", "life_stage", "district", "membership_state", "profile_state", "archived"]

    def __init__(self, data=None, queryset=None, *, network, request=None, prefix=None):
        self.network = network
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.filters["district"].queryset = District.objects.filter(municipality__networks=network).select_related(
            "municipality"
        )

    @property
    def qs(self):
        queryset = super().qs
        if not (self.form.is_bound and self.form.is_valid() and self.form.cleaned_data.get("archived")):
            queryset = queryset.filter(archived_at__isnull=True)
        return queryset

    def filter_search(self, queryset, name, value):
        return queryset.search(value) if value.strip() else queryset

    # Uncorrelated IN subqueries: at 100,000 offers the correlated EXISTS took 600 ms, these take a few.
    def filter_life_stage(self, queryset, name, value):
        return queryset.filter(pk__in=Offer.objects.filter(life_stages=value).order_by().values("partner_id"))

    def filter_district(self, queryset, name, value):
        served = Partner.districts.through.objects.filter(district=value).order_by().values("partner_id")
        in_offers = Offer.objects.filter(districts=value).order_by().values("partner_id")
        return queryset.filter(pk__in=served.union(in_offers))

    def filter_membership(self, queryset, name, value):
        return queryset.filter(
            Exists(Membership.objects.filter(partner=OuterRef("pk"), network=self.network, state=value))
        )

    def filter_archived(self, queryset, name, value):
        return queryset.filter(archived_at__isnull=False) if value else queryset
