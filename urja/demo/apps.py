from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "urja.demo"
    label = "demo"
    verbose_name = "Demo data"
