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
