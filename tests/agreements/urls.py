"""The project's URLs plus the agreements app, mounted as praevnet/urls.py mounts it (once it does, nothing is added)."""

from django.urls import URLResolver, include, path

from agreements import views as agreement_views
from praevnet.urls import handler403, handler404, handler500  # noqa: F401
from praevnet.urls import urlpatterns as project_patterns

_wired = any(isinstance(p, URLResolver) and getattr(p, "app_name", None) == "agreements" for p in project_patterns)

urlpatterns = [
    *project_patterns,
    *(
        []
        if _wired
        else [
            path("n/<slug:network>/", include("agreements.urls")),
            path("vereinbarung/unterzeichnen/<str:token>/", agreement_views.agreement_sign, name="agreement_sign"),
        ]
    ),
]
