from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "sapat.demo"
    label = "demo"
