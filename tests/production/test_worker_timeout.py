"""A request killed by gunicorn's worker timeout is logged with its path."""

import runpy
from pathlib import Path
from types import SimpleNamespace

from portal.request_log import JsonFormatter

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def request_lines(caplog):
    return [record for record in caplog.records if record.name == "portal.requests"]


def test_the_abort_hook_logs_each_request_the_worker_was_serving(caplog):
    hooks = runpy.run_path(str(CONF))
    worker = SimpleNamespace()
    done = SimpleNamespace(method="GET", path="/literature/")
    killed = SimpleNamespace(method="GET", path="/literature/export.json")
    hooks["pre_request"](worker, done)
    hooks["post_request"](worker, done, {}, None)
    hooks["pre_request"](worker, killed)

    hooks["worker_abort"](worker)

    [record] = request_lines(caplog)
    assert record.levelname == "ERROR"
    assert record.fields["path"] == "/literature/export.json"
    assert record.fields["method"] == "GET"
    assert record.fields["worker_timeout"] is True
    assert '"path": "/literature/export.json"' in JsonFormatter().format(record)


def test_a_worker_aborted_before_any_request_logs_nothing(caplog):
    hooks = runpy.run_path(str(CONF))
    hooks["worker_abort"](SimpleNamespace())
    assert request_lines(caplog) == []
