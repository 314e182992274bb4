"""export_site and import_site round-trip the whole site with its history."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from reversion.models import Revision, Version

from articles import services
from articles.models import Article
from portal import backup
from portal.models import LoginEvent
from tests.factories import approve_through_review

pytestmark = pytest.mark.django_db


def snapshot():
    """Every exported row, exactly as the backup stores it, keyed by model."""
    return {
        model._meta.label: backup.serialize_rows(model._base_manager.order_by("pk"))
        for model in backup.exported_models()
    }


def empty_the_database():
    for model in reversed(backup.exported_models()):
        if model is Article:
            model._base_manager.update(live=None)
        model._base_manager.all().delete()


@pytest.fixture
def site(settings):
    settings.DEBUG = True  # demo accounts too
    call_command("seed_demo", verbosity=0)
    article = Article.objects.get(slug="antibody-therapy-pm-dm")
    article.summary = "A second version, approved again."
    services.save_article(article=article, user=article.author)
    # Its recommendation 3 rests on narrative reviews: the board says so.
    approve_through_review(article, comment="Recommendation 3 acknowledged.")
    LoginEvent.objects.create(
        kind="failure", username="someone", ip_address="192.0.2.1"
    )
    return article


def test_round_trip_restores_every_row_and_the_history(site, tmp_path):
    before = snapshot()
    # Times keep their microseconds (Django's JSON would cut them to ms).
    assert any(
        re.search(r"\.\d{6}", row["fields"]["created_at"])
        for row in before["references.Reference"]
    )
    assert Version.objects.get_for_object(site).count() >= 3
    path = tmp_path / "site.json"
    call_command("export_site", str(path), verbosity=0)
    empty_the_database()
    assert Article.objects.count() == 0 and Revision.objects.count() == 0
    call_command("import_site", str(path), verbosity=0)
    assert snapshot() == before
    restored = Article.objects.get(slug="antibody-therapy-pm-dm")
    assert restored.live.summary == "A second version, approved again."
    history = Version.objects.get_for_object(restored)
    assert history.count() >= 3
    # An old version can still be read back as an article.
    assert history.last().field_dict["slug"] == restored.slug


def test_file_records_format_and_schema(site):
    stream = io.StringIO()
    backup.export_site(stream=stream)
    data = json.loads(stream.getvalue())
    assert data["format"] == backup.FORMAT
    assert data["format_version"] == backup.FORMAT_VERSION
    assert data["schema"]["articles"].startswith("0")
    assert data["schema"]["portal"].startswith("0")
    labels = {row["model"] for row in data["objects"]}
    assert {"articles.article", "references.reference", "reversion.version"} <= labels


def test_import_refuses_a_non_empty_database(site, tmp_path):
    path = tmp_path / "site.json"
    call_command("export_site", str(path), verbosity=0)
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("import_site", str(path))


def test_import_refuses_a_newer_schema(site, tmp_path):
    stream = io.StringIO()
    backup.export_site(stream=stream)
    data = json.loads(stream.getvalue())
    data["schema"]["articles"] = "9999_from_the_future"
    path = tmp_path / "newer.json"
    path.write_text(json.dumps(data))
    empty_the_database()
    with pytest.raises(CommandError, match="newer database schema.*articles.9999"):
        call_command("import_site", str(path))
    assert Article.objects.count() == 0


def test_import_refuses_a_newer_format_and_garbage(tmp_path, db):
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({"format": backup.FORMAT, "format_version": 99}))
    with pytest.raises(CommandError, match="newer version of the portal"):
        call_command("import_site", str(newer))
    garbage = tmp_path / "garbage.json"
    garbage.write_text("not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_site", str(garbage))
