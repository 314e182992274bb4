"""The portal app's own models."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# ---------------------------------------------------------------------------
# Accounts (issue 6): the login audit.
# ---------------------------------------------------------------------------


class LoginEvent(models.Model):
    """A login, failed login or logout, kept for the audit in the admin."""

    class Kind(models.TextChoices):
        SUCCESS = "success", _("Logged in")
        FAILURE = "failure", _("Failed login")
        THROTTLED = "throttled", _("Refused: too many attempts")
        LOGOUT = "logout", _("Logged out")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("event"), max_length=10, choices=Kind.choices)
    username = models.CharField(
        _("username given"), max_length=150, blank=True, db_index=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="login_events",
        verbose_name=_("user"),
    )
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("login event")
        verbose_name_plural = _("login events")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.username} ({self.at:%Y-%m-%d %H:%M})"
