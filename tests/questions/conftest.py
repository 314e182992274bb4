import pytest

from questions import services
from questions.models import Question


@pytest.fixture
def ask():
    """Ask a question through the service, as the form does."""

    def _ask(text="Can I exercise with dermatomyositis?", **fields):
        fields.setdefault("asker", Question.Asker.PATIENT)
        fields.setdefault("page", "/articles/exercise/?version=plain")
        return services.ask(text=text, **fields)

    return _ask


@pytest.fixture
def post_question(client, django_capture_on_commit_callbacks):
    """Post the form as a browser does (CRLF, empty optional fields)."""

    def _post(text="Can I exercise with dermatomyositis?", **fields):
        data = {
            "text": text,
            "asker": "patient",
            "email": "",
            "page": "/topics/myositis-treatment/",
            "website": "",
            **fields,
        }
        # E-mails leave once the transaction commits.
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/questions/ask/", data)

    return _post
