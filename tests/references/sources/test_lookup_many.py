"""Many identifiers looked up at once: batched requests, one answer each."""

from references import sources
from references.sources import http, pubmed
from tests.scholarly_api import Scripted


def test_dois_and_pmids_are_asked_in_a_few_batched_requests(scholarly_api):
    answers = sources.lookup_many(
        [
            ("doi", "10.5555/myo.2019.001"),
            ("doi", "10.5555/myo.2018.003"),
            ("doi", "10.5555/unknown"),
            ("pmid", "900000004"),
            ("pmid", "900000099"),
        ]
    )

    retracted = answers["doi", "10.5555/myo.2019.001"]
    # Crossref's description with PubMed's PMID merged in.
    assert retracted.services == {"Crossref", "PubMed"}
    assert retracted.record.pmid == "900000001"
    only_crossref = answers["doi", "10.5555/myo.2018.003"]
    assert only_crossref.services == {"Crossref"}
    assert answers["pmid", "900000004"].record.source == "Test Case Rep Rheumatol"
    assert isinstance(answers["doi", "10.5555/unknown"], http.NotFound)
    assert "10.5555/unknown" in str(answers["doi", "10.5555/unknown"])
    assert isinstance(answers["pmid", "900000099"], http.NotFound)
    # One Crossref request for the three DOIs, one PubMed search for them,
    # and an efetch each for the DOIs' and the PMIDs' records.
    assert len(scholarly_api.seen("/crossref/")) == 1
    assert len(scholarly_api.seen("/eutils/esearch")) == 1
    assert len(scholarly_api.seen("/eutils/efetch")) == 2


def test_pmids_are_fetched_200_a_request(scholarly_api):
    wanted = [("pmid", str(900000001 + n)) for n in range(250)]

    answers = sources.lookup_many(wanted)

    efetches = scholarly_api.seen("/eutils/efetch")
    assert [len(seen.query["id"][0].split(",")) for seen in efetches] == [200, 50]
    assert answers["pmid", "900000002"].record.pmid == "900000002"
    assert sum(isinstance(a, http.NotFound) for a in answers.values()) == 247


def test_a_service_down_fails_only_what_it_alone_could_answer(scholarly_api):
    scholarly_api.fail("/crossref/", *[Scripted(503, b"down")] * 5)

    answers = sources.lookup_many(
        [("doi", "10.5555/myo.2020.002"), ("doi", "10.5555/myo.2018.003")]
    )

    # PubMed knows the first DOI; only Crossref knew the second.
    assert answers["doi", "10.5555/myo.2020.002"].record.pmid == "900000002"
    failed = answers["doi", "10.5555/myo.2018.003"]
    assert isinstance(failed, http.Unavailable)
    assert "Crossref" in str(failed)


def test_pubmed_finds_many_dois_with_one_search(scholarly_api):
    found = pubmed.fetch_by_dois(["10.5555/myo.2019.001", "10.5555/myo.2020.002"])

    assert {doi: work.record.pmid for doi, work in found.items()} == {
        "10.5555/myo.2019.001": "900000001",
        "10.5555/myo.2020.002": "900000002",
    }
    [search] = scholarly_api.seen("/eutils/esearch")
    assert search.query["term"] == [
        '"10.5555/myo.2019.001"[doi] OR "10.5555/myo.2020.002"[doi]'
    ]
