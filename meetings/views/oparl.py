"""OParl 1.1 endpoints: public, GET only, JSON (the protocol PDF aside), no cookies, errors as German JSON.

Every list answers in OParl's list format (data, pagination, links) with `page`, `limit` and the date filters
created_since/created_until/modified_since/modified_until; a wrong parameter is a 400, an unknown object a 404.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_safe

from meetings import oparl
from meetings.documents import protocol_filename
from meetings.models import Body, Meeting, Recommendation
from partners.models import Network
from praevnet.files import attachment_response


def json_response(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # OParl asks for CORS: any web page may read open data
    return response


def error(status: int, message: str) -> JsonResponse:
    return json_response({"type": oparl.oparl_type("Error"), "message": message}, status=status)


def api_view(view):
    """Public, GET (and HEAD) only; BadRequest becomes a 400, NotFound a 404, both with a German message."""

    @login_not_required
    @require_safe
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except oparl.BadRequest as exc:
            return error(400, str(exc))
        except oparl.NotFound as exc:
            return error(404, str(exc))

    return wrapper


def get_network(slug: str) -> Network:
    network = oparl.networks().filter(slug=slug).first()
    if network is None:
        raise oparl.NotFound("Dieses Netzwerk gibt es hier nicht.")
    return network


def get_body(pk: int) -> Body:
    body = Body.objects.filter(pk=pk, network__is_active=True).select_related("network").first()
    if body is None:
        raise oparl.NotFound("Dieses Gremium gibt es hier nicht.")
    return body


def get_meeting(pk: int) -> Meeting:
    meeting = oparl.meetings().filter(pk=pk).first()
    if meeting is None:
        raise oparl.NotFound("Diese Sitzung gibt es hier nicht.")
    return meeting


def get_protocol(pk: int) -> Meeting:
    meeting = oparl.protocol_files().filter(pk=pk).first()
    if meeting is None:
        raise oparl.NotFound("Zu dieser Sitzung gibt es kein genehmigtes Protokoll.")
    return meeting


MEETING_DATES = {"created": "created", "modified": "updated"}
ITEM_DATES = {"created": "meeting__created", "modified": "meeting__updated"}
FILE_DATES = {"created": "approved_at", "modified": "approved_at"}


# ---------------------------------------------------------------------------------------------------------------------
# System and bodies (networks)
# ---------------------------------------------------------------------------------------------------------------------


@api_view
def system(request):
    """The entry point: OParl version and the list of bodies."""
    return json_response(oparl.system_obj())


@api_view
def body_list(request):
    return json_response(oparl.object_list(request, oparl.networks(), oparl.body_obj))


@api_view
def body(request, network: str):
    return json_response(oparl.body_obj(get_network(network)))


@api_view
def organization_list(request, network: str):
    found = get_network(network)
    return json_response(oparl.object_list(request, oparl.organizations(found), oparl.organization_obj))


@api_view
def meeting_list(request, network: str):
    found = get_network(network)
    return json_response(oparl.object_list(request, oparl.meetings(found), oparl.meeting_obj, MEETING_DATES))


@api_view
def agendaitem_list(request, network: str):
    found = get_network(network)
    items = oparl.agenda_items(found)
    page = oparl.object_list(request, items, lambda item: item, ITEM_DATES)
    # the recommendations of the approved protocols on this page, in one query
    approved = {item.meeting_id for item in page["data"] if item.meeting.is_approved}
    by_item: dict[int, list] = {}
    if approved:
        for rec in Recommendation.objects.filter(meeting_id__in=approved, agenda_item__isnull=False).order_by(
            "created", "pk"
        ):
            by_item.setdefault(rec.agenda_item_id, []).append(rec)
    page["data"] = [
        oparl.agenda_item_obj(item, item.meeting, recommendations=by_item.get(item.pk)) for item in page["data"]
    ]
    return json_response(page)


@api_view
def file_list(request, network: str):
    found = get_network(network)
    files = oparl.protocol_files(found)
    return json_response(
        oparl.object_list(request, files, lambda meeting: oparl.file_obj(meeting, embedded=False), FILE_DATES)
    )


@api_view
def person_list(request, network: str):
    """Always empty: praevnet publishes no persons (nobody agreed to appear here as a person)."""
    get_network(network)
    return json_response(oparl.object_list(request, None, None))


@api_view
def paper_list(request, network: str):
    """Always empty: a prevention network has no Drucksachen."""
    get_network(network)
    return json_response(oparl.object_list(request, None, None))


@api_view
def legislativeterm_list(request, network: str):
    """Always empty: a prevention network has no Wahlperioden."""
    get_network(network)
    return json_response(oparl.object_list(request, None, None))


# ---------------------------------------------------------------------------------------------------------------------
# Objects
# ---------------------------------------------------------------------------------------------------------------------


@api_view
def organization(request, pk: int):
    return json_response(oparl.organization_obj(get_body(pk)))


@api_view
def organization_meetings(request, pk: int):
    found = get_body(pk)
    meetings = oparl.meetings(body=found)
    return json_response(oparl.object_list(request, meetings, oparl.meeting_obj, MEETING_DATES))


@api_view
def meeting(request, pk: int):
    return json_response(oparl.meeting_obj(get_meeting(pk)))


@api_view
def location(request, pk: int):
    return json_response(oparl.location_obj(get_meeting(pk), embedded=False))


@api_view
def agendaitem(request, pk: int):
    item = oparl.agenda_items().filter(pk=pk).first()
    if item is None:
        raise oparl.NotFound("Diesen Tagesordnungspunkt gibt es hier nicht.")
    return json_response(oparl.standalone_agenda_item_obj(item))


@api_view
def file(request, pk: int):
    return json_response(oparl.file_obj(get_protocol(pk), embedded=False))


@api_view
def file_download(request, pk: int):
    """The approved protocol without people's names, exactly as stored at approval (never a draft, never re-rendered)."""
    meeting = get_protocol(pk)
    try:
        response = attachment_response(meeting.public_protocol_pdf, filename=protocol_filename(meeting, public=True))
    except Http404:
        raise oparl.NotFound("Die Datei des Protokolls fehlt im Speicher.") from None
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=3600"
    return response
