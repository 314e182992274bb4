"""Large imports run in the background, in a process of their own.

An import of thousands of records takes tens of seconds, near a worker's
timeout: the confirm screen hands one of ``BACKGROUND_RECORDS`` or more to
``manage.py import_references --job ID``, started for the job, and sends the
editor to a page that shows its progress. The job is two files in
``REFERENCES_IMPORT_JOBS_DIR``: what to import (the records as parsed at
upload, the topic, the editor, the records kept) and its status (waiting,
running with how many written, done with the result, or failed with why),
which the command rewrites after each batch. The import itself is
``importing.import_records``, as for small files and the command.

A process killed meanwhile (a deploy, the machine out of memory) writes
nothing (one transaction) and can no longer say so: each status holds when
it was written and the process's id, and a job waiting or running whose
status is older than ``STALE_AFTER`` seconds, or whose process is gone from
this machine, is shown as stopped, for the editor to start it again. The
process that imports holds a lock on the job's records for as long as it
runs, so that a job started twice (two editors restarting it at once) is
imported once; the files of a job are deleted ``JOB_MAX_AGE`` after its
last word, whether it ended well or not.

The same folder keeps each pending import between its upload and its
confirmation (a *draft*): the records as read once at upload and the preview
worked out from them then, so that showing the preview again parses and
checks nothing (a 4.9 MB file took 17 s a time). The confirmation checks the
records against the library again, as it must: the preview is what the
upload found.
"""

import fcntl
import json
import os
import pickle
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from uuid import uuid4

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from . import importing
from .formats import Record
from .models import Topic

# Records from which the screens import in the background.
BACKGROUND_RECORDS = 2000
WAITING, RUNNING, DONE, FAILED = "waiting", "running", "done", "failed"
# Shown, never written: a job waiting or running whose process is gone.
STOPPED = "stopped"
# A running job rewrites its status at least after each batch of 1,000
# records (a second or two) and after checking the file (under a minute for
# 100,000 records); one silent for longer than this has stopped.
STALE_AFTER = 300
_JOB_ID = re.compile(r"^[0-9a-f]{32}$")
# A job's files (its records, status, log) are deleted this many seconds
# after its status was last written: its page has long shown the result.
JOB_MAX_AGE = 7 * 24 * 3600


class AlreadyRunning(Exception):
    """Another process is importing this job (or has just finished it)."""


def jobs_dir() -> Path:
    folder = Path(settings.REFERENCES_IMPORT_JOBS_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _path(job_id: str, suffix: str) -> Path:
    if not _JOB_ID.match(job_id or ""):
        raise LookupError(job_id)
    return jobs_dir() / f"{job_id}{suffix}"


def _write(path: Path, data: dict) -> None:
    # Written aside, then renamed: a reader never sees half a file.
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(data), encoding="utf-8")
    os.replace(partial, path)


def _now() -> float:
    return time.time()


