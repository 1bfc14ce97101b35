from django.apps import AppConfig


class ConnectionsConfig(AppConfig):
    name = "urja.connections"
    label = "connections"
    verbose_name = "Service lifecycle"
