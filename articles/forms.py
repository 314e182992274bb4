"""The article form editors use, on the editorial screens and in the admin."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from . import services, workflow
from .models import Article


def default_slug(title: str) -> str:
    """The address made from a title: its words in ASCII, else a number.

    slugify() keeps ASCII letters and digits and drops the rest (accents
    are folded first), so a title with none (Миозит, 骨髓炎, ???) gives
    nothing; such an article is "article-<n>", the first number free.
    """
    slug = slugify(title)[:100].strip("-")
    if slug:
        return slug
    taken = set(
        Article.objects.filter(slug__startswith="article-").values_list(
            "slug", flat=True
        )
    )
    number = Article.objects.count() + 1
    while f"article-{number}" in taken:
        number += 1
    return f"article-{number}"


class ArticleForm(forms.ModelForm):
    """An article's text, carrying the version it was loaded at.

    The version makes a save over someone else's newer save a conflict
    rather than a silent overwrite; the submitted text stays in the form.
    """

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_note = forms.CharField(
        label=_("What changed"),
        required=False,
        max_length=500,
        help_text=_(
            "A short note for the history, e.g. “Updated IVIG dosing”. When you "
            "submit, it is proposed to the board as the note for readers."
        ),
    )

    class Meta:
        model = Article
        fields = [
            "topic",
            "is_overview",
            "title",
            "slug",
            "summary",
            "body",
            "plain_summary",
            "plain_body",
            "review_period_months",
        ]
        help_texts = {"slug": _("The address of the page. Leave empty to make one.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The admin's read-only view (board members) builds it without fields.
        if "slug" in self.fields:
            self.fields["slug"].required = False
        if "loaded_version" in self.fields:
            self.fields["loaded_version"].initial = self.instance.version

    def clean_slug(self):
        return self.cleaned_data["slug"] or default_slug(
            self.cleaned_data.get("title", "")
        )

    def add_service_error(self, error: ValidationError) -> None:
        """Show what the service refused beside the field it names, or above
        the form when the field is not one of the form's."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            self.add_error(name if name in self.fields else None, errors)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            if cleaned.get("loaded_version") is None:
                # Without it a save could silently overwrite a newer version.
                raise ValidationError(
                    _(
                        "This form did not say which version of the article it "
                        "was editing, so it was not saved. Reload the page and "
                        "make your change again."
                    ),
                    code="missing_version",
                )
            # Checked again under a row lock when saving; here so the editor
            # sees the refusal beside the text they wrote.
            try:
                workflow.check_editable(self.instance)
            except workflow.WorkflowError as exc:
                raise ValidationError(str(exc), code="not_editable") from exc
            try:
                services.check_version(
                    current=self.instance.version,
                    expected=cleaned.get("loaded_version"),
                )
            except services.EditConflict as exc:
                raise ValidationError(str(exc), code="conflict") from exc
        return cleaned
