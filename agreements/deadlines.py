"""Deadlines ("Fristen"): what falls due in the coming days, for the Fristen page and the daily reminders.

Reads only; the dates come from the date engine (agreements.terms). A deadline that falls on a weekend or on a public
holiday of the network's federal state is flagged, never moved (§ 193 BGB does not apply to notice periods,
BGH III ZR 172/04).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from agreements import terms as terms_engine
from agreements.models import Agreement, Reminder, Signature, SigningInvitation
from partners.models import Network
from praevnet.calendar import holiday_name

#: The Fristen page looks this far ahead.
HORIZON_DAYS = 90
#: Coordinators are reminded of a deadline this many days before it.
REMIND_DAYS = 30
#: A partner contact is reminded of an unused signing link this many days before it expires.
INVITATION_REMIND_DAYS = 3

WEEKDAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]


def _date(day: datetime.date) -> str:
    return f"{day:%d.%m.%Y}"


def day_warning(day: datetime.date | None, federal_state: str | None) -> str:
    """ "Samstag", "Sonntag" or the public holiday ("Feiertag: Ostermontag") on `day` in `federal_state`; "" else."""
    if day is None:
        return ""
    holiday = holiday_name(day, federal_state) if federal_state else None
    if holiday:
        return f"Feiertag: {holiday}" + (f" ({WEEKDAYS[day.weekday()]})" if day.weekday() >= 5 else "")
    if day.weekday() >= 5:
        return WEEKDAYS[day.weekday()]
    return ""


def warning_sentence(label: str, day: datetime.date | None, federal_state: str | None, advice: str = "") -> str:
    """A German warning for the termination page, or "" when `day` is a working day."""
    what = day_warning(day, federal_state)
    if not what:
        return ""
    if what in WEEKDAYS:
        kind = "ein Wochenende"
    else:
        kind = "einen gesetzlichen Feiertag"
        what = what.removeprefix("Feiertag: ").replace(" (", ", ").rstrip(")")
    return (
        f"{label} ({_date(day)}) fällt auf {kind} ({what}). Der Tag verschiebt sich dadurch nicht (§ 193 BGB gilt "
        f"nicht für Kündigungsfristen){'; ' + advice if advice else ''}."
    )


@dataclass(frozen=True)
class Deadline:
    """One dated event of one agreement."""

    day: datetime.date
    kind: str  # a Reminder.Kind value
    agreement: Agreement
    text: str
    warning: str = ""
    #: Also sent by e-mail to the coordination (recurring calendar deadlines of open-ended agreements are not).
    remind: bool = True

    @property
    def kind_label(self) -> str:
        return Reminder.Kind(self.kind).label

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.agreement.pk}:{self.day.isoformat()}"


def agreement_deadlines(
    agreement: Agreement, *, today: datetime.date, until: datetime.date, federal_state: str | None = None
) -> list[Deadline]:
    """The deadlines of one agreement (in force or terminated) that fall between `today` and `until`."""
    result: list[Deadline] = []

    def add(day, kind, text, remind=True):
        if today <= day <= until:
            result.append(Deadline(day, kind, agreement, text, day_warning(day, federal_state), remind))

    if agreement.status == Agreement.Status.TERMINATED:
        if agreement.ends_on:
            add(
                agreement.ends_on,
                Reminder.Kind.ENDING,
                f"endet nach Kündigung mit Ablauf des {_date(agreement.ends_on)}; die Mitgliedschaft endet danach.",
            )
        return result
    if agreement.status != Agreement.Status.IN_FORCE or agreement.effective_from is None:
        return result
    terms = agreement.template.terms()
    effective_from = agreement.effective_from
    upcoming = terms_engine.next_notice_deadline(terms, effective_from=effective_from, today=today)
    if upcoming is not None:
        deadline, end = upcoming
        add(
            deadline,
            Reminder.Kind.NOTICE,
            f"Letzter Tag, an dem eine Kündigung zugehen muss, damit die Vereinbarung mit Ablauf des {_date(end)} "
            "endet.",
            remind=terms.initial_months is not None,
        )
    if terms.renewal_months is not None:
        for start in terms_engine.renewal_dates(terms, effective_from=effective_from, until=until):
            if start < today:
                continue
            period_end = terms_engine.running_term_end(terms, effective_from=effective_from, on=start)
            text = (
                f"verlängert sich um {terms.renewal_months} Monate bis zum {_date(period_end)}"
                if period_end
                else f"verlängert sich um {terms.renewal_months} Monate"
            )
            try:
                last_notice = terms_engine.notice_deadline(
                    terms, effective_from=effective_from, end_date=start - datetime.timedelta(days=1)
                )
            except ValueError:
                last_notice = None
            if last_notice is not None:
                text += (
                    f", wenn bis zum {_date(last_notice)} keine Kündigung zugeht"
                    if last_notice >= today
                    else f" (Kündigungsfrist am {_date(last_notice)} abgelaufen)"
                )
            add(start, Reminder.Kind.RENEWAL, text + ".")
    elif terms.fixed:
        end = terms_engine.term_end(terms, effective_from=effective_from)
        add(
            end,
            Reminder.Kind.TERM_END,
            f"endet mit Ablauf der Laufzeit am {_date(end)}, ohne dass es einer Kündigung bedarf.",
        )
    return result


def network_deadlines(network: Network, *, today: datetime.date, days: int = HORIZON_DAYS) -> list[Deadline]:
    """Every deadline of the network's agreements in the next `days` days, in date order."""
    until = today + datetime.timedelta(days=days)
    agreements = (
        Agreement.objects.filter(network=network, status__in=Agreement.VALID_STATES)
        .select_related("partner", "template", "network")
        .order_by("partner__name")
    )
    result = []
    for agreement in agreements:
        result.extend(
            agreement_deadlines(agreement, today=today, until=until, federal_state=network.federal_state or None)
        )
    return sorted(result, key=lambda d: (d.day, d.agreement.partner.name, d.kind))


