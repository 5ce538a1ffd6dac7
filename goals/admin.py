from django.contrib import admin

from goals.models import ActionGoal, FigureDefinition, GoalYear, StrategicGoal


@admin.register(GoalYear)
class GoalYearAdmin(admin.ModelAdmin):
    """Reopening a closed year (clearing "abgeschlossen am") is deliberately possible only here."""

    list_display = ["network", "year", "figures_due", "closed_at"]
    list_filter = ["network"]
    readonly_fields = ["closed_by"]
    filter_horizontal = ["figures"]


class ActionGoalInline(admin.TabularInline):
    model = ActionGoal
    extra = 0
    fields = ["title", "owner_partner", "owner_body", "review_cycle", "first_review_year"]
    raw_id_fields = ["owner_partner"]


@admin.register(StrategicGoal)
class StrategicGoalAdmin(admin.ModelAdmin):
    list_display = ["network", "number", "title"]
    list_filter = ["network"]
    inlines = [ActionGoalInline]


@admin.register(FigureDefinition)
class FigureDefinitionAdmin(admin.ModelAdmin):
    list_display = ["name", "network", "unit", "kind"]
    list_filter = ["network"]
