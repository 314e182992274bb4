"""Large imports run in the background, with progress the editor watches."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from references import import_jobs
from references.formats import Record
from references.models import ImportBatch, Reference
from tests.factories import TopicFactory, editor

pytestmark = pytest.mark.django_db


def ris(count):
    return "".join(
        f"TY  - JOUR\nTI  - Background study {n}\nAU  - Marie, Isabelle\n"
        f"PY  - 2011\nDO  - 10.5555/job.{n}\nER  - \n\n"
        for n in range(count)
    ).encode()


@pytest.fixture
def jobs(settings, tmp_path, monkeypatch):
    """Jobs in a folder of the test's; the command they start is recorded, to
    be run by the test (as the detached process would)."""
    settings.REFERENCES_IMPORT_JOBS_DIR = tmp_path / "jobs"
    monkeypatch.setattr(import_jobs, "BACKGROUND_RECORDS", 3)
    started = []
    monkeypatch.setattr(import_jobs, "_spawn", started.append)
    return started


def upload_and_confirm(client, count):
    user = editor()
    user.save()
    client.force_login(user)
    topic = TopicFactory()
    client.post(
        "/editorial/literature/import/",
        {"file": SimpleUploadedFile("many.ris", ris(count)), "topic": topic.pk},
    )
    return client.post("/editorial/literature/import/preview/", {"confirm": "1"})


def test_a_large_import_runs_as_a_job_whose_progress_the_editor_watches(client, jobs):
    response = upload_and_confirm(client, 5)

    [job] = jobs
    assert response.status_code == 302
    assert response["Location"] == f"/editorial/literature/import/jobs/{job}/"
    assert not Reference.objects.exists()  # nothing written by the request
    page = client.get(response["Location"]).content.decode()
    assert "0 of 5 records written" in page
    # Followed by a script, never a page that reloads itself (axe's
    # meta-refresh rule, WCAG 2.2.1).
    assert "import-job.js" in page and 'http-equiv="refresh"' not in page
    assert '<progress max="5" value="0">' in page

    call_command("import_references", job=job, verbosity=0)

    done = client.get(response["Location"])
    assert done["Location"] == "/editorial/literature/import/done/"
    result = client.get(done["Location"]).content.decode()
    assert "5 references from many.ris were added" in result
    assert Reference.objects.in_inbox().count() == 5
    assert ImportBatch.objects.get().filename == "many.ris"


def test_a_small_import_is_written_by_the_request_itself(client, jobs):
    response = upload_and_confirm(client, 2)
    assert response["Location"] == "/editorial/literature/import/done/"
    assert jobs == []
    assert Reference.objects.count() == 2


def test_the_status_is_kept_after_each_batch(jobs):
    from references import importing

    topic = TopicFactory()
    records = importing.read_file(ris(5), filename="many.ris").records
    job = import_jobs.start(records=records, topic=topic, user=None, filename="x.ris")
    seen = []

    def progress(done, total):
        status = import_jobs.status(job)  # as the page reads it, meanwhile
        seen.append((status["state"], status["done"], status["total"]))

    import_jobs.run(job, progress=progress)

    assert seen == [(import_jobs.RUNNING, 5, 5)]
    assert import_jobs.status(job)["state"] == import_jobs.DONE


def test_a_job_whose_records_all_fail_says_why(client, jobs):
    topic = TopicFactory()
    broken = Record(number=1, line=1, title="From the future", year=10000)
    job = import_jobs.start(
        records=[broken], topic=topic, user=None, filename="broken.ris"
    )
    with pytest.raises(CommandError, match="Record 1"):
        call_command("import_references", job=job, verbosity=0)
    status = import_jobs.status(job)
    assert status["state"] == import_jobs.FAILED
    user = editor()
    user.save()
    client.force_login(user)
    page = client.get(f"/editorial/literature/import/jobs/{job}/").content.decode()
    assert "Import failed" in page and "Record 1" in page
    assert "import-job.js" not in page


@pytest.mark.parametrize("job", ["../../etc/passwd", "0" * 32, "not-a-job"])
def test_an_unknown_or_hostile_job_id_is_404_and_refused(client, jobs, job):
    user = editor()
    user.save()
    client.force_login(user)
    assert client.get(f"/editorial/literature/import/jobs/{job}/").status_code == 404
    with pytest.raises(CommandError, match="no import job"):
        call_command("import_references", job=job, verbosity=0)


def test_the_command_refuses_a_large_file_naming_the_setting(tmp_path, settings):
    settings.REFERENCES_IMPORT_MAX_BYTES = 100
    path = tmp_path / "big.ris"
    path.write_bytes(ris(5))
    TopicFactory(slug="t")
    with pytest.raises(CommandError, match="REFERENCES_IMPORT_MAX_BYTES"):
        call_command("import_references", str(path), topic="t", verbosity=0)
    call_command(
        "import_references", str(path), topic="t", max_bytes=10_000, verbosity=0
    )
    assert Reference.objects.count() == 5


def one_record_job(topic, title, filename):
    """A job of one record, waiting for its command."""
    return import_jobs.start(
        records=[Record(number=1, line=1, title=title)],
        topic=topic,
        user=None,
        filename=filename,
    )


def job_page(client, job):
    return client.get(f"/editorial/literature/import/jobs/{job}/")


class FakeClock:
    def __init__(self, now=1_000_000.0):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(import_jobs, "_now", fake)
    return fake


def test_a_job_silent_for_longer_than_the_limit_is_shown_as_stopped(
    client, jobs, clock
):
    response = upload_and_confirm(client, 5)
    [job] = jobs
    clock.now += import_jobs.STALE_AFTER
    assert "0 of 5 records written" in job_page(client, job).content.decode()

    clock.now += 1  # the command never started, or died without a word
    page = job_page(client, job).content.decode()
    assert import_jobs.status(job)["state"] == import_jobs.STOPPED
    assert "Import stopped" in page and "nothing was imported" in page
    assert "Start it again, or import the file again." in page
    assert "import-job.js" not in page
    assert response["Location"].endswith(f"/{job}/")


def test_a_running_job_whose_process_is_gone_is_stopped_at_once(
    client, jobs, clock, monkeypatch
):
    upload_and_confirm(client, 5)
    [job] = jobs
    import_jobs.write_status(job, pid=4242, state=import_jobs.RUNNING, done=3, total=5)
    alive = {4242}
    monkeypatch.setattr(import_jobs, "_alive", lambda pid: pid in alive)
    assert import_jobs.status(job)["state"] == import_jobs.RUNNING
    assert "3 of 5 records written" in job_page(client, job).content.decode()

    alive.clear()  # killed: a deploy, or out of memory
    status = import_jobs.status(job)
    assert status["state"] == import_jobs.STOPPED and status["can_restart"]
    assert "Import stopped" in job_page(client, job).content.decode()


def test_a_process_id_from_another_machine_is_not_checked_here(
    jobs, clock, monkeypatch
):
    topic = TopicFactory()
    job = one_record_job(topic, "A", "x.ris")
    import_jobs.write_status(job, pid=4242, state=import_jobs.RUNNING, done=0, total=1)
    monkeypatch.setattr(import_jobs.socket, "gethostname", lambda: "another")
    monkeypatch.setattr(import_jobs, "_alive", lambda pid: False)
    assert import_jobs.status(job)["state"] == import_jobs.RUNNING


def test_a_dead_process_is_not_alive_and_this_one_is():
    import os
    import subprocess
    import sys

    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    assert import_jobs._alive(os.getpid())
    assert not import_jobs._alive(ended.pid)


def test_a_process_ended_but_not_reaped_by_its_worker_is_not_alive():
    import subprocess
    import sys
    import time

    # As a job started by a web worker ends: a zombie until the worker waits.
    zombie = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 10
    while import_jobs._alive(zombie.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not import_jobs._alive(zombie.pid)
    zombie.wait()


def test_the_editor_starts_a_stopped_job_again_and_it_imports(client, jobs, clock):
    upload_and_confirm(client, 5)
    [job] = jobs
    clock.now += import_jobs.STALE_AFTER + 1
    assert import_jobs.status(job)["state"] == import_jobs.STOPPED

    response = client.post(f"/editorial/literature/import/jobs/{job}/", {})
    assert response["Location"] == f"/editorial/literature/import/jobs/{job}/"
    assert jobs == [job, job]  # its command started a second time
    assert "0 of 5 records written" in job_page(client, job).content.decode()
    call_command("import_references", job=job, verbosity=0)
    assert Reference.objects.count() == 5
    # Done, it is no longer stopped, and cannot be started again.
    clock.now += import_jobs.STALE_AFTER + 1
    client.post(f"/editorial/literature/import/jobs/{job}/", {})
    assert jobs == [job, job]
    assert job_page(client, job)["Location"] == "/editorial/literature/import/done/"


def test_two_editors_restarting_a_stopped_job_at_once_start_it_once(
    jobs, clock, monkeypatch
):
    topic = TopicFactory()
    records = [Record(number=1, line=1, title="A")]
    job = import_jobs.start(records=records, topic=topic, user=None, filename="x")
    clock.now += import_jobs.STALE_AFTER + 1
    # Both requests read the same stopped status before either wrote.
    stopped = import_jobs.status(job)
    monkeypatch.setattr(import_jobs, "status", lambda job_id: dict(stopped))
    assert import_jobs.restart(job) is True
    assert import_jobs.restart(job) is False
    assert jobs == [job, job]  # started at upload, then once again


def test_a_job_held_by_another_process_is_not_imported_twice(jobs):
    import fcntl

    topic = TopicFactory()
    records = importing_records(3)
    job = import_jobs.start(records=records, topic=topic, user=None, filename="x")
    with import_jobs._path(job, ".json").open() as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as the running command
        with pytest.raises(CommandError, match="being run by another process"):
            call_command("import_references", job=job, verbosity=0)
    assert not Reference.objects.exists()
    assert import_jobs.status(job)["state"] == import_jobs.WAITING

    call_command("import_references", job=job, verbosity=0)
    assert Reference.objects.count() == 3
    # Started again once it is done: its records are gone, nothing happens.
    with pytest.raises(CommandError, match="no import job"):
        call_command("import_references", job=job, verbosity=0)
    assert Reference.objects.count() == 3


def test_a_job_whose_records_were_deleted_while_it_waited_for_the_lock(
    jobs, monkeypatch
):
    topic = TopicFactory()
    job = import_jobs.start(
        records=importing_records(2), topic=topic, user=None, filename="x"
    )
    path = import_jobs._path(job, ".json")
    real_open = type(path).open

    def open_then_finished_elsewhere(self, *args, **kwargs):
        opened = real_open(self, *args, **kwargs)
        self.unlink()  # the other process finished and deleted the records
        return opened

    monkeypatch.setattr(type(path), "open", open_then_finished_elsewhere)
    with pytest.raises(import_jobs.AlreadyRunning):
        import_jobs.run(job)
    assert not Reference.objects.exists()


def test_the_files_of_jobs_silent_for_a_week_are_swept(jobs, clock):
    import os
    import time

    topic = TopicFactory()
    failed = one_record_job(topic, "A", "x")
    import_jobs.write_status(failed, state=import_jobs.FAILED, done=0, total=1)
    (import_jobs.jobs_dir() / f"{failed}.log").write_text("Traceback…")
    recent = one_record_job(topic, "B", "y")
    week_ago = time.time() - import_jobs.JOB_MAX_AGE - 60
    for path in import_jobs.jobs_dir().glob(f"{failed}.*"):
        os.utime(path, (week_ago, week_ago))

    one_record_job(topic, "C", "z")

    assert list(import_jobs.jobs_dir().glob(f"{failed}.*")) == []
    assert import_jobs.status(failed) is None
    assert import_jobs.status(recent)["state"] == import_jobs.WAITING


def importing_records(count):
    from references import importing

    return importing.read_file(ris(count), filename="many.ris").records
