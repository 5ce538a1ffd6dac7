"""Network pages of the directory and the coverage view (included into the `partners` namespace by partners/urls.py)."""

from django.urls import path

from partners import views_directory

urlpatterns = [
    path("verzeichnis/", views_directory.directory, name="directory"),
    path("abdeckung/", views_directory.coverage, name="coverage"),
    path("abdeckung.pdf", views_directory.coverage_pdf, name="coverage_pdf"),
]