def write_status(job_id: str, *, pid: int | None = None, **status) -> None:
    """Write the job's status, with when, and the process that runs the
    import (``pid``, given by the command: the page can tell if it died)."""
    status.update(updated=_now(), pid=pid, host=socket.gethostname())
    _write(_path(job_id, ".status.json"), status)


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs on this machine (a zombie, ended but not
    yet reaped by the worker that started it, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True  # no /proc here: the signal said it exists
    return state not in ("Z", "X")


def _has_stopped(job: dict) -> bool:
    if job.get("state") not in (WAITING, RUNNING):
        return False
    if _now() - job.get("updated", 0) > STALE_AFTER:
        return True
    # A process id means something only on the machine that wrote it.
    pid, host = job.get("pid"), job.get("host")
    return bool(pid) and host == socket.gethostname() and not _alive(pid)


def status(job_id: str) -> dict | None:
    """The job's status (``state``, ``done``, ``total``, and ``result`` or
    ``messages`` when it ended), or None for no such job.

    A job whose process died is STOPPED, with messages saying what to do.
    """
    try:
        job = json.loads(_path(job_id, ".status.json").read_text(encoding="utf-8"))
    except (LookupError, OSError, ValueError):
        return None
    if _has_stopped(job):
        job["state"] = STOPPED
        job["can_restart"] = _path(job_id, ".json").exists()
        job["messages"] = [
            _(
                "The import stopped before it finished: its process ended "
                "(a restart of the site, or too little memory) and nothing "
                "was imported."
            ),
            _("Start it again, or import the file again.")
            if job["can_restart"]
            else _("Import the file again."),
        ]
    return job


def restart(job_id: str, *, spawn: Callable[[str], None] | None = None) -> bool:
    """Start a stopped job's command again; False if it cannot be (it is
    not stopped, or what it was to import is gone)."""
    job = status(job_id)
    if job is None or job["state"] != STOPPED or not job["can_restart"]:
        return False
    # Two editors pressing the button at once both saw this stopped status:
    # the first to claim it (by its time) starts the job, the other nothing.
    claim = _path(job_id, f".restart-{job['updated']:.6f}")
    try:
        os.close(os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    write_status(job_id, state=WAITING, done=0, total=job["total"])
    (spawn or _spawn)(job_id)
    return True


def result_summary(result: importing.ImportResult, filename: str) -> dict:
    """What the result page shows of an import (kept in the session or the
    job's status)."""
    return {
        "created": result.created,
        "filename": filename,
        "topic": result.topic.title,
        "inbox_url": reverse(
            "references_editorial:inbox", kwargs={"slug": result.topic.slug}
        ),
        "skipped": [
            {
                "where": str(skipped.record.where),
                "title": skipped.record.title,
                "reason": skipped.reason,
                "url": skipped.existing.get_absolute_url() if skipped.existing else "",
            }
            for skipped in result.skipped
        ],
        "problems": [
            {
                "where": str(problem.record.where),
                "title": problem.record.title,
                "reason": " ".join(problem.messages),
            }
            for problem in result.problems
        ],
    }


# A draft nobody confirmed or cancelled is deleted after this many seconds.
DRAFT_MAX_AGE = 24 * 3600


@dataclass
class DraftPreview:
    """What the preview page shows of a draft: the plan with only the first
    ``shown`` new references (the others are counted), so that showing it
    reads a few kilobytes whatever the file's size."""

    record_count: int
    new_count: int
    plan: importing.Preview


def _pickle(path: Path, value) -> None:
    # Pickle keeps the preview's unsaved references as they are; the files
    # are the portal's own, written and read only here (never an upload).
    partial = path.with_suffix(".partial")
    partial.write_bytes(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
    os.replace(partial, path)


def _unpickle(draft_id: str, suffix: str):
    try:
        return pickle.loads(_path(draft_id, suffix).read_bytes())
    except (LookupError, OSError):
        return None
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        # Damaged, or written by a release whose classes have changed since:
        # the editor uploads the file again.
        return None


def save_draft(
    records: list[Record],
    plan: importing.Preview,
    *,
    shown: int,
    draft_id: str = "",
) -> str:
    """Keep a pending import's records and preview; return the draft's id
    (a new one unless ``draft_id`` is given, to replace that draft)."""
    _sweep()
    draft_id = draft_id or uuid4().hex
    _pickle(_path(draft_id, ".draft.pickle"), (records, plan))
    page = replace(plan, new=plan.new[:shown])
    _pickle(
        _path(draft_id, ".preview.pickle"),
        DraftPreview(record_count=len(records), new_count=len(plan.new), plan=page),
    )
    return draft_id


def load_draft(draft_id: str) -> tuple[list[Record], importing.Preview] | None:
    """The records and whole preview kept by ``save_draft`` (to import them),
    or None if the draft is gone."""
    return _unpickle(draft_id, ".draft.pickle")


def load_draft_preview(draft_id: str) -> DraftPreview | None:
    """What the preview page shows of the draft, or None if it is gone."""
    return _unpickle(draft_id, ".preview.pickle")


def drop_draft(draft_id: str) -> None:
    for suffix in (".draft.pickle", ".preview.pickle"):
        try:
            _path(draft_id, suffix).unlink(missing_ok=True)
        except LookupError:
            return


def _sweep() -> None:
    """Delete the drafts left by imports never confirmed nor cancelled, and
    the files of jobs silent for ``JOB_MAX_AGE`` (done, failed or stopped:
    a running job rewrites its status every few seconds)."""
    now = time.time()
    folder = jobs_dir()
    for path in folder.glob("*.pickle"):
        _unlink_if_older(path, now - DRAFT_MAX_AGE)
    for path in folder.glob("*.status.json"):
        if _unlink_if_older(path, now - JOB_MAX_AGE):
            job_id = path.name.split(".", 1)[0]
            for leftover in folder.glob(f"{job_id}.*"):
                leftover.unlink(missing_ok=True)


def _unlink_if_older(path: Path, oldest: float) -> bool:
    try:
        if path.stat().st_mtime < oldest:
            path.unlink()
            return True
    except OSError:
        pass  # deleted meanwhile by another worker
    return False


def _spawn(job_id: str) -> None:
    """Start the command for the job, detached from this worker."""
    log = (jobs_dir() / f"{job_id}.log").open("ab")
    subprocess.Popen(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        + ["import_references", "--job", job_id],
        cwd=settings.BASE_DIR,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()


def start(
    *,
    records: list[Record],
    topic: Topic,
    user,
    filename: str,
    keep=(),
    spawn: Callable[[str], None] | None = None,
) -> str:
    """Save the import as a job, start its command and return the job's id."""
    _sweep()
    job_id = uuid4().hex
    _write(
        _path(job_id, ".json"),
        {
            "topic": topic.pk,
            "user": user.pk if user is not None and user.is_authenticated else None,
            "filename": filename,
            "keep": sorted(keep),
            "records": [record.as_dict() for record in records],
        },
    )
    write_status(job_id, state=WAITING, done=0, total=len(records))
    (spawn or _spawn)(job_id)
    return job_id


def run(job_id: str, *, progress: Callable[[int, int], None] | None = None) -> dict:
    """Run the job (the command's ``--job``): import, with its status kept.

    Raises ``AlreadyRunning`` if another process holds the job, LookupError
    or OSError if there is no such job.
    """
    path = _path(job_id, ".json")
    with path.open(encoding="utf-8") as held:
        try:
            fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning(job_id) from None
        if os.fstat(held.fileno()).st_nlink == 0:
            # Opened just before the process that held it finished the job
            # and deleted its records.
            raise AlreadyRunning(job_id)
        # Held (and the lock with it) until the records are deleted.
        return _run(job_id, path, json.load(held), progress)


def _run(job_id: str, path: Path, job: dict, progress) -> dict:
    records = importing.records_from_dicts(job["records"])
    total = len(records)
    pid = os.getpid()
    write_status(job_id, pid=pid, state=RUNNING, done=0, total=total)

    def written(done, count):
        write_status(job_id, pid=pid, state=RUNNING, done=done, total=count)
        if progress:
            progress(done, count)

    try:
        topic = Topic.objects.get(pk=job["topic"])
        user = get_user_model().objects.filter(pk=job["user"]).first()
        result = importing.import_records(
            records=records,
            keep=set(job["keep"]),
            topic=topic,
            user=user,
            comment=_("Imported from %(file)s") % {"file": job["filename"]},
            filename=job["filename"],
            progress=written,
        )
    except importing.ImportRejected as exc:
        final = {"state": FAILED, "done": 0, "total": total, "messages": exc.messages}
    except Topic.DoesNotExist:
        final = {
            "state": FAILED,
            "done": 0,
            "total": total,
            "messages": [_("The topic was deleted; nothing was imported.")],
        }
    except Exception:
        # The transaction is rolled back; the page must not wait for ever.
        write_status(
            job_id,
            state=FAILED,
            done=0,
            total=total,
            messages=[_("The import stopped on an error; nothing was imported.")],
        )
        raise
    else:
        final = {
            "state": DONE,
            "done": result.created,
            "total": total,
            "result": result_summary(result, job["filename"]),
        }
    write_status(job_id, **final)
    path.unlink(missing_ok=True)
    return final
