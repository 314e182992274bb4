"""Editorial pages of the literature library: import a file, add a reference,
curate what waits in each topic's inbox.

An import takes three requests: the upload (the file is read and checked
at once; its records and their preview are kept as a draft in
``import_jobs``, never the file, and the session names the draft), a preview
the editor confirms, and the result.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import CreateView, FormView, TemplateView, UpdateView

from . import (
    batch_add,
    identifiers,
    import_jobs,
    importing,
    selectors,
    services,
    sources,
    surveillance,
)
from .forms import (
    AddByIdentifierForm,
    ImportForm,
    InboxActionForm,
    InboxFilterForm,
    ReferenceAddForm,
    ReferenceEditForm,
    add_service_error,
)
from .models import Reference, ReferenceNotice, Topic
from .numbers import parse_numbers

PENDING = "references_import_pending"
RESULT = "references_import_result"
# The preview lists this many new references; the rest are counted.
PREVIEW_LIMIT = 200
# References a page of the curation inbox lists (well under the 1,000 fields
# Django accepts in one post, and a page of a few dozen kilobytes).
INBOX_PAGE_SIZE = 50


class EditorMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Editors (and administrators) who may add references and list them.

    Editorial rights are permissions here as in articles (``articles.roles``)
    and in the admin: the Editors group carries these, and an administrator
    may grant them to anyone else.
    """

    permission_required = ("references.add_reference", "references.add_entry")


class ToolsView(EditorMixin, TemplateView):
    template_name = "references/editorial/tools.html"


class ImportUploadView(EditorMixin, FormView):
    template_name = "references/editorial/import_upload.html"
    form_class = ImportForm

    def get_initial(self):
        return {
            "topic": Topic.objects.filter(slug=self.request.GET.get("topic")).first()
        }

    def form_valid(self, form):
        parsed = form.cleaned_data["file"]
        self.request.session[PENDING] = {
            "filename": self.request.FILES["file"].name,
            "format": parsed.format_label,
            "topic": form.cleaned_data["topic"].pk,
            "skipped_lines": parsed.skipped_lines,
            "draft": _save_draft(parsed.records),
        }
        return redirect("references_editorial:import-preview")


def _save_draft(records, *, draft_id=""):
    """Work out the preview of ``records`` once and keep both as a draft."""
    return import_jobs.save_draft(
        records, importing.preview(records), shown=PREVIEW_LIMIT, draft_id=draft_id
    )


