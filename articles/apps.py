from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from . import receivers
        from .roles import ensure_editorial_groups

        # By the time this app's post_migrate is sent, auth has created the
        # permissions of this app and of references (installed before it).
        post_migrate.connect(ensure_editorial_groups, sender=self)
        # The board is emailed about new notices on the literature.
        receivers.connect()
