"""Exporting references as RIS, BibTeX or CSL-JSON files."""

from .formats import bibtex, csljson, ris

# URL suffix: (format module, file extension).
EXPORT_FORMATS = {
    "ris": ris,
    "bib": bibtex,
    "json": csljson,
}
# References read from the database at a time while a file streams.
CHUNK_SIZE = 500


def export(references, extension: str) -> str:
    """The references as the text of the file format named by its extension."""
    return EXPORT_FORMATS[extension].dump(list(references))


def stream(references, extension: str):
    """The file a reference at a time, as UTF-8 bytes, for a streaming response.

    ``references`` (a queryset) is read CHUNK_SIZE rows at a time, so the
    memory an export holds does not grow with the library, and the first
    bytes leave before the last reference is read. The bytes are those of
    ``export``.
    """
    for text in EXPORT_FORMATS[extension].dump_chunks(
        references.iterator(chunk_size=CHUNK_SIZE)
    ):
        yield text.encode()


def media_type(extension: str) -> str:
    return f"{EXPORT_FORMATS[extension].MEDIA_TYPE}; charset=utf-8"
