from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        # Cache invalidation and the login audit hang on signals, so every path
        # that writes (views, admin, commands, shell) keeps them in step.
        from . import signals

        signals.connect()
