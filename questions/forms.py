"""The reader's form and the editors' decisions."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from references.models import Topic

from .models import MAX_LENGTH, Question, QuestionGroup

# A section anchor as the renderer writes them (heading ids, recommendation-2).
FRAGMENT = re.compile(r"[A-Za-z][\w-]{0,99}")
# Code points no reader types on purpose and no page may show: control
# characters but tab and line ends (NUL among them), lone surrogates and
# non-characters.
UNREADABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)


def local_page(value: str) -> str:
    """The page a question came from if it is an address on this site, else ''."""
    value = (value or "").strip()[:300]
    if not value.startswith("/") or not url_has_allowed_host_and_scheme(
        value, allowed_hosts=None
    ):
        return ""
    return value


class AskForm(forms.Form):
    """A reader's question. No account; the address is optional."""

    text = forms.CharField(
        label=_("Your question"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_LENGTH}),
        help_text=_(
            "Up to 1,000 characters. Please leave out names, dates of birth and "
            "details of your own health."
        ),
    )
    asker = forms.ChoiceField(
        label=_("I am asking as"),
        choices=Question.Asker.choices,
        widget=forms.RadioSelect,
    )
    email = forms.EmailField(
        label=_("Your e-mail address (optional)"),
        required=False,
        help_text=_(
            "Only if you want to hear when our editors answer. We first send one "
            "e-mail with a link to confirm it, and nothing else until you do."
        ),
    )
    page = forms.CharField(widget=forms.HiddenInput, required=False)
    # The honeypot: hidden from people by the stylesheet and from screen
    # readers by aria-hidden on its wrapper; robots that fill every field
    # fill it in.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, data=None, **kwargs):
        # Unreadable characters are taken out of what the form shows back
        # (a page may not contain them) and the question is refused, saying so.
        self.had_unreadable = False
        if data is not None and UNREADABLE.search(data.get("text", "")):
            data = data.copy()
            data["text"] = UNREADABLE.sub("", data["text"])
            self.had_unreadable = True
        super().__init__(data, **kwargs)

    def clean_text(self):
        text = self.cleaned_data["text"]
        if self.had_unreadable:
            raise ValidationError(
                _(
                    "Your question held characters that cannot be shown (such as "
                    "control characters); they have been taken out. Please check "
                    "it and send it again."
                ),
                code="unreadable",
            )
        return text

    def clean_page(self):
        return local_page(self.cleaned_data.get("page", ""))

    def is_robot(self) -> bool:
        return bool(self.data.get("website"))


class AnswerForm(forms.Form):
    article = forms.ModelChoiceField(
        label=_("Published article"),
        queryset=Article.objects.approved().select_related("live"),
    )
    fragment = forms.CharField(
        label=_("Section (anchor, optional)"),
        required=False,
        help_text=_(
            "The part after # of the link to the section that answers, in the "
            "article's contents, e.g. h-treatment or recommendation-2."
        ),
    )

    def clean_fragment(self):
        fragment = self.cleaned_data["fragment"].strip().lstrip("#")
        if fragment and not FRAGMENT.fullmatch(fragment):
            raise ValidationError(
                _("A section anchor is letters, digits, hyphens and underscores.")
            )
        return fragment


class PlanForm(forms.Form):
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.all())
    title = forms.CharField(label=_("Working title"), max_length=300)
    slug = forms.SlugField(
        label=_("Address (slug)"),
        max_length=100,
        required=False,
        help_text=_("Leave empty to make one from the title."),
    )
    outline = forms.CharField(
        label=_("Outline"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "The first notes of the draft, in Markdown. Readers' words are not "
            "copied into it: the draft links to the questions instead."
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("title") and not data.get("slug"):
            data["slug"] = slugify(data["title"])[:100]
        if data.get("slug") and Article.objects.filter(slug=data["slug"]).exists():
            self.add_error("slug", _("Another article has this address."))
        return data


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=QuestionGroup.Reason.choices)


class MergeForm(forms.Form):
    other = forms.ModelChoiceField(
        queryset=QuestionGroup.objects.waiting(), widget=forms.HiddenInput
    )
