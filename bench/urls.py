"""URLconf for `make bench` only: every route of praevnet plus the floor, a bare view returning a fixed string.

The floor goes through the same middleware (session, login, CSP …) as every page; what a page costs above it is the
page's own work. Used by bench/run.py with override_settings(ROOT_URLCONF="bench.urls"); never in production.
"""

from django.http import HttpResponse
from django.urls import include, path

from praevnet.urls import handler403, handler404, handler500  # noqa: F401  (the same error pages)


def floor(request):
    return HttpResponse("praevnet", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("bench/floor/", floor, name="bench_floor"),
    path("", include("praevnet.urls")),
]
