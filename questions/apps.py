from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionsConfig(AppConfig):
    name = "questions"
    verbose_name = _("Reader questions")

    def ready(self):
        # A planned answer goes out when the board approves its article.
        from . import receivers

        receivers.connect()
