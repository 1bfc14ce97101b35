from django.urls import path

from . import app_views

urlpatterns = [
    path("", app_views.shell, name="app"),
    path("manifest.webmanifest", app_views.manifest, name="manifest"),
    path("sw.js", app_views.service_worker, name="sw"),
    path("login/", app_views.FieldLoginView.as_view(), name="login"),
    path("logout/", app_views.field_logout, name="logout"),
    path("session/", app_views.session_state, name="session"),
]
