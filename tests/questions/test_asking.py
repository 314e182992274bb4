"""Asking: the form on every page that offers it, the notice before sending,
the robots kept out, the address confirmed before anything else is sent."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from questions import services
from questions.models import Question, QuestionGroup
from tests.factories import TopicFactory, make_article

pytestmark = pytest.mark.django_db


def confirm_link(message) -> str:
    return re.search(r"http://\S+/questions/confirm/\S+/", message.body)[0]


class TestTheWayToTheForm:
    def test_both_versions_of_an_article_link_to_the_form_with_their_page(self, client):
        article = make_article(
            approve=True, slug="exercise", plain_body="Plain words.", body="Text."
        )
        for version in ("plain", "clinical"):
            page = client.get(f"{article.get_absolute_url()}?version={version}")
            assert (
                f"/questions/ask/?from=/articles/exercise/%3Fversion%3D{version}"
                in page.content.decode()
            )

    def test_a_topic_page_links_to_the_form(self, client):
        topic = TopicFactory(slug="myositis-treatment")
        page = client.get(topic.get_absolute_url()).content.decode()
        assert "/questions/ask/?from=/topics/myositis-treatment/" in page

    def test_a_search_with_no_results_links_to_the_form(self, client):
        page = client.get("/search/", {"q": "zebrafish"}).content.decode()
        assert "/questions/ask/?from=/search/%3Fq%3Dzebrafish" in page

    def test_the_form_says_before_sending_what_it_is_not(self, client):
        page = client.get("/questions/ask/", {"from": "/topics/x/"}).content.decode()
        assert "not a medical consultation" in page
        assert "emergency services" in page
        assert "Leave out personal health details" in page
        assert "It is never published" in page
        assert "deleted 365 days after it was asked" in page
        assert 'value="/topics/x/"' in page

    def test_the_form_names_the_page_by_its_title_not_its_address(self, client):
        TopicFactory(slug="myositis-treatment", title="Treating myositis")
        make_article(
            approve=True, slug="exercise", title="Exercise and myositis", body="T."
        )
        for asked_from, title in [
            ("/topics/myositis-treatment/", "Treating myositis"),
            ("/articles/exercise/?version=plain", "Exercise and myositis"),
            ("/search/?q=zebrafish++fins", "Search for “zebrafish fins”"),
            ("/search/?q=" + "z" * 500, "Search for “" + "z" * 79 + "…”"),
            ("/topics/gone/", "/topics/gone/"),
            ("/editorial-board/", "/editorial-board/"),
        ]:
            page = client.get("/questions/ask/", {"from": asked_from})
            html = page.content.decode()
            assert f">{title}</a>" in html.replace("&amp;", "&"), asked_from

    @pytest.mark.parametrize(
        "raw",
        [
            "/search/%3Fq%3D%2500",  # NUL in the search's words
            "/search/%3Fq%3D%25ED%25A0%2580",  # a lone surrogate, UTF-8 bytes
            "/topics/" + "a" * 5000 + "/",
            "/articles/%25ff/",
            "/search/%3Fq%3D%D9%A1%D9%A2%D9%A3",  # Arabic-Indic digits
            "%ED%A0%80",
        ],
    )
    def test_a_hostile_page_address_is_named_without_an_error(self, client, raw):
        response = client.get("/questions/ask/", QUERY_STRING=f"from={raw}")
        assert response.status_code == 200

    def test_the_title_is_kept_with_the_question_for_the_editors(self, post_question):
        TopicFactory(slug="myositis-treatment", title="Treating myositis")
        post_question()
        assert Question.objects.get().page_title == "Treating myositis"

    def test_a_page_elsewhere_is_not_carried(self, client):
        for elsewhere in ("https://evil.example/", "//evil.example/", "javascript:x"):
            page = client.get("/questions/ask/", {"from": elsewhere})
            assert "evil" not in page.content.decode()
            assert "javascript:x" not in page.content.decode()


class TestAsking:
    def test_a_question_without_an_address_is_stored_and_nothing_is_sent(
        self, post_question
    ):
        response = post_question()
        assert response.status_code == 302
        assert response["Location"] == "/questions/sent/"
        question = Question.objects.get()
        assert question.page == "/topics/myositis-treatment/"
        assert question.email == ""
        assert mail.outbox == []

    def test_an_address_gets_one_confirmation_and_nothing_else(self, post_question):
        response = post_question(email="reader@example.org")
        assert response["Location"] == "/questions/sent/?confirm=1"
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["reader@example.org"]
        # The confirmation never repeats the reader's words.
        assert "exercise" not in mail.outbox[0].body
        assert Question.objects.get().email_confirmed_at is None

    def test_the_signed_link_confirms_only_after_the_button(self, post_question):
        post_question(email="reader@example.org")
        link = confirm_link(mail.outbox[0]).removeprefix("http://127.0.0.1:8000")
        reader = Client()
        assert reader.get(link).status_code == 200
        assert Question.objects.get().email_confirmed_at is None
        response = reader.post(link)
        assert response.status_code == 200
        assert "your address is confirmed" in response.content.decode()
        assert Question.objects.get().is_confirmed

    def test_a_tampered_or_expired_link_confirms_nothing(self, post_question, settings):
        post_question(email="reader@example.org")
        link = confirm_link(mail.outbox[0]).removeprefix("http://127.0.0.1:8000")
        tampered = link[:-3] + "xx/"
        assert Client().post(tampered).status_code == 400
        settings.PORTAL_QUESTION_CONFIRM_DAYS = -1
        assert Client().post(link).status_code == 400
        assert Question.objects.get().email_confirmed_at is None

    def test_a_garbage_link_gets_the_expired_page_not_an_error(self):
        for token in ("x", "a:b:c", "%00", "é" * 2000, "e30:1abc:" + "A" * 43):
            for method in ("get", "post"):
                response = getattr(Client(), method)(f"/questions/confirm/{token}/")
                assert response.status_code == 400, (method, token[:20])
                assert "expired or is not whole" in response.content.decode()

    def test_the_same_question_in_other_case_and_spacing_joins_its_group(
        self, post_question
    ):
        post_question(text="Can I exercise with dermatomyositis?")
        post_question(text="can i  EXERCISE with dermatomyositis")
        post_question(text="Is pregnancy safe on methotrexate?")
        assert QuestionGroup.objects.count() == 2
        group = QuestionGroup.objects.with_counts().get(key__startswith="can i")
        assert group.asked == 2


class TestRobotsAndFloods:
    def test_the_honeypot_stores_nothing_and_tells_the_robot_nothing(
        self, post_question
    ):
        response = post_question(website="https://spam.example/", email="x@y.org")
        assert response.status_code == 302
        assert Question.objects.count() == 0
        assert mail.outbox == []

    def test_a_post_without_the_pages_form_token_is_refused_clearly(self):
        client = Client(enforce_csrf_checks=True)
        response = client.post(
            "/questions/ask/", {"text": "Hello?", "asker": "patient"}
        )
        assert response.status_code == 403
        page = response.content.decode()
        assert "The form was not sent" in page
        assert "reload the page, and send it again" in page
        assert Question.objects.count() == 0

    def test_one_address_sending_too_many_is_told_to_wait(
        self, post_question, settings
    ):
        settings.PORTAL_QUESTIONS_PER_ADDRESS_PER_HOUR = 3
        for number in range(3):
            assert post_question(text=f"Question {number}?").status_code == 302
        response = post_question(text="One more?")
        assert response.status_code == 429
        assert int(response["Retry-After"]) > 0
        assert "Please wait" in response.content.decode()
        assert Question.objects.count() == 3
        # The address is counted under a digest, never stored.
        assert "127.0.0.1" not in str(list(Question.objects.values()))

    def test_a_flood_from_many_addresses_is_held_too(self, client, settings):
        settings.PORTAL_QUESTIONS_PER_HOUR = 5
        statuses = [
            client.post(
                "/questions/ask/",
                {"text": f"Question {n}?", "asker": "other", "page": ""},
                REMOTE_ADDR=f"10.0.0.{n}",
            ).status_code
            for n in range(1, 8)
        ]
        assert statuses == [302] * 5 + [429] * 2
        assert Question.objects.count() == 5


class TestHostileInput:
    def test_exactly_1000_characters_is_accepted_and_1001_refused(self, post_question):
        assert post_question(text="é" * 1000).status_code == 302
        response = post_question(text="é" * 1001)
        assert response.status_code == 400
        assert "at most 1000 characters" in response.content.decode()

    def test_characters_outside_the_basic_plane_count_once_each(self, post_question):
        # An emoji is one character to the form, two UTF-16 units to a browser.
        assert post_question(text="\U0001f4aa" * 1000).status_code == 302
        assert Question.objects.get().text == "\U0001f4aa" * 1000
        assert post_question(text="\U0001f4aa" * 1001).status_code == 400

    def test_the_service_holds_the_limit_too(self):
        with pytest.raises(ValidationError):
            services.ask(text="x" * 1001, asker="other")
        assert Question.objects.count() == 0

    def test_a_nul_character_is_refused_with_a_message(self, post_question):
        response = post_question(text="Dose\x00 of prednisone?")
        assert response.status_code == 400
        page = response.content.decode()
        assert "cannot be shown" in page
        # Shown back without the NUL, for the reader to check and send.
        assert "\nDose of prednisone?</textarea>" in page
        assert Question.objects.count() == 0

    def test_a_lone_surrogate_in_the_raw_body_never_gives_a_500(self, client):
        body = b"text=Dose%ED%A0%80+of+IVIG%3F&asker=patient&page=&email=&website="
        response = client.post(
            "/questions/ask/", body, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code in (302, 400)

    def test_a_non_character_is_refused_with_a_message(self, post_question):
        response = post_question(text="Dose\ufffe?")
        assert response.status_code == 400
        assert "cannot be shown" in response.content.decode()

    def test_crlf_is_stored_as_lf(self, post_question):
        post_question(text="First line.\r\nSecond line.\r\n")
        assert Question.objects.get().text == "First line.\nSecond line."

    def test_missing_fields_are_named_not_a_500(self, client):
        response = client.post("/questions/ask/", {})
        assert response.status_code == 400
        page = response.content.decode()
        assert "Your question was not sent" in page
        assert page.count("This field is required.") == 2

    def test_an_unknown_asker_and_a_bad_address_are_named(self, post_question):
        response = post_question(asker="robot", email="not an address")
        assert response.status_code == 400
        page = response.content.decode()
        assert "Select a valid choice" in page
        assert "Enter a valid email address" in page
