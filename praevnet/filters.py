import django_filters

from praevnet.audit import ACTION_LABELS
from praevnet.models import AuditEntry
from praevnet.widgets import FastDateInput, FastTextInput


class AuditFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(
        label="Aktion", choices=lambda: sorted(ACTION_LABELS.items(), key=lambda i: i[1]), empty_label="alle Aktionen"
    )
    actor_label = django_filters.CharFilter(label="Person", lookup_expr="icontains", widget=FastTextInput)
    since = django_filters.DateFilter(
        label="von", field_name="created", lookup_expr="date__gte", widget=FastDateInput(attrs={"type": "date"})
    )
    until = django_filters.DateFilter(
        label="bis", field_name="created", lookup_expr="date__lte", widget=FastDateInput(attrs={"type": "date"})
    )

    class Meta:
        model = AuditEntry
        fields = ["action", "actor_label", "since", "until"]
