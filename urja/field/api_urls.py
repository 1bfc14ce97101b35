from django.urls import path

from . import api_views

urlpatterns = [
    path("book/", api_views.book, name="api_book"),
    path("sync/", api_views.sync, name="api_sync"),
    path("photos/<uuid:photo_uuid>/", api_views.photo, name="api_photo"),
]
