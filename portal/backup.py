"""Whole-site backups: every row of content, with its full version history.

The export covers every model of the content apps (so models added later are
included without changes here), users and groups, the admin's change log and
django-reversion's revisions and versions. Primary keys are kept, because
stored versions refer to objects by key. The file records the schema it came
from (the latest migration of each app) and refuses to load into an older one.
"""

import datetime
import json

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

FORMAT = "myositis-portal-backup"
FORMAT_VERSION = 1
APPS = ["auth", "references", "articles", "portal", "reversion", "admin"]
# Skipped: rebuilt by migrations (permissions) or worthless in a restore.
SKIPPED_MODELS = {"auth.Permission"}
# Rows that migrations create: the import replaces them.
MIGRATION_SEEDED_MODELS = {"auth.Group"}


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (it cuts them to ms)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def serialize_rows(queryset) -> list[dict]:
    """Rows as the backup stores them: keys kept, foreign keys natural."""
    return json.loads(
        serializers.serialize(
            "json",
            queryset.iterator(),
            use_natural_foreign_keys=True,
            cls=ExactJSONEncoder,
        )
    )


class BackupError(Exception):
    """A backup file that cannot be loaded here, with the reason in words."""


def exported_models():
    """Every model to back up, parents before the rows that point to them."""
    app_list = [
        (
            config,
            [
                model
                for model in config.get_models()
                if model._meta.label not in SKIPPED_MODELS
                and not model._meta.proxy
                and model._meta.managed
            ],
        )
        for config in (apps.get_app_config(label) for label in APPS)
    ]
    # Article.live and ApprovedVersion.article point at each other: a cycle
    # that the deferred foreign-key checks of the import resolve.
    return serializers.sort_dependencies(app_list, allow_cycles=True)


def schema(using=DEFAULT_DB_ALIAS) -> dict[str, str]:
    """The latest applied migration of each exported app."""
    loader = MigrationLoader(connections[using])
    latest = {}
    for app_label in APPS:
        applied = sorted(
            name for app, name in loader.applied_migrations if app == app_label
        )
        leaves = [
            name for app, name in loader.graph.leaf_nodes(app_label) if name in applied
        ]
        latest[app_label] = leaves[0] if leaves else (applied[-1] if applied else "")
    return latest


def export_site(*, stream, using=DEFAULT_DB_ALIAS) -> int:
    """Write the whole site to ``stream`` as JSON; return the number of rows."""
    objects = []
    for model in exported_models():
        queryset = model._base_manager.using(using).order_by(model._meta.pk.name)
        objects.extend(serialize_rows(queryset))
    json.dump(
        {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "schema": schema(using),
            "objects": objects,
        },
        stream,
        ensure_ascii=False,
        indent=1,
    )
    return len(objects)


def _check_header(data, using):
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(_("This is not a portal backup file."))
    if data.get("format_version", 0) > FORMAT_VERSION:
        raise BackupError(
            _(
                "This backup was written in format %(theirs)s by a newer version of "
                "the portal; this one reads format %(ours)s. Upgrade the portal first."
            )
            % {"theirs": data.get("format_version"), "ours": FORMAT_VERSION}
        )
    loader = MigrationLoader(connections[using])
    for app_label, name in (data.get("schema") or {}).items():
        if name and (app_label, name) not in loader.applied_migrations:
            known = (app_label, name) in loader.disk_migrations
            raise BackupError(
                _(
                    "This backup comes from a newer database schema: migration "
                    "%(app)s.%(name)s is %(why)s here. Upgrade the portal and run "
                    "migrate before importing."
                )
                % {
                    "app": app_label,
                    "name": name,
                    "why": _("not applied") if known else _("unknown"),
                }
            )


def _existing_rows(using):
    return {
        model._meta.label: count
        for model in exported_models()
        if model._meta.label not in MIGRATION_SEEDED_MODELS
        and (count := model._base_manager.using(using).count())
    }


def import_site(*, stream, force: bool = False, using=DEFAULT_DB_ALIAS) -> int:
    """Load a backup into this database in one transaction; return the row count.

    The database must be empty (freshly migrated) unless ``force`` is given,
    in which case rows with the same keys are overwritten.
    """
    try:
        data = json.load(stream)
    except ValueError as exc:
        raise BackupError(_("The file is not valid JSON: %s") % exc) from exc
    _check_header(data, using)
    connection = connections[using]
    with transaction.atomic(using=using):
        existing = _existing_rows(using)
        if existing and not force:
            raise BackupError(
                _(
                    "The database is not empty (%(rows)s). Import into a freshly "
                    "migrated database, or pass --force to overwrite rows."
                )
                % {"rows": ", ".join(f"{n} {label}" for label, n in existing.items())}
            )
        if not force:
            for label in MIGRATION_SEEDED_MODELS:
                apps.get_model(label)._base_manager.using(using).delete()
        count, models, deferred = 0, set(), []
        with connection.constraint_checks_disabled():
            for obj in serializers.deserialize(
                "json",
                json.dumps(data["objects"], cls=ExactJSONEncoder),
                using=using,
                handle_forward_references=True,
            ):
                obj.save(using=using)
                if obj.deferred_fields:
                    deferred.append(obj)
                models.add(type(obj.object))
                count += 1
            for obj in deferred:
                obj.save_deferred_fields(using=using)
        connection.check_constraints(table_names=[m._meta.db_table for m in models])
        # Rows came with their keys: move the sequences past them (PostgreSQL).
        sql = connection.ops.sequence_reset_sql(no_style(), list(models))
        if sql:
            with connection.cursor() as cursor:
                for statement in sql:
                    cursor.execute(statement)
    return count