class ImportPreviewView(EditorMixin, TemplateView):
    template_name = "references/editorial/import_preview.html"

    def _no_pending_import(self):
        """A redirect to the upload page when there is nothing to preview.

        Also when the topic chosen was deleted in the meantime.
        """
        self.pending = self.request.session.get(PENDING)
        if self.pending:
            self.topic = Topic.objects.filter(pk=self.pending.get("topic")).first()
            self.shown = import_jobs.load_draft_preview(self.pending.get("draft", ""))
            if self.topic and self.shown:
                return None
            import_jobs.drop_draft(self.pending.get("draft", ""))
            del self.request.session[PENDING]
        messages.info(self.request, _("Choose a file to import first."))
        return redirect("references_editorial:import")

    def get(self, request, *args, **kwargs):
        return self._no_pending_import() or super().get(request, *args, **kwargs)

    def draft(self):
        """The records and whole preview kept at upload (the posts need them;
        the page shows only ``self.shown``)."""
        draft = import_jobs.load_draft(self.pending["draft"])
        if draft is None:
            # Swept or cancelled by another tab since this request began.
            raise Http404(_("This import is no longer pending."))
        return draft

    def get_context_data(self, **kwargs):
        # As worked out at upload: nothing is parsed or checked again here,
        # and only what the page shows is read.
        preview = self.shown.plan
        failed = _failures(self.pending)
        return super().get_context_data(
            pending=self.pending,
            topic=self.topic,
            record_count=self.shown.record_count,
            new_count=self.shown.new_count,
            preview=preview,
            # Pasted identifiers that gave no record (batch_add).
            failed=failed,
            not_imported=len(preview.problems) + len(failed),
            # Why a lookup of a record's DOI or PMID (below) found nothing.
            lookup_failed=self.pending.get("lookup_failed", {}),
            lookup_limit=batch_add.MAX_IDENTIFIERS,
            shown=[
                (record.number, reference)
                for record, reference in preview.new[:PREVIEW_LIMIT]
            ],
            kinds=Reference.Kind.choices,
            not_shown=self.shown.new_count - len(preview.new),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if response := self._no_pending_import():
            return response
        if "cancel" in request.POST:
            import_jobs.drop_draft(self.pending["draft"])
            del request.session[PENDING]
            messages.info(request, _("The import was cancelled; nothing was written."))
            return redirect("references_editorial:import")
        if "lookup" in request.POST:
            return self.look_up(request.POST.getlist("look-up"))
        records, _plan = self.draft()
        # Probable duplicates the editor ticked "import anyway".
        keep = set(parse_numbers(request.POST.getlist("keep")))
        for record in records:
            # The kind the editor chose in the preview, where it was shown.
            chosen = request.POST.get(f"kind-{record.number}")
            if chosen in Reference.Kind.values:
                record.kind = chosen
        if len(records) >= import_jobs.BACKGROUND_RECORDS:
            # Tens of seconds of writing: a process of its own does it, and
            # the editor watches its progress (references/import_jobs.py).
            job = import_jobs.start(
                records=records,
                keep=keep,
                topic=self.topic,
                user=request.user,
                filename=self.pending["filename"],
            )
            import_jobs.drop_draft(self.pending["draft"])
            del request.session[PENDING]
            return redirect("references_editorial:import-job", job=job)
        try:
            result = importing.import_records(
                records=records,
                keep=keep,
                topic=self.topic,
                user=request.user,
                comment=self.pending.get("comment")
                or _("Imported from %(file)s") % {"file": self.pending["filename"]},
                filename=self.pending["filename"],
            )
        except importing.ImportRejected as exc:
            for message in exc.messages:
                messages.error(request, message)
            return self.get(request, *args, **kwargs)
        import_jobs.drop_draft(self.pending["draft"])
        del request.session[PENDING]
        summary = import_jobs.result_summary(result, self.pending["filename"])
        summary["problems"] += [
            {"where": str(failure.where), "title": "", "reason": failure.message}
            for failure in _failures(self.pending)
        ]
        request.session[RESULT] = summary
        return redirect("references_editorial:import-result")

    def look_up(self, chosen):
        """Complete the chosen records that have a DOI or PMID but no title
        from Crossref and PubMed, in batches; write nothing.

        What the record says is kept; the services fill what it lacks. A
        record the services cannot complete stays where it was, with their
        reason beside it.
        """
        records, plan = self.draft()
        chosen = [
            problem for problem in plan.lookups if str(problem.record.number) in chosen
        ]
        # As many as one paste may hold a request; the rest on the next press.
        wanted = {
            problem.record.number: problem.lookup
            for problem in chosen[: batch_add.MAX_IDENTIFIERS]
        }
        answers = sources.lookup_many(
            wanted.values(), timeout=settings.REFERENCES_LOOKUP_TIMEOUT, retries=0
        )
        failed = dict(self.pending.get("lookup_failed", {}))
        completed = 0
        for record in records:
            if record.number not in wanted:
                continue
            answer = answers[wanted[record.number]]
            if isinstance(answer, sources.SourceError):
                failed[str(record.number)] = batch_add.failure_message(answer)
                continue
            importing.complete_record(record, answer)
            failed.pop(str(record.number), None)
            completed += 1
        if completed:
            # The completed records are checked again, once, for the preview.
            _save_draft(records, draft_id=self.pending["draft"])
        self.pending["lookup_failed"] = failed
        self.request.session[PENDING] = self.pending
        messages.info(
            self.request,
            ngettext(
                "%(count)d record was completed from Crossref and PubMed; check it.",
                "%(count)d records were completed from Crossref and PubMed; check "
                "them.",
                completed,
            )
            % {"count": completed},
        )
        if left := len(chosen) - len(wanted):
            messages.info(
                self.request,
                ngettext(
                    "%(count)d more was not looked up yet: press “Look up” again.",
                    "%(count)d more were not looked up yet: press “Look up” again.",
                    left,
                )
                % {"count": left},
            )
        return redirect("references_editorial:import-preview")


def _failures(pending) -> list:
    """The pasted lines that gave no record, kept with a pending import."""
    return [batch_add.Failure(**failure) for failure in pending.get("failed", [])]


class AddByIdentifierView(EditorMixin, FormView):
    """Paste many DOIs or PMIDs: looked up in batches, then previewed and
    imported like a file, into a topic's curation inbox."""

    template_name = "references/editorial/add_many.html"
    form_class = AddByIdentifierForm

    def get_initial(self):
        return {
            "topic": Topic.objects.filter(slug=self.request.GET.get("topic")).first()
        }

    def form_valid(self, form):
        records, failures = batch_add.records_for(
            form.cleaned_data["identifiers"],
            timeout=settings.REFERENCES_LOOKUP_TIMEOUT,
            retries=0,
        )
        failures += [
            batch_add.Failure(line, text, message)
            for line, text, message in form.unreadable
        ]
        failures.sort(key=lambda failure: failure.line)
        if not records:
            return self.render_to_response(
                self.get_context_data(form=form, failures=failures)
            )
        self.request.session[PENDING] = {
            "filename": str(_("the pasted list")),
            "format": str(_("looked up at Crossref and PubMed")),
            "comment": str(_("Added by DOI and PMID lookup")),
            "topic": form.cleaned_data["topic"].pk,
            "skipped_lines": 0,
            "draft": _save_draft(records),
            "failed": [failure.as_dict() for failure in failures],
        }
        return redirect("references_editorial:import-preview")


class ImportJobView(EditorMixin, TemplateView):
    """A background import's progress; its result page once it is done.

    A job whose process died is shown as stopped; a post starts it again.
    """

    template_name = "references/editorial/import_job.html"

    def get(self, request, *args, **kwargs):
        self.job = import_jobs.status(kwargs["job"])
        if self.job is None:
            raise Http404(_("There is no such import."))
        if self.job["state"] == import_jobs.DONE:
            request.session[RESULT] = self.job["result"]
            return redirect("references_editorial:import-result")
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if import_jobs.status(kwargs["job"]) is None:
            raise Http404(_("There is no such import."))
        if not import_jobs.restart(kwargs["job"]):
            messages.info(request, _("This import is not stopped; it was left alone."))
        return redirect("references_editorial:import-job", job=kwargs["job"])

    def get_context_data(self, **kwargs):
        kwargs["job"] = self.job  # the status, in place of the URL's id
        return super().get_context_data(
            working=self.job["state"] in (import_jobs.WAITING, import_jobs.RUNNING),
            stopped=self.job["state"] == import_jobs.STOPPED,
            **kwargs,
        )


class ImportResultView(EditorMixin, TemplateView):
    template_name = "references/editorial/import_result.html"

    def get(self, request, *args, **kwargs):
        if request.session.get(RESULT) is None:
            return redirect("references_editorial:import")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(result=self.request.session[RESULT], **kwargs)


class ReferenceAddView(EditorMixin, CreateView):
    template_name = "references/editorial/reference_add.html"
    form_class = ReferenceAddForm

    def get_initial(self):
        # The article form's offer to add a key it does not know fills in
        # the key (and the identifier, when the key is a DOI or PMID).
        query = self.request.GET
        return {
            "topic": Topic.objects.filter(slug=query.get("topic", "")).first(),
            "citation_key": query.get("citation_key", "")[:100],
            "identifier": query.get("identifier", "")[:300],
        }

    def form_valid(self, form):
        topic = form.cleaned_data["topic"]
        try:
            self.object = services.add_to_inbox(
                reference=form.instance, topic=topic, user=self.request.user
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "“%(title)s” was added to the curation inbox of %(topic)s; place "
                "it in a section for readers to see it."
            )
            % {"title": self.object.title, "topic": topic.title},
        )
        return redirect("references_editorial:inbox", slug=topic.slug)

    def post(self, request, *args, **kwargs):
        if "lookup" in request.POST:
            return self.lookup()
        return super().post(request, *args, **kwargs)

    def lookup(self):
        """Fill the form from Crossref and PubMed; save nothing.

        What the editor typed is kept, and the services' values fill the form
        for them to check and save. A duplicate is caught before anything is
        asked; a failure says what went wrong and leaves the form as it was.
        """
        self.object = None
        posted = self.request.POST
        form_class = self.get_form_class()
        initial = {
            name: posted.get(name, "")
            for name in form_class.base_fields
            if posted.get(name, "") != ""
        }
        result = {"ok": False}
        try:
            name, value = identifiers.parse_identifier(posted.get("identifier", ""))
        except ValidationError as exc:
            result["message"] = " ".join(exc.messages)
        else:
            result.update(self._look_up(name, value, initial))
        form = form_class(initial=initial)
        return self.render_to_response(self.get_context_data(form=form, lookup=result))

    def _look_up(self, name, value, initial):
        existing = Reference.objects.with_identifier(**{name: value}).first()
        if existing:
            return {
                "existing": existing,
                "message": _("This reference is already in the library."),
            }
        try:
            work = sources.lookup(
                value, timeout=settings.REFERENCES_LOOKUP_TIMEOUT, retries=0
            )
        except sources.NotFound:
            return {
                "message": _(
                    "Neither Crossref nor PubMed knows %(value)s. Check it, or type "
                    "the details by hand."
                )
                % {"value": value}
            }
        except sources.SourceError as exc:
            return {
                "message": _(
                    "%(problem)s Try again later, or type the details by hand."
                )
                % {"problem": exc}
            }
        found = sources.reference_values(work)
        existing = Reference.objects.with_identifier(
            doi=found["doi"], pmid=found["pmid"]
        ).first()
        if existing:
            return {
                "existing": existing,
                "message": _("This reference is already in the library."),
            }
        initial.update({key: value for key, value in found.items() if value})
        return {
            "ok": True,
            "message": _("Filled in from %(services)s. Check the details, then save.")
            % {"services": ", ".join(sorted(work.services))},
            # Both services may report the same notice: each is named once.
            "notices": list(
                dict.fromkeys(
                    (ReferenceNotice.Kind(notice.kind).label, notice.date)
                    for notice in work.notices
                )
            ),
        }


