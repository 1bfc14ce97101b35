from django.urls import path

from . import supervisor_views as views

urlpatterns = [
    path("", views.progress, name="supervisor_progress"),
    path("unbilled/", views.unbilled, name="supervisor_unbilled"),
    path("queue/", views.queue, name="supervisor_queue"),
    path("queue/<str:kind>/<int:pk>/seen/", views.queue_resolve, name="supervisor_queue_resolve"),
    path("map/", views.gps_map, name="supervisor_map"),
    path("sample/", views.sample, name="supervisor_sample"),
    path("routes/", views.routes, name="supervisor_routes"),
    path("photos/<uuid:photo_uuid>/", views.photo, name="supervisor_photo"),
]
