"""`/field/`: the meter reader's and lineman's offline app (app_urls), its sync API (api_urls) and the
supervisor's pages (supervisor_urls)."""

from django.urls import include, path

app_name = "field"

urlpatterns = [
    path("api/", include("urja.field.api_urls")),
    path("supervisor/", include("urja.field.supervisor_urls")),
    path("", include("urja.field.app_urls")),
]
