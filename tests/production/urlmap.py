"""Every URL the project serves, made concrete with real objects.

The permission matrix and the CSP test walk the URL resolver, so pages that
other work adds are covered without being listed: a pattern the tables here
cannot fill in, or that has no expected status, fails the tests by name.
"""

import re
from dataclasses import dataclass

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from reversion.models import Version

from questions.emails import confirmation_token
from questions.services import ask


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the route itself for unnamed patterns
    route: str
    pattern: URLPattern

    @property
    def arg_names(self):
        regex = self.pattern.pattern.regex
        named = list(regex.groupindex)
        return named or [f"#{i}" for i in range(regex.groups)]


def walk(patterns=None, namespace="", prefix=""):
    for item in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(item, URLResolver):
            inner = ":".join(part for part in (namespace, item.namespace) if part)
            yield from walk(item.url_patterns, inner, prefix + str(item.pattern))
        else:
            route = prefix + str(item.pattern)
            if not item.name:
                name = route
            elif namespace:
                name = f"{namespace}:{item.name}"
            else:
                name = item.name
            yield Route(name=name, route=route, pattern=item)


def admin_models():
    """{"app_model" prefix of admin URL names: model} for every registered model."""
    return {
        f"{model._meta.app_label}_{model._meta.model_name}": model
        for model in admin.site._registry
    }


def _model_for(name):
    match = re.fullmatch(r"admin:(\w+)_(\w+)", name)
    if not match:
        return None, None
    for prefix, model in admin_models().items():
        if name.startswith(f"admin:{prefix}_"):
            return model, name[len(f"admin:{prefix}_") :]
    return None, None


def question_of(data):
    """The data's reader question, asked (once) when the data has none."""
    if "question" not in data:
        data["question"] = ask(
            text="Can I exercise with dermatomyositis?",
            asker="patient",
            email="reader@example.org",
        )
    return data["question"]


def public_args(data):
    """How to fill in each public pattern, by URL name."""
    return {
        "portal:topic": {"slug": data["topic"].slug},
        "articles:detail": {"slug": data["article"].slug},
        "references:detail": {"pk": data["reference"].pk},
        "references:export": {"extension": "ris"},
        "portal:article-references-ris": {"slug": data["article"].slug},
        "references:topic-feed": {"slug": data["topic"].slug},
        "portal:sitemap-section": {"section": "references"},
        "references_editorial:import-job": {"job": "0" * 32},
        "references_editorial:inbox": {"slug": data["topic"].slug},
        "references_editorial:searches": {"slug": data["topic"].slug},
        "references_editorial:searches-csv": {"slug": data["topic"].slug},
        "references_editorial:search-add": {"slug": data["topic"].slug},
        "references_editorial:search-edit": {
            "slug": data["search"].topic.slug,
            "pk": data["search"].pk,
        },
        "references_editorial:edit": {"pk": data["reference"].pk},
        "editorial:review": {"pk": data["article"].pk},
        "editorial:edit": {"pk": data["article"].pk},
        "editorial:transition": {"pk": data["article"].pk},
        "editorial:history": {"pk": data["article"].pk},
        "editorial:compare": {"pk": data["article"].pk},
        "editorial:revert": {"pk": data["article"].pk},
        "editorial:assign": {"pk": data["article"].pk},
        "editorial:declare-conflict": {"pk": data["article"].pk},
        "articles:changes": {"slug": data["article"].slug},
        # Readers' questions.
        "questions:confirm": {"token": confirmation_token(question_of(data))},
        "questions_editorial:group": {"pk": question_of(data).group_id},
        "questions_editorial:merge": {"pk": question_of(data).group_id},
        "questions_editorial:answer": {"pk": question_of(data).group_id},
        "questions_editorial:plan": {"pk": question_of(data).group_id},
        "questions_editorial:decline": {"pk": question_of(data).group_id},
        # The read API.
        "api:topic-detail": {"slug": data["topic"].slug},
        "api:article-detail": {"slug": data["article"].live.slug},
        "api:reference-detail": {"pk": data["reference"].pk},
        "api:fhir-citation": {"pk": data["reference"].pk},
        "api:fhir-composition": {"id": f"article-{data['article'].pk}"},
        "api:fhir-rating": {"id": f"article-{data['article'].pk}-recommendation-1"},
        "api:fhir-bundle": {"id": f"topic-{data['topic'].pk}"},
        "api:not-found": {"path": "v1/no-such-resource/"},
    }


def url_for(route, data):
    """A concrete URL for the route, or raise LookupError saying what is missing."""
    if not route.arg_names:
        if "(" in route.route or "^" in route.route:
            return "/" + route.route.replace("^", "").replace("$", "")
        return reverse(route.name) if ":" in route.name else "/" + route.route
    args = public_args(data)
    if route.name in args:
        return reverse(route.name, kwargs=args[route.name])
    if route.name == "admin:view_on_site":
        topic = data["topic"]
        content_type = ContentType.objects.get_for_model(topic)
        return reverse(route.name, args=[content_type.pk, topic.pk])
    if route.name == "admin:app_list":
        return reverse(route.name, kwargs={"app_label": "articles"})
    model, view = _model_for(route.name)
    if model is not None:
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            raise LookupError(f"no {model._meta.label} in the test data")
        if view in ("recover", "revision"):
            version = Version.objects.get_for_model(model).order_by("pk").first()
            positional = (
                [version.object_id, version.pk] if view == "revision" else [version.pk]
            )
            return reverse(route.name, args=positional)
        return reverse(route.name, kwargs={route.arg_names[0]: obj.pk})
    if route.name == "admin/(?P<url>.*)$":  # the admin's catch-all
        return "/admin/no-such-admin-page/"
    bare = re.fullmatch(r"admin/(\w+)/(\w+)/<path:object_id>/", route.route)
    if bare:  # a model's bare object URL, which redirects to its change page
        model = admin_models()[f"{bare[1]}_{bare[2]}"]
        return f"/{route.route.split('<')[0]}{model._default_manager.first().pk}/"
    raise LookupError(f"no arguments known for {route.name} ({route.route})")
