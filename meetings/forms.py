from __future__ import annotations

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.utils import timezone

from meetings import yearplan
from meetings.models import ActionItem, AgendaItem, Body, BodyMember, Meeting, Participant
from meetings.services import BODY_FIELDS, MEMBER_FIELDS
from partners.models import Membership, Partner
from praevnet.calendar import holiday_name
from praevnet.files import validate_upload

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def member_partners(network):
    return Partner.objects.filter(memberships__network=network, archived_at__isnull=True).exclude(
        memberships__network=network, memberships__state=Membership.State.ENDED
    )


def _helper(submit: str = "") -> FormHelper:
    """Layout only: the template writes the <form> tag and its button (`submit` documents the button's label)."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class BodyForm(forms.ModelForm):
    class Meta:
        model = Body
        fields = list(BODY_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Speichern")


class MemberForm(forms.ModelForm):
    class Meta:
        model = BodyMember
        fields = list(MEMBER_FIELDS)
        widgets = {"since": DATE_WIDGET, "until": DATE_WIDGET}

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = member_partners(network).order_by("name")
        self.fields["partner"].empty_label = "– keine (Person ohne Einrichtung) –"
        self.fields[
            "representation"
        ].help_text = "nur bei Einrichtungen: je eine Delegierte/ein Delegierter und eine Stellvertretung"
        self.helper = _helper("Speichern")
        self.helper.layout = Layout(
            "partner",
            Div(Div("name", css_class="col-md-6"), Div("function", css_class="col-md-6"), css_class="row"),
            "email",
            Div(Div("role", css_class="col-md-6"), Div("representation", css_class="col-md-6"), css_class="row"),
            Div(Div("since", css_class="col-md-6"), Div("until", css_class="col-md-6"), css_class="row"),
        )

    def clean(self):
        data = super().clean()
        if not data.get("partner") and not (data.get("name") or "").strip():
            self.add_error("name", "Bitte eine Einrichtung wählen oder den Namen einer Person angeben.")
        return data


class YearPlanForm(forms.Form):
    """The proposed dates, editable before the plan is created ("vor dem Veröffentlichen")."""

    year = forms.IntegerField(widget=forms.HiddenInput, min_value=2000, max_value=2100)

    def __init__(self, *args, proposal: list[yearplan.PlannedDate], state: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.state = state
        for index, planned in enumerate(proposal, start=1):
            self.fields[f"day_{index}"] = forms.DateField(
                label=f"{index}. Termin",
                initial=planned.day,
                widget=DATE_WIDGET,
                required=False,
                help_text=f"verschoben: {planned.note}" if planned.skipped else "",
            )
        self.helper = _helper("Jahresplan anlegen")

    def days(self) -> list[datetime.date]:
        return [value for name, value in self.cleaned_data.items() if name.startswith("day_") and value]

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if name.startswith("day_") and value:
                holiday = holiday_name(value, self.state)
                if holiday:
                    self.add_error(name, f"Der {value:%d.%m.%Y} ist ein gesetzlicher Feiertag ({holiday}).")
        if not self.errors and not self.days():
            raise forms.ValidationError("Bitte mindestens einen Termin angeben.")
        return data


class MeetingForm(forms.ModelForm):
    """Date and times as separate fields; end before start is refused in German."""

    day = forms.DateField(label="Datum", widget=DATE_WIDGET)
    start = forms.TimeField(label="Beginn", widget=TIME_WIDGET)
    end = forms.TimeField(label="Ende", widget=TIME_WIDGET)

    class Meta:
        model = Meeting
        fields = ["title", "place", "invitation_text"]
        widgets = {"invitation_text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            starts, ends = timezone.localtime(self.instance.starts_at), timezone.localtime(self.instance.ends_at)
            self.initial.update(day=starts.date(), start=starts.time(), end=ends.time())
        self.helper = _helper("Speichern")
        self.helper.layout = Layout(
            "title",
            Div(
                Div("day", css_class="col-md-4"),
                Div("start", css_class="col-md-4"),
                Div("end", css_class="col-md-4"),
                css_class="row",
            ),
            "place",
            "invitation_text",
        )

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start"), data.get("end")
        if day and start and end:
            if end <= start:
                self.add_error("end", "Das Ende muss nach dem Beginn liegen.")
            else:
                data["starts_at"] = timezone.make_aware(datetime.datetime.combine(day, start))
                data["ends_at"] = timezone.make_aware(datetime.datetime.combine(day, end))
        return data

    def _post_clean(self):
        # The model's constraint (end after start) is checked by the service with the combined moments.
        pass


class CancelForm(forms.Form):
    reason = forms.CharField(label="Grund der Absage (steht in der E-Mail)", max_length=300, required=False)


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "number",
            "title",
            "description",
            "minutes",
            "presenter_member",
            "presenter_partner",
            "speaker_name",
            "speaker_organisation",
            "is_partner_presentation",
            "attachment",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        network = meeting.body.network
        self.fields["number"].required = False
        self.fields["number"].help_text = "leer: ans Ende der Tagesordnung"
        self.fields["presenter_member"].queryset = meeting.body.members.current().select_related("partner")
        self.fields["presenter_partner"].queryset = member_partners(network).order_by("name")
        self.helper = _helper("Speichern")
        self.helper.layout = Layout(
            Div(Div("number", css_class="col-md-2"), Div("title", css_class="col-md-10"), css_class="row"),
            "description",
            Div(
                Div("minutes", css_class="col-md-3"),
                Div("is_partner_presentation", css_class="col-md-9 pt-md-4"),
                css_class="row",
            ),
            Div(
                Div("presenter_member", css_class="col-md-6"),
                Div("presenter_partner", css_class="col-md-6"),
                css_class="row",
            ),
            Div(
                Div("speaker_name", css_class="col-md-6"),
                Div("speaker_organisation", css_class="col-md-6"),
                css_class="row",
            ),
            "attachment",
        )

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload and hasattr(upload, "content_type"):
            validate_upload(upload, kinds=("pdf",), max_bytes=MAX_ATTACHMENT_BYTES)
        return upload

    def clean(self):
        data = super().clean()
        presenters = [
            bool(data.get("presenter_member")),
            bool(data.get("presenter_partner")),
            bool((data.get("speaker_name") or "").strip()),
        ]
        if sum(presenters) > 1:
            raise forms.ValidationError(
                "Bitte nur eine vortragende Stelle angeben: ein Mitglied, eine Einrichtung oder eine Referentin/"
                "einen Referenten."
            )
        if data.get("speaker_organisation") and not (data.get("speaker_name") or "").strip():
            self.add_error("speaker_name", "Bitte den Namen der Referentin/des Referenten angeben.")
        if data.get("is_partner_presentation") and not data.get("presenter_partner"):
            self.add_error("presenter_partner", "Bei „Partner stellt sich vor“ bitte die Einrichtung wählen.")
        return data

    def _post_clean(self):
        # Uniqueness of the number is checked by the service after it fills in the next free number.
        pass


class ReplyForm(forms.Form):
    reply = forms.ChoiceField(
        label="Ihre Antwort",
        choices=[(value, label) for value, label in Participant.Reply.choices if value != Participant.Reply.OPEN],
        widget=forms.RadioSelect,
    )
    substitute = forms.CharField(
        label="vertreten durch (Name, Funktion)",
        max_length=150,
        required=False,
        help_text="nur wenn jemand anderes Ihre Einrichtung vertritt",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Antwort senden")

    def clean(self):
        data = super().clean()
        if data.get("reply") == Participant.Reply.SUBSTITUTE and not (data.get("substitute") or "").strip():
            self.add_error("substitute", "Bitte geben Sie an, wer Ihre Einrichtung vertritt.")
        return data


class AttendanceForm(forms.Form):
    """One choice per seat: anwesend / entschuldigt / abwesend."""

    def __init__(self, *args, participants: list[Participant], **kwargs):
        super().__init__(*args, **kwargs)
        self.participants = participants
        choices = [(value, label) for value, label in Participant.Attendance.choices if value]
        for seat in participants:
            label = seat.label
            if seat.reply == Participant.Reply.SUBSTITUTE:
                label += f" – vertreten durch {seat.substitute}"
            elif seat.reply != Participant.Reply.OPEN:
                label += f" – {seat.get_reply_display()}"
            self.fields[f"seat_{seat.pk}"] = forms.ChoiceField(
                label=label,
                choices=[("", "– bitte wählen –"), *choices],
                required=False,
                initial=seat.attendance or self._guess(seat),
            )
        self.helper = _helper("Anwesenheit speichern")

    @staticmethod
    def _guess(seat: Participant) -> str:
        if seat.is_guest:
            return Participant.Attendance.PRESENT
        if seat.reply == Participant.Reply.NO:
            return Participant.Attendance.EXCUSED
        return ""

    def values(self) -> dict[int, str]:
        return {int(name.removeprefix("seat_")): value for name, value in self.cleaned_data.items()}


class GuestForm(forms.Form):
    name = forms.CharField(label="Name des Gastes", max_length=150)
    organisation = forms.CharField(label="Einrichtung/Organisation", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Gast eintragen")


class ProtocolForm(forms.Form):
    chair = forms.CharField(label="Sitzungsleitung", max_length=150, required=False)
    minute_taker = forms.CharField(label="Protokoll", max_length=150, required=False)

    def __init__(self, *args, items: list[AgendaItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"notes_{item.pk}"] = forms.CharField(
                label=str(item),
                required=False,
                initial=item.notes,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        self.helper = _helper("Protokoll speichern")

    def notes(self) -> dict[int, str]:
        return {
            int(name.removeprefix("notes_")): value.strip()
            for name, value in self.cleaned_data.items()
            if name.startswith("notes_")
        }


class RecommendationForm(forms.Form):
    text = forms.CharField(label="Empfehlung", widget=forms.Textarea(attrs={"rows": 2}))
    agenda_item = forms.ModelChoiceField(label="zu TOP", queryset=AgendaItem.objects.none(), required=False)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.items.all()
        self.helper = _helper("Empfehlung aufnehmen")


class ActionItemForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["text", "agenda_item", "responsible_partner", "responsible_name", "due_date"]
        widgets = {"due_date": DATE_WIDGET}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.items.all()
        self.fields["responsible_partner"].queryset = member_partners(meeting.body.network).order_by("name")
        self.helper = _helper("Aufgabe aufnehmen")
        self.helper.layout = Layout(
            "text",
            Div(
                Div("agenda_item", css_class="col-md-6"),
                Div("due_date", css_class="col-md-6"),
                css_class="row",
            ),
            Div(
                Div("responsible_partner", css_class="col-md-6"),
                Div("responsible_name", css_class="col-md-6"),
                css_class="row",
            ),
        )

    def clean(self):
        data = super().clean()
        if not data.get("responsible_partner") and not (data.get("responsible_name") or "").strip():
            self.add_error("responsible_partner", "Bitte eine verantwortliche Einrichtung oder Person angeben.")
        return data

    def _post_clean(self):
        pass


class SendForm(forms.Form):
    comments_until = forms.DateField(label="Anmerkungen bis", widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Zur Abstimmung versenden")


class CommentForm(forms.Form):
    text = forms.CharField(label="Ihre Anmerkung", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Anmerkung senden")


class ApproveForm(forms.Form):
    approved_in = forms.ModelChoiceField(
        label="genehmigt in der Sitzung",
        queryset=Meeting.objects.none(),
        required=False,
        empty_label="– ohne Angabe –",
        help_text="meist im ersten TOP der nächsten Sitzung",
    )
    confirm = forms.BooleanField(
        label="Das Protokoll ist abgestimmt. Nach der Genehmigung kann es nicht mehr geändert werden.",
        required=True,
        error_messages={"required": "Bitte bestätigen Sie, dass das Protokoll abgestimmt ist."},
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approved_in"].queryset = (
            meeting.body.meetings.filter(starts_at__gt=meeting.starts_at)
            .exclude(state=Meeting.State.CANCELLED)
            .select_related("body")
            .order_by("starts_at")
        )
        self.helper = _helper("Protokoll genehmigen")
