"""Exporting references as RIS, BibTeX or CSL-JSON files."""

from .formats import bibtex, csljson, ris

# URL suffix: (format module, file extension).
EXPORT_FORMATS = {
    "ris": ris,
    "bib": bibtex,
    "json": csljson,
}


def export(references, extension: str) -> str:
    """The references as the text of the file format named by its extension."""
    return EXPORT_FORMATS[extension].dump(list(references))


def media_type(extension: str) -> str:
    return f"{EXPORT_FORMATS[extension].MEDIA_TYPE}; charset=utf-8"
