"""The project's URLs plus the online payment pages at /pay/, until urja/urls.py mounts them."""

from django.urls import include, path

from urja.urls import urlpatterns as project_urlpatterns

urlpatterns = list(project_urlpatterns)
if not any(getattr(p, "namespace", None) == "gateway" for p in urlpatterns):
    urlpatterns.append(path("pay/", include("urja.portal.urls")))
