from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "staff"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("consumers/<str:account_number>/", views.consumer_detail, name="consumer_detail"),
    path("reports/unindexed/", views.unindexed_report, name="unindexed_report"),
    path("tariffs/quote/", views.tariff_quote, name="tariff_quote"),
]
