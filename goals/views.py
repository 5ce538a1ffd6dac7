"""Goals and impact pages under /n/<network>/: goals, action goals, reviews, next steps, key figures, CSV."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from goals import exporter, selectors, services
from goals.forms import (
    ActionGoalForm,
    FigureDefinitionForm,
    FigureReportForm,
    FirstIndicatorForm,
    GoalYearForm,
    IndicatorForm,
    NextStepForm,
    ReviewForm,
    StrategicGoalForm,
)
from goals.models import ActionGoal, FigureDefinition, FigureReport, GoalYear, Indicator, NextStep, StrategicGoal
from partners.models import Network
from praevnet import access
from praevnet.access import Perm, method_checked, network_view, only
from praevnet.audit import log_action

INVALID = 400  # a form with errors is answered with 400, the page shows the German messages
CLOSED = 409  # a change to a closed year


def _errors_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def _year(request) -> int:
    """The year a page shows (?jahr=2025), the current year when missing or implausible."""
    try:
        year = int(request.GET.get("jahr", ""))
    except ValueError:
        return services.today().year
    return year if 2000 <= year <= 2100 else services.today().year


def _years(network: Network, selected: int) -> list[int]:
    years = {services.today().year, selected}
    years |= set(GoalYear.objects.filter(network=network).values_list("year", flat=True))
    years |= set(NextStep.objects.filter(network=network).values_list("year", flat=True))
    from goals.models import Review

    years |= set(
        Review.objects.filter(action_goal__strategic_goal__network=network).values_list("year", flat=True).distinct()
    )
    return sorted(years, reverse=True)


def _data(request):
    """The POST data of a form submission (also when empty, so an empty POST is answered as invalid, not as GET)."""
    return request.POST if request.method == "POST" else None


def _tabs(request, network: Network, current: str) -> dict:
    """The tabs above the goals pages: goals for everyone, key figures for staff, "Meine Kennzahlen" for partners."""
    tabs = [("goals", "Ziele und Überprüfung", "goals:goal_overview")]
    if access.has_perm(request.user, Perm.VIEW_PARTNERS, network):
        tabs.append(("figures", "Kennzahlen", "goals:figure_overview"))
    if access.own_partner(request.user, network) is not None:
        tabs.append(("own", "Meine Kennzahlen", "goals:figure_own"))
    from django.urls import reverse

    return {
        "tabs": [
            {"label": label, "url": reverse(name, kwargs={"network": network.slug}), "active": key == current}
            for key, label, name in tabs
        ]
    }


def _form_page(request, template: str, context: dict, form, status: int | None = None):
    if status is None:
        status = INVALID if request.method == "POST" and form.errors else 200
    return render(request, template, {**context, "form": form}, status=status)


# ---------------------------------------------------------------------------------------------------------------------
# Lookups: always scoped to the network
# ---------------------------------------------------------------------------------------------------------------------


def get_goal_or_404(network: Network, pk: int) -> StrategicGoal:
    try:
        return StrategicGoal.objects.get(pk=pk, network=network)
    except StrategicGoal.DoesNotExist:
        raise Http404("Dieses Ziel gibt es in diesem Netzwerk nicht.") from None


def get_action_or_404(network: Network, pk: int) -> ActionGoal:
    try:
        return ActionGoal.objects.select_related("strategic_goal", "owner_partner").get(
            pk=pk, strategic_goal__network=network
        )
    except ActionGoal.DoesNotExist:
        raise Http404("Dieses Handlungsziel gibt es in diesem Netzwerk nicht.") from None


def get_indicator_or_404(network: Network, pk: int) -> Indicator:
    try:
        return Indicator.objects.select_related("action_goal__strategic_goal").get(
            pk=pk, action_goal__strategic_goal__network=network
        )
    except Indicator.DoesNotExist:
        raise Http404("Diesen Indikator gibt es in diesem Netzwerk nicht.") from None


def get_step_or_404(network: Network, pk: int) -> NextStep:
    try:
        return NextStep.objects.get(pk=pk, network=network)
    except NextStep.DoesNotExist:
        raise Http404("Diesen Handlungsschritt gibt es in diesem Netzwerk nicht.") from None


def get_definition_or_404(network: Network, pk: int) -> FigureDefinition:
    try:
        return FigureDefinition.objects.get(pk=pk, network=network)
    except FigureDefinition.DoesNotExist:
        raise Http404("Diese Kennzahl gibt es in diesem Netzwerk nicht.") from None


def get_year_or_404(network: Network, year: int) -> GoalYear:
    try:
        return GoalYear.objects.get(network=network, year=year)
    except GoalYear.DoesNotExist:
        raise Http404(f"Für {year} fragt das Netzwerk keine Kennzahlen ab.") from None


# ---------------------------------------------------------------------------------------------------------------------
# Strategic goals and action goals
# ---------------------------------------------------------------------------------------------------------------------


@method_checked
@network_view(Perm.VIEW_NETWORK)
def goal_overview(request, network: Network):
    only(request, "GET")
    year = _year(request)
    row = services.goal_year(network, year)
    goals = list(selectors.strategic_goals(network))
    lights = {"gruen": 0, "gelb": 0, "rot": 0, "offen": 0}
    for goal in goals:
        for action in goal.action_goals.all():
            action.year_review = selectors.review_for(action, year)
            action.review_due = action.is_review_due(year)
            lights[action.year_review.assessment if action.year_review else "offen"] += 1
    return render(
        request,
        "goals/goal_overview.html",
        {
            "network": network,
            "year": year,
            "years": _years(network, year),
            "goal_year": row,
            "closed": bool(row and row.is_closed),
            "goals": goals,
            "lights": lights,
            "steps": selectors.next_steps(network, year),
            "may_manage": access.has_perm(request.user, Perm.MANAGE_NETWORK, network),
            "may_export": access.has_perm(request.user, Perm.VIEW_PARTNERS, network),
            **_tabs(request, network, "goals"),
        },
    )


@method_checked
@network_view(Perm.MANAGE_NETWORK)
def goal_create(request, network: Network):
    if request.method not in ("GET", "POST"):
        only(request, "POST")
    form = StrategicGoalForm(_data(request), network=network)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.strategic_goal_create(network=network, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, f"{goal} ist angelegt. Leiten Sie jetzt ein Handlungsziel daraus ab.")
            return redirect("goals:goal_action_create", network=network.slug, pk=goal.pk)
    return _form_page(request, "goals/strategicgoal_form.html", {"network": network, "goal": None}, form)


@method_checked
@network_view(Perm.MANAGE_NETWORK)
def goal_edit(request, network: Network, pk: int):
    goal = get_goal_or_404(network, pk)
    if request.method not in ("GET", "POST"):
        only(request, "POST")
    form = StrategicGoalForm(_data(request), instance=goal, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            services.strategic_goal_update(goal=goal, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, f"{goal} ist gespeichert.")
            return redirect("goals:goal_overview", network=network.slug)
    return _form_page(request, "goals/strategicgoal_form.html", {"network": network, "goal": goal}, form)


@method_checked
@network_view(Perm.MANAGE_NETWORK)
def goal_action_create(request, network: Network, pk: int):
    goal = get_goal_or_404(network, pk)
    if request.method not in ("GET", "POST"):
        only(request, "POST")
    data = _data(request)
    form = ActionGoalForm(data, network=network)
    indicator_form = FirstIndicatorForm(data)
    if request.method == "POST" and form.is_valid() and indicator_form.is_valid():
        indicator = indicator_form.cleaned_data if indicator_form.has_data() else None
        try:
            action = services.action_goal_create(
                goal=goal, actor=request.user, data=form.cleaned_data, indicator=indicator
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, f"Das Handlungsziel zu {goal} ist angelegt.")
            return redirect("goals:goal_action_detail", network=network.slug, pk=action.pk)
    status = INVALID if request.method == "POST" and (form.errors or indicator_form.errors) else 200
    return render(
        request,
        "goals/actiongoal_form.html",
        {"network": network, "goal": goal, "action": None, "form": form, "indicator_form": indicator_form},
        status=status,
    )


@method_checked
@network_view(Perm.VIEW_NETWORK)
def goal_action_detail(request, network: Network, pk: int):
    action = get_action_or_404(network, pk)
    only(request, "GET")
    reviews = action.reviews.select_related("recorded_by").prefetch_related("values__indicator").order_by("-year")
    closed_years = set(GoalYear.objects.filter(network=network, closed_at__isnull=False).values_list("year", flat=True))
    year = _year(request)
    return render(
        request,
        "goals/actiongoal_detail.html",
        {
            "network": network,
            "action": action,
            "goal": action.strategic_goal,
            "indicators": action.indicators.all(),
            "reviews": reviews,
            "closed_years": closed_years,
            "year": year,
            "year_closed": year in closed_years,
            "may_manage": access.has_perm(request.user, Perm.MANAGE_NETWORK, network),
        },
    )


@method_checked
@network_view(Perm.MANAGE_NETWORK)
def goal_action_edit(request, network: Network, pk: int):
    action = get_action_or_404(network, pk)
    if request.method not in ("GET", "POST"):
        only(request, "POST")
    form = ActionGoalForm(_data(request), instance=action, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_goal_update(action=action, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, "Das Handlungsziel ist gespeichert.")
            return redirect("goals:goal_action_detail", network=network.slug, pk=action.pk)
    return _form_page(
        request,
        "goals/actiongoal_form.html",
        {"network": network, "goal": action.strategic_goal, "action": action, "indicator_form": None},
        form,
    )


@method_checked
@network_view(Perm.MANAGE_NETWORK)
def goal_indicator_create(request, network: Network, pk: int):
    action = get_action_or_404(network, pk)
    return _indicator_form(request, network, action, None)


@method_checked
@network_view(Perm.MANAGE_NETWORK)
def goal_indicator_edit(request, network: Network, pk: int):
    indicator = get_indicator_or_404(network, pk)
    return _indicator_form(request, network, indicator.action_goal, indicator)


def _indicator_form(request, network: Network, action: ActionGoal, indicator: Indicator | None):
    if request.method not in ("GET", "POST"):
        only(request, "POST")
    form = IndicatorForm(_data(request), instance=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_save(action=action, actor=request.user, data=form.cleaned_data, indicator=indicator)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, "Der Indikator ist gespeichert.")
            return redirect("goals:goal_action_detail", network=network.slug, pk=action.pk)
    return _form_page(
        request, "goals/indicator_form.html", {"network": network, "action": action, "indicator": indicator}, form
    )


@method_checked
@network_view(Perm.MANAGE_NETWORK)
def goal_review(request, network: Network, pk: int, year: int):
    action = get_action_or_404(network, pk)
    if request.method not in ("GET", "POST"):
        only(request, "POST")
    if not 2000 <= year <= 2100:
        raise Http404("Dieses Jahr gibt es hier nicht.")
    review = action.reviews.prefetch_related("values").filter(year=year).first()
    row = services.goal_year(network, year)
    context = {"network": network, "action": action, "goal": action.strategic_goal, "year": year, "review": review}
    if row is not None and row.is_closed:
        if request.method == "POST":
            messages.error(request, str(services.YearClosedError(year)))
            return render(request, "goals/review_closed.html", context, status=CLOSED)
        return render(request, "goals/review_closed.html", context)
    form = ReviewForm(_data(request), action=action, review=review)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_record(
                action=action,
                year=year,
                actor=request.user,
                assessment=form.cleaned_data["assessment"],
                comment=form.cleaned_data["comment"],
                values=form.values(),
            )
        except services.YearClosedError as error:
            form.add_error(None, str(error))
            return _form_page(request, "goals/review_form.html", context, form, status=CLOSED)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, f"Die Überprüfung {year} ist gespeichert.")
            return redirect("goals:goal_action_detail", network=network.slug, pk=action.pk)
    return _form_page(request, "goals/review_form.html", context, form)


# ---------------------------------------------------------------------------------------------------------------------
# Next steps and closing a year
# ---------------------------------------------------------------------------------------------------------------------


def _overview_url(network: Network, year: int) -> str:
    from django.urls import reverse

    return f"{reverse('goals:goal_overview', kwargs={'network': network.slug})}?jahr={year}#handlungsschritte"


@method_checked
@network_view(Perm.MANAGE_NETWORK)
def goal_step_create(request, network: Network):
    return _step_form(request, network, None)


@method_checked
@network_view(Perm.MANAGE_NETWORK)
def goal_step_edit(request, network: Network, pk: int):
    return _step_form(request, network, get_step_or_404(network, pk))


def _step_form(request, network: Network, step: NextStep | None):
    if request.method not in ("GET", "POST"):
        only(request, "POST")
    initial = {"year": _year(request)} if step is None and "jahr" in request.GET else None
    form = NextStepForm(_data(request), instance=step, network=network, initial=initial)
    status = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.next_step_save(network=network, actor=request.user, data=form.cleaned_data, step=step)
        except services.YearClosedError as error:
            form.add_error(None, str(error))
            status = CLOSED
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, "Der Handlungsschritt ist gespeichert.")
            return redirect(_overview_url(network, saved.year))
    return _form_page(request, "goals/nextstep_form.html", {"network": network, "step": step}, form, status)


@method_checked
@network_view(Perm.MANAGE_NETWORK)
def goal_step_done(request, network: Network, pk: int):
    step = get_step_or_404(network, pk)
    only(request, "POST")
    done = request.POST.get("done", "1") == "1"
    try:
        services.next_step_set_done(step=step, actor=request.user, done=done)
    except services.YearClosedError as error:
        return render(
            request,
            "goals/refused.html",
            {"network": network, "message": str(error), "back": _overview_url(network, step.year)},
            status=CLOSED,
        )
    messages.success(request, f"„{step.title}“ ist {'erledigt' if done else 'wieder offen'}.")
    return redirect(_overview_url(network, step.year))


@method_checked
@network_view(Perm.MANAGE_NETWORK)
def goal_year_close(request, network: Network, year: int):
    only(request, "POST")
    if not 2000 <= year <= 2100:
        raise Http404("Dieses Jahr gibt es hier nicht.")
    try:
        services.goal_year_close(network=network, year=year, actor=request.user)
    except services.YearClosedError:
        messages.info(request, f"Das Jahr {year} war schon abgeschlossen.")
    else:
        messages.success(
            request,
            f"Das Jahr {year} ist abgeschlossen. Kennzahlen, Überprüfungen und Handlungsschritte des Jahres "
            "sind jetzt unveränderlich.",
        )
    target = request.POST.get("zurueck")
    if target == "kennzahlen":
        from django.urls import reverse

        return redirect(f"{reverse('goals:figure_overview', kwargs={'network': network.slug})}?jahr={year}")
    return redirect(_overview_url(network, year).split("#")[0])


# ---------------------------------------------------------------------------------------------------------------------
# Key figures
# ---------------------------------------------------------------------------------------------------------------------


@method_checked
@network_view(Perm.VIEW_PARTNERS)
def figure_overview(request, network: Network):
    only(request, "GET")
    year = _year(request)
    row = services.goal_year(network, year)
    status = selectors.reporting_status(network, year)
    return render(
        request,
        "goals/figure_overview.html",
        {
            "network": network,
            "year": year,
            "years": sorted(
                {year, services.today().year}
                | set(GoalYear.objects.filter(network=network).values_list("year", flat=True)),
                reverse=True,
            ),
            "goal_year": row,
            "asked": selectors.asked_figures(row),
            "status": status,
            "missing": [s for s in status if s["report"] is None],
            "rollup": selectors.figure_rollup(network, year),
            "may_manage": access.has_perm(request.user, Perm.MANAGE_NETWORK, network),
            "overdue": bool(row and row.figures_due and row.figures_due < services.today() and not row.is_closed),
            **_tabs(request, network, "figures"),
        },
    )


@method_checked
@network_view(Perm.MANAGE_NETWORK)
def figure_settings(request, network: Network):
    only(request, "GET")
    return render(
        request,
        "goals/figure_settings.html",
        {
            "network": network,
            "definitions": FigureDefinition.objects.filter(network=network).order_by("order", "name"),
            "years": GoalYear.objects.filter(network=network).prefetch_related("figures").order_by("-year"),
        },
    )


@method_checked
@network_view(Perm.MANAGE_NETWORK)
def figure_definition_create(request, network: Network):
    return _definition_form(request, network, None)


@method_checked
@network_view(Perm.MANAGE_NETWORK)
def figure_definition_edit(request, network: Network, pk: int):
    return _definition_form(request, network, get_definition_or_404(network, pk))


def _definition_form(request, network: Network, definition: FigureDefinition | None):
    if request.method not in ("GET", "POST"):
        only(request, "POST")
    form = FigureDefinitionForm(_data(request), instance=definition)
    form.instance.network = network
    if request.method == "POST" and form.is_valid():
        try:
            services.figure_definition_save(
                network=network, actor=request.user, data=form.cleaned_data, definition=definition
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, "Die Kennzahl ist gespeichert.")
            return redirect("goals:figure_settings", network=network.slug)
    return _form_page(request, "goals/figuredefinition_form.html", {"network": network, "definition": definition}, form)


@method_checked
@network_view(Perm.MANAGE_NETWORK)
def figure_year_create(request, network: Network):
    return _year_form(request, network, None)


@method_checked
@network_view(Perm.MANAGE_NETWORK)
def figure_year_edit(request, network: Network, year: int):
    return _year_form(request, network, get_year_or_404(network, year))


def _year_form(request, network: Network, row: GoalYear | None):
    if request.method not in ("GET", "POST"):
        only(request, "POST")
    initial = {"figures_due": row.figures_due, "figures": list(row.figures.all())} if row else None
    form = GoalYearForm(_data(request), network=network, fixed_year=row.year if row else None, initial=initial)
    status = None
    if row is not None and row.is_closed:
        form.add_error(None, str(services.YearClosedError(row.year)))
        status = CLOSED if request.method == "POST" else 200
    elif request.method == "POST" and form.is_valid():
        year = row.year if row else form.cleaned_data["year"]
        if row is None and services.goal_year(network, year) is not None:
            form.add_error("year", f"Das Jahr {year} ist schon angelegt – bitte dort bearbeiten.")
        else:
            try:
                services.goal_year_save(
                    network=network,
                    actor=request.user,
                    year=year,
                    figures_due=form.cleaned_data["figures_due"],
                    figures=list(form.cleaned_data["figures"]),
                )
            except services.YearClosedError as error:
                form.add_error(None, str(error))
                status = CLOSED
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, f"Das Jahr {year} ist gespeichert.")
                return redirect("goals:figure_settings", network=network.slug)
    return _form_page(request, "goals/goalyear_form.html", {"network": network, "goal_year": row}, form, status)


@method_checked
@network_view(Perm.VIEW_NETWORK)
def figure_report(request, network: Network, year: int, partner_pk: int):
    """An institution's figures for a year: its own contacts and the coordination may enter them, nobody else."""
    partner = access.get_partner_or_404(request.user, network, partner_pk, edit=True)
    if request.method not in ("GET", "POST"):
        only(request, "POST")
    row = get_year_or_404(network, year)
    definitions = selectors.asked_figures(row)
    if not definitions:
        raise Http404(f"Für {year} fragt das Netzwerk keine Kennzahlen ab.")
    report = FigureReport.objects.filter(goal_year=row, partner=partner).prefetch_related("values").first()
    context = {
        "network": network,
        "partner": partner,
        "goal_year": row,
        "year": year,
        "report": report,
        "own": access.own_partner(request.user, network) == partner,
        "values": {v.definition_id: v.value for v in report.values.all()} if report else {},
        "definitions": definitions,
    }
    if row.is_closed:
        if request.method == "POST":
            messages.error(request, str(services.YearClosedError(year)))
            return render(request, "goals/figure_report_closed.html", context, status=CLOSED)
        return render(request, "goals/figure_report_closed.html", context)
    form = FigureReportForm(_data(request), definitions=definitions, report=report)
    status = None
    if request.method == "POST" and form.is_valid():
        try:
            services.figures_report(
                network=network,
                partner=partner,
                year=year,
                actor=request.user,
                values=form.values(),
                comment=form.cleaned_data["comment"],
            )
        except services.YearClosedError as error:
            form.add_error(None, str(error))
            status = CLOSED
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, f"Danke! Die Kennzahlen {year} für {partner.name} sind gemeldet.")
            if context["own"]:
                return redirect("goals:figure_own", network=network.slug)
            from django.urls import reverse

            return redirect(f"{reverse('goals:figure_overview', kwargs={'network': network.slug})}?jahr={year}")
    return _form_page(request, "goals/figure_report_form.html", context, form, status)


