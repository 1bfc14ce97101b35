"""The metering router on a NinjaAPI of its own, so its tests run whether or not urja/api/api.py mounts
it yet (the same router may be mounted on several APIs)."""

from django.urls import path
from ninja import NinjaAPI

from urja.api import errors
from urja.metering.api import router

api = NinjaAPI(urls_namespace="metering-test")
errors.install(api)
api.add_router("/", router)

urlpatterns = [path("api/v1/", api.urls)]
