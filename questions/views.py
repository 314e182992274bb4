"""The reader's side: the form, the page after it, the confirmation link.

None of these pages shows a question: the form is blank, the page after it
thanks, and the confirmation says only that the address is confirmed.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.cache import never_cache

from portal import throttling

from . import emails, pages, services
from .forms import AskForm, local_page

HOUR = 60 * 60


def throttled(request) -> int:
    """Seconds this reader must wait before asking again; 0 when they may ask.

    Each post counts, per address (hashed in the cache's key, never stored)
    and in all, so neither one address nor many can flood the editors.
    """
    wait = 0
    for counted, limit in (
        (
            throttling.count_request(scope="questions", request=request, window=HOUR),
            settings.PORTAL_QUESTIONS_PER_ADDRESS_PER_HOUR,
        ),
        (
            throttling.count_all_requests(scope="questions", window=HOUR),
            settings.PORTAL_QUESTIONS_PER_HOUR,
        ),
    ):
        if counted is not None and limit and counted[0] > limit:
            wait = max(wait, counted[1])
    return wait


def wait_message(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return ngettext(
        "Many questions have reached us in a short time. Please wait "
        "%(minutes)d minute and send yours again.",
        "Many questions have reached us in a short time. Please wait "
        "%(minutes)d minutes and send yours again.",
        minutes,
    ) % {"minutes": minutes}


@method_decorator(never_cache, name="dispatch")
class AskView(View):
    """The form, reached from "Ask our editors" with ``?from=`` the page."""

    template_name = "questions/ask.html"

    def get(self, request):
        page = local_page(request.GET.get("from", ""))
        form = AskForm(initial={"page": page})
        return self._render(form, page=page)

    def post(self, request):
        form = AskForm(request.POST)
        page = local_page(request.POST.get("page", ""))
        wait = throttled(request)
        if wait:
            form.is_valid()
            response = self._render(
                form, page=page, status=429, refusal=wait_message(wait)
            )
            response["Retry-After"] = str(wait)
            return response
        if form.is_robot():
            # Answered as a person would be, so robots learn nothing; nothing
            # is stored or sent.
            return HttpResponseRedirect(reverse("questions:sent"))
        if not form.is_valid():
            return self._render(form, page=page, status=400)
        question = services.ask(
            text=form.cleaned_data["text"],
            asker=form.cleaned_data["asker"],
            page=form.cleaned_data["page"],
            email=form.cleaned_data["email"],
        )
        url = reverse("questions:sent")
        if question.email:
            url += "?confirm=1"
        return HttpResponseRedirect(url)

    def _render(self, form, *, page, status=200, refusal=""):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "page": page,
                "page_title": pages.title_of(page) if page else "",
                "refusal": refusal,
                "retention_days": settings.PORTAL_QUESTION_RETENTION_DAYS,
                "confirm_days": settings.PORTAL_QUESTION_CONFIRM_DAYS,
            },
            status=status,
        )


def sent(request):
    """Thanks, and (with an address) where the confirmation went."""
    return render(
        request,
        "questions/sent.html",
        {"confirm": request.GET.get("confirm") == "1"},
    )


@method_decorator(never_cache, name="dispatch")
class ConfirmView(View):
    """The signed link from the confirmation e-mail: a button, so that a mail
    scanner opening the link confirms nothing."""

    template_name = "questions/confirm.html"

    def get(self, request, token):
        valid = emails.read_confirmation_token(token) is not None
        return render(
            request,
            self.template_name,
            {"valid": valid, "token": token},
            status=200 if valid else 400,
        )

    def post(self, request, token):
        read = emails.read_confirmation_token(token)
        question = None
        if read is not None:
            question = services.confirm_address(question_id=read[0], digest=read[1])
        return render(
            request,
            self.template_name,
            {"valid": read is not None, "confirmed": question is not None},
            status=200 if question is not None else 400,
        )
