"""Model fields shared by the apps."""

import re

from django.db import models

# Spaces and tabs before a line break or the end of the text.
TRAILING_SPACE_RE = re.compile(r"[ \t]+$", re.MULTILINE)


def normalize_text(value):
    """Text with LF line endings, no spaces or tabs at the ends of lines and
    no blank lines at its end.

    Browsers post textareas with CRLF; stored that way, every line of a saved
    text differs from the same text written elsewhere, and the board's diff
    drowns one changed sentence in hundreds of changed line endings. Forms
    also strip the end of a text and scripts do not: ending every text the
    same way keeps a final newline from showing as a change either.
    """
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return TRAILING_SPACE_RE.sub("", value).rstrip()


# Line and paragraph breaks of every kind, tabs, and other control characters
# (NUL included), with the spaces around them.
BREAKS_RE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(value):
    """The text on one line: every break, tab or control character, with the
    spaces around it, becomes one space; no space at either end.

    A title is one line wherever it is shown: in an e-mail subject a line
    break is a header injection (Django refuses it with BadHeaderError), in a
    feed or an export a broken record.
    """
    if not isinstance(value, str):
        return value
    return BREAKS_RE.sub(" ", value).strip()


class OneLineCharField(models.CharField):
    """A CharField for titles, kept on one line where it enters the model.

    As ``EditorTextField``: ``to_python`` for ``full_clean()`` (forms, the
    admin, the services), ``pre_save`` for writes that skip validation.
    """

    def to_python(self, value):
        return one_line(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = one_line(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class EditorTextField(models.TextField):
    """A TextField for prose people write, normalised where it enters the model.

    ``to_python`` normalises during ``full_clean()`` (so the text is rendered
    as it will be stored); ``pre_save`` covers writes that skip validation
    (``objects.create``, ``bulk_create``), so no path stores other line endings.
    """

    def to_python(self, value):
        return normalize_text(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = normalize_text(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def deconstruct(self):
        # The database column is an ordinary text column: migrations need not
        # know about a normalisation that happens in Python.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.TextField", args, kwargs
