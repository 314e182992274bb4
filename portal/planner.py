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

# Rows of each index SQLite reads to estimate it (PRAGMA analysis_limit);
# 0: every row. A sample misjudges the skewed columns a library has: with
# 2,000 rows it counted 60,720 visible references of 100,000 and 1,100 a
# value of inbox_topic (NULL holds 100,000), so the planner listed
# /literature/?page=2501 through the inbox_topic index and sorted the whole
# library (0.9-1.1 s) instead of walking reference_newest_first (23 ms). A
# full pass costs about 0.2 s at 100,000 references, after a bulk write or
# once a day.
SQLITE_ANALYSIS_LIMIT = 0
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
