from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Gremien und Sitzungen"

    def ready(self):
        from praevnet.audit import ACTION_LABELS

        ACTION_LABELS.update(
            {
                "body.create": "Gremium angelegt",
                "body.update": "Gremium geändert",
                "body.member_add": "Mitglied ins Gremium aufgenommen",
                "body.member_update": "Mitglied des Gremiums geändert",
                "meeting.year_plan": "Jahresplan angelegt",
                "meeting.create": "Sitzung angelegt",
                "meeting.update": "Sitzung geändert",
                "meeting.cancel": "Sitzung abgesagt",
                "meeting.invite": "zur Sitzung eingeladen",
                "meeting.reply": "auf Einladung geantwortet",
                "meeting.agenda_add": "TOP hinzugefügt",
                "meeting.agenda_update": "TOP geändert",
                "meeting.agenda_delete": "TOP gestrichen",
                "meeting.attendance": "Anwesenheit erfasst",
                "meeting.guest_add": "Gast eingetragen",
                "protocol.update": "Protokoll geändert",
                "protocol.recommendation_add": "Empfehlung aufgenommen",
                "protocol.recommendation_delete": "Empfehlung gestrichen",
                "protocol.action_add": "Aufgabe aufgenommen",
                "protocol.action_delete": "Aufgabe gestrichen",
                "protocol.send": "Protokoll zur Abstimmung versandt",
                "protocol.comment": "Anmerkung zum Protokoll",
                "protocol.approve": "Protokoll genehmigt",
                "action.done": "Aufgabe erledigt",
            }
        )
