"""Console pages under /staff/energy/ (issue 12): the energy audit and its drill-down."""

from django.urls import path

from urja.staff.views import energy

app_name = "energy"

urlpatterns = [
    path("", energy.audit, name="audit"),
    path("feeders/<int:pk>/", energy.feeder, name="feeder"),
    path("dts/<int:pk>/", energy.dt, name="dt"),
    path("bee-pack/", energy.bee, name="bee_pack"),
]