@dataclass
class OpenInvitation:
    agreement: Agreement
    invitation: SigningInvitation | None  # the usable link, None when every link has expired or was withdrawn
    last_sent: SigningInvitation | None
    days_left: int | None = None
    expires_soon: bool = False
    lapsed: bool = False


def open_invitations(network: Network, *, now: datetime.datetime | None = None) -> list[OpenInvitation]:
    """Invited agreements with their usable link (and how long it lasts) or the note that it lapsed."""
    now = now or timezone.now()
    agreements = (
        Agreement.objects.filter(network=network, status=Agreement.Status.INVITED)
        .select_related("partner", "template", "supersedes")
        .prefetch_related(Prefetch("invitations", queryset=SigningInvitation.objects.order_by("-created_at")))
        .order_by("partner__name")
    )
    result = []
    for agreement in agreements:
        invitations = list(agreement.invitations.all())
        usable = next(
            (i for i in invitations if i.used_at is None and i.revoked_at is None and i.expires_at > now), None
        )
        item = OpenInvitation(agreement, usable, invitations[0] if invitations else None)
        if usable is None:
            item.lapsed = True
        else:
            left = usable.expires_at - now
            item.days_left = left.days
            item.expires_soon = left <= datetime.timedelta(days=INVITATION_REMIND_DAYS)
        result.append(item)
    return sorted(result, key=lambda i: (not i.expires_soon, not i.lapsed, i.agreement.partner.name))


def awaiting_countersignature(network: Network):
    """Agreements the partner signed and the Jugendamt has not countersigned yet, oldest first."""
    return (
        Agreement.objects.filter(network=network, status=Agreement.Status.SIGNED)
        .select_related("partner", "template")
        .prefetch_related(Prefetch("signatures", queryset=Signature.objects.filter(side=Signature.Side.PARTNER)))
        .order_by("effective_from", "partner__name")
    )