class ReferenceEditView(EditorMixin, UpdateView):
    """Edit a reference on an editorial screen: the same validation, duplicate
    checks and history as every other path (``services.save_reference``);
    one waiting in an inbox may be placed in a section in the same step."""

    template_name = "references/editorial/reference_edit.html"
    form_class = ReferenceEditForm
    queryset = Reference.objects.select_related("inbox_topic")
    context_object_name = "reference"
    permission_required = (
        *EditorMixin.permission_required,
        "references.change_reference",
    )

    def form_valid(self, form):
        section = form.cleaned_data.get("section")
        try:
            self.object = services.save_reference(
                reference=form.instance,
                user=self.request.user,
                comment=form.cleaned_data["change_note"],
                loaded_at=form.cleaned_data["loaded_at"],
                section=section,
            )
        except services.EditConflict as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        if section is not None:
            messages.success(
                self.request,
                _("“%(title)s” was saved and placed in “%(section)s”.")
                % {"title": self.object.title, "section": section.title},
            )
        else:
            messages.success(self.request, _("The reference was saved."))
        return redirect(self.get_success_url())

    def get_success_url(self):
        # Back to the inbox it waits in while it waits, else to its page.
        if self.object.is_in_inbox:
            return reverse(
                "references_editorial:inbox",
                kwargs={"slug": self.object.inbox_topic.slug},
            )
        return self.object.get_absolute_url()


