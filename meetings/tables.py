import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from meetings.models import ActionItem, Meeting
from praevnet.tables import DateColumn, Table, pk_url

BADGES = {
    "geplant": "text-bg-light border",
    "eingeladen": "text-bg-info",
    "abgesagt": "text-bg-secondary",
    "entwurf": "text-bg-light border",
    "versandt": "text-bg-warning",
    "genehmigt": "text-bg-success",
}


def badge(value: str, label: str) -> str:
    return format_html('<span class="badge {}">{}</span>', BADGES.get(value, "text-bg-light"), label)


class MeetingTable(Table):
    starts_at = tables.Column(verbose_name="Termin")
    title = tables.Column(verbose_name="Sitzung", empty_values=())
    place = tables.Column(verbose_name="Ort")
    state = tables.Column(verbose_name="Status")
    protocol_state = tables.Column(verbose_name="Protokoll")

    class Meta:
        model = Meeting
        fields = ("starts_at", "title", "place", "state", "protocol_state")
        attrs = {"class": "table table-hover align-middle"}
        empty_text = "Keine Sitzungen."
        per_page = 25

    def __init__(self, *args, network, **kwargs):
        self.network = network
        self.meeting_url = pk_url("meetings:meeting_detail", network=network.slug)
        super().__init__(*args, **kwargs)

    def render_starts_at(self, record):
        starts, ends = timezone.localtime(record.starts_at), timezone.localtime(record.ends_at)
        return format_html(
            "{} · {}–{} Uhr", starts.strftime("%d.%m.%Y"), starts.strftime("%H:%M"), ends.strftime("%H:%M")
        )

    def render_title(self, record):
        url = self.meeting_url(record.pk)
        return format_html(
            '<a href="{}">{}</a><br><small class="text-body-secondary">{}</small>', url, str(record), record.body.name
        )

    def render_state(self, record):
        return badge(record.state, record.state_label)

    def render_protocol_state(self, record):
        if record.state == Meeting.State.CANCELLED:
            return "—"
        return badge(record.protocol_state, record.get_protocol_state_display())


class ActionItemTable(Table):
    text = tables.Column(verbose_name="Aufgabe")
    responsible = tables.Column(verbose_name="verantwortlich", empty_values=(), orderable=False)
    due_date = DateColumn(format="d.m.Y", verbose_name="bis")
    meeting = tables.Column(verbose_name="aus der Sitzung", order_by=("meeting__starts_at",))
    done_at = tables.Column(verbose_name="Stand", empty_values=())

    class Meta:
        model = ActionItem
        fields = ("text", "responsible", "due_date", "meeting", "done_at")
        attrs = {"class": "table table-hover align-middle"}
        empty_text = "Keine Aufgaben."
        per_page = 50

    def __init__(self, *args, network, may_mark: set[int], csrf_token: str, **kwargs):
        self.network = network
        self.may_mark = may_mark
        self.csrf_token = csrf_token
        self.meeting_url = pk_url("meetings:meeting_detail", network=network.slug)
        self.done_url = pk_url("meetings:action_done", network=network.slug)
        super().__init__(*args, **kwargs)

    def render_responsible(self, record):
        return record.responsible_label

    def render_meeting(self, record):
        url = self.meeting_url(record.meeting_id)
        return format_html('<a href="{}">{}</a>', url, str(record.meeting))

    def render_done_at(self, record):
        if record.done_at:
            return format_html(
                '<span class="badge text-bg-success">erledigt {}</span>',
                timezone.localtime(record.done_at).strftime("%d.%m.%Y"),
            )
        label = (
            mark_safe('<span class="badge text-bg-danger">überfällig</span>')
            if record.is_overdue
            else mark_safe('<span class="badge text-bg-warning">offen</span>')
        )
        if record.pk not in self.may_mark:
            return label
        url = self.done_url(record.pk)
        return format_html(
            '{} <form method="post" action="{}" class="d-inline">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<button type="submit" class="btn btn-sm btn-outline-primary ms-2">Erledigt</button></form>',
            label,
            url,
            self.csrf_token,
        )