@method_checked
@network_view(Perm.EDIT_OWN_PARTNER)
def figure_own(request, network: Network):
    """ "Meine Kennzahlen": the years the own institution is asked for figures, with what it reported."""
    partner = access.own_partner(request.user, network)
    if partner is None:
        raise Http404("Sie handeln in diesem Netzwerk für keine Einrichtung.")
    only(request, "GET")
    rows = GoalYear.objects.filter(network=network, figures__isnull=False).distinct().order_by("-year")
    reports = {
        r.goal_year_id: r
        for r in FigureReport.objects.filter(goal_year__network=network, partner=partner).prefetch_related(
            "values__definition"
        )
    }
    entries = [
        {
            "row": row,
            "report": reports.get(row.pk),
            "overdue": bool(
                row.figures_due and row.figures_due < services.today() and row.pk not in reports and not row.is_closed
            ),
        }
        for row in rows
    ]
    return render(
        request,
        "goals/figure_own.html",
        {"network": network, "partner": partner, "entries": entries, **_tabs(request, network, "own")},
    )


# ---------------------------------------------------------------------------------------------------------------------
# CSV export
# ---------------------------------------------------------------------------------------------------------------------


@method_checked
@network_view(Perm.VIEW_PARTNERS)
def goal_export(request, network: Network, kind: str):
    only(request, "GET")
    if kind not in exporter.KINDS:
        raise Http404("Diesen Export gibt es nicht; möglich sind ziele, kennzahlen und handlungsschritte.")
    year = _year(request)
    headers, rows = exporter.rows(kind, network, year)
    from partners.exporter import to_csv

    suffix = "" if kind == "ziele" else f"-{year}"
    filename = f"{kind}-{network.slug}{suffix}-{timezone.localdate():%Y-%m-%d}.csv"
    response = HttpResponse(to_csv(headers, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    data = {"Liste": exporter.KINDS[kind], "Format": "csv", "Zeilen": len(rows)}
    if kind != "ziele":
        data["Jahr"] = year
    log_action(actor=request.user, action="data.export", network=network, data=data)
    return response