class InboxListView(EditorMixin, TemplateView):
    """Every topic's curation inbox, with how many references wait in it."""

    template_name = "references/editorial/inbox_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            topics=Topic.objects.with_inbox_count(), **kwargs
        )


class InboxView(EditorMixin, FormView):
    """One topic's curation inbox: what waits there, a page at a time, with
    filters, and bulk actions on the references ticked or on all that match.

    The page costs the same queries whatever waits (asserted in the tests):
    no abstracts, one page of references, the filters' choices.
    """

    template_name = "references/editorial/inbox.html"
    form_class = InboxActionForm
    paginate_by = INBOX_PAGE_SIZE
    # Placing a reference and marking its kind change it, as in the admin.
    # Deleting is only of references still in the inbox (delete_from_inbox),
    # never of curated literature: that is the admin's, with delete_reference.
    permission_required = (
        *EditorMixin.permission_required,
        "references.change_reference",
    )

    def dispatch(self, request, *args, **kwargs):
        self.topic = get_object_or_404(Topic, slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_filters(self):
        """The filter form, from the query (GET) or the action's hidden
        fields (POST)."""
        if not hasattr(self, "filters"):
            data = self.request.POST if self.request.method == "POST" else None
            self.filters = InboxFilterForm(
                data if data is not None else self.request.GET,
                batches=selectors.import_batches_waiting(self.topic),
            )
        return self.filters

    def get_form_kwargs(self):
        filters = self.get_filters()
        matching = filters.filter(selectors.inbox(self.topic))
        return {
            **super().get_form_kwargs(),
            "topic": self.topic,
            "matching": matching if filters.is_valid() else None,
        }

    def get_context_data(self, **kwargs):
        form = kwargs.get("form") or self.get_form()
        filters = self.get_filters()
        matching = filters.filter(selectors.inbox(self.topic))
        # What the list shows: abstracts and stored citations stay unread.
        listed = matching.defer(
            "abstract", "links", "citation_vancouver", "citation_ama"
        )
        paginator = Paginator(listed, self.paginate_by)
        page = paginator.get_page(self.request.GET.get("page"))
        query = filters.as_query()
        return super().get_context_data(
            topic=self.topic,
            filters=filters,
            filter_query=urlencode(query),
            filter_fields=query.items(),
            page_obj=page,
            paginator=paginator,
            references=page.object_list,
            ticked={str(pk) for pk in (form["references"].value() or ())},
            bulk_limit=form.BULK_LIMIT,
            **kwargs,
        )

    def form_valid(self, form):
        data, user = form.cleaned_data, self.request.user
        chosen = form.chosen()
        try:
            message = self.apply(data, chosen, user)
        except ValidationError as exc:
            for error in exc.messages:
                form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        if left := form.left_over():
            messages.info(
                self.request,
                ngettext(
                    "%(count)d more reference matches: apply again for it.",
                    "%(count)d more references match: apply again for the next "
                    "%(limit)d.",
                    left,
                )
                % {"count": left, "limit": min(left, form.BULK_LIMIT)},
            )
        url = reverse("references_editorial:inbox", kwargs={"slug": self.topic.slug})
        query = self.get_filters().as_query()
        return redirect(f"{url}?{urlencode(query)}" if query else url)

    def apply(self, data, chosen, user):
        """Carry out the action; the message saying what was done."""
        if data["action"] == InboxActionForm.PLACE:
            placed = services.place_in_section(
                references=chosen, section=data["section"], user=user
            )
            return ngettext(
                "%(count)d reference was placed in “%(section)s”.",
                "%(count)d references were placed in “%(section)s”.",
                len(placed),
            ) % {"count": len(placed), "section": data["section"].title}
        if data["action"] == InboxActionForm.KIND:
            count = services.set_kind(references=chosen, kind=data["kind"], user=user)
            return ngettext(
                "%(count)d reference is now marked “%(kind)s”.",
                "%(count)d references are now marked “%(kind)s”.",
                count,
            ) % {"count": count, "kind": Reference.Kind(data["kind"]).label}
        if data["action"] == InboxActionForm.DISMISS:
            count = surveillance.dismiss(references=chosen, user=user)
            return ngettext(
                "%(count)d reference was dismissed as not relevant; the topic's "
                "searches will not bring it back.",
                "%(count)d references were dismissed as not relevant; the topic's "
                "searches will not bring them back.",
                count,
            ) % {"count": count}
        count = services.delete_from_inbox(references=chosen)
        return ngettext(
            "%(count)d reference was deleted.",
            "%(count)d references were deleted.",
            count,
        ) % {"count": count}
