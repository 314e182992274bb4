"""Keep the query planner's statistics current.

SQLite gathers none by itself: until ``ANALYZE`` has run it guesses, and on a
library of 100,000 references it guessed wrong (the literature feed took
291 ms instead of 7 ms, the admin history 168 ms instead of 1 ms). The
statistics are refreshed after a bulk write of many references (an import,
``portal.signals``) and daily by ``manage.py refresh_statistics`` (cron).
PostgreSQL's autovacuum analyses tables as they change; the same command
runs ``ANALYZE`` there too, which is harmless and helps right after a load.
"""

from django.db import connections

# Rows of each index SQLite reads to estimate it (PRAGMA analysis_limit):
# enough for its choices, and ANALYZE stays in milliseconds however large
# the tables grow.
SQLITE_ANALYSIS_LIMIT = 2000
# A bulk write of this many references changes the statistics enough to
# refresh them at once.
BULK_WRITE_ROWS = 500


def refresh_statistics(using: str = "default") -> None:
    """Gather the planner's statistics for every table of the database."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
