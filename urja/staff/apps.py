from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "urja.staff"
    label = "staff"
    verbose_name = "Staff console"
