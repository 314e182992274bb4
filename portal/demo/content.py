"""Demo content for the Myositis Knowledge Portal.

Every sentence in this module (titles of our own pages, summaries and
section intros) is an original summary written for the portal. The
underlying facts (drugs, indications, reference titles, journals and dates)
come from two seed pages: a reviewed question-and-answer article on antibody
therapy for polymyositis versus dermatomyositis, and a curated literature
list on treatments for dermatomyositis and polymyositis. Reference titles
and sources are reproduced exactly because they are bibliographic facts.

Identifiers (DOI, PMID, web addresses) are only those confirmed in public
bibliographic records (``shared/seeds/IDENTIFIERS.md``); where none is known
the field stays empty. Author lists name the first author the records give
(and a group author where there is one) and are marked incomplete
(``authors_incomplete``: pages say "et al.") rather than guess the rest.
"""

ARTICLE = {
    "slug": "antibody-therapy-pm-dm",
    "title": "Choosing antibody therapies in polymyositis and dermatomyositis",
    "summary": (
        "Rituximab is the antibody most often favoured for severe or "
        "treatment-resistant myositis, while IVIG is especially useful in "
        "dermatomyositis with serious skin involvement or swallowing problems. "
        "This overview covers first-line drugs, dosing, disease differences "
        "and monitoring."
    ),
    "plain_title": "Antibody medicines for polymyositis and dermatomyositis",
    "plain_summary": (
        "A simple guide to the medicines doctors may use when the usual "
        "steroid treatment for myositis is not enough, and how the choice "
        "can depend on the type of myositis you have."
    ),
}

# The article's approved history, oldest first. The second version adds the
# graded recommendations (articles/*.recommendations.md), placed before the
# first heading of each body.
ARTICLE_HISTORY = [
    {
        "recommendations": False,
        "change_class": "",
        "change_note": (
            "First published: the antibody options for polymyositis and "
            "dermatomyositis, their doses, and how the choice differs between "
            "the two diseases."
        ),
    },
    {
        "recommendations": True,
        "change_class": "major",
        "change_note": (
            "The key advice is now set out as graded recommendations, each "
            "saying how strong it is and how certain the evidence is, with a "
            "good practice statement on checking the heart. A report on "
            "rituximab in hard-to-treat dermatomyositis was added."
        ),
        # What the board acknowledges in approving it (articles.workflow).
        "approval_comment": (
            "Recommendation 3 (against TNF-α antagonists) rests on two "
            "narrative reviews: no trial or guideline in the library addresses "
            "it. Approved knowing this."
        ),
    },
]

# Declared interests of the demo accounts (fictional people).
DISCLOSURES = {
    "board": (
        "Speaker fees from a maker of immunoglobulin products (2024). No shares "
        "or other interests in the companies whose medicines this site discusses."
    ),
    "editor": "No interests to declare.",
}

TOPICS = [
    {
        "slug": "myositis-treatment",
        "title": "Treatment of dermatomyositis and polymyositis",
        "summary": (
            "Therapy for these inflammatory muscle diseases draws on several "
            "families of treatment: steroids, immunosuppressants, IVIg, "
            "biological agents, exercise and physical therapy, and stem cell "
            "transplants."
        ),
        "also_see": [
            "autoimmune-diseases",
            "dermatomyositis-polymyositis",
            "biologic-agents",
            "endocannabinoid-system",
            "clinical-trials",
            "interleukins",
        ],
    },
    {
        "slug": "autoimmune-diseases",
        "title": "Autoimmune Diseases",
        "summary": (
            "Conditions in which the immune system turns against the body's "
            "own tissues, a group that includes the inflammatory myopathies."
        ),
        "also_see": ["myositis-treatment", "dermatomyositis-polymyositis"],
    },
    {
        "slug": "dermatomyositis-polymyositis",
        "title": "Dermatomyositis/Polymyositis",
        "summary": (
            "Background on the two main inflammatory muscle diseases, which "
            "share muscle weakness but differ in skin involvement."
        ),
        "also_see": ["myositis-treatment", "autoimmune-diseases"],
    },
    {
        "slug": "biologic-agents",
        "title": "Biologic Agents",
        "summary": (
            "Medicines such as monoclonal antibodies that act on specific "
            "parts of the immune response."
        ),
        "also_see": ["myositis-treatment"],
    },
    {
        "slug": "endocannabinoid-system",
        "title": "Endocannabinoid System",
        "summary": (
            "The body's cannabinoid signalling network, which is being explored "
            "as a target for calming inflammation."
        ),
        "also_see": ["myositis-treatment", "clinical-trials"],
    },
    {
        "slug": "clinical-trials",
        "title": "Clinical Trials",
        "summary": (
            "Studies that test new or existing treatments in patients to "
            "judge how well they work and how safe they are."
        ),
        "also_see": ["myositis-treatment"],
    },
    {
        "slug": "interleukins",
        "title": "Interleukins",
        "summary": (
            "Signalling proteins of the immune system that help drive "
            "inflammation and may become targets for future therapies."
        ),
        "also_see": ["myositis-treatment"],
    },
]

SECTIONS = [
    {
        "slug": "guidelines-and-reviews",
        "title": "Guidelines and Reviews",
        "intro": (
            "Guidelines, classification criteria and reviews behind our "
            "overview of antibody therapy in myositis, and two secondary "
            "summaries it cites only where nothing better exists."
        ),
    },
    {
        "slug": "biological-agents",
        "title": "Biological Agents",
        "intro": (
            "Reports on targeted antibody drugs, chiefly rituximab, in "
            "difficult dermatomyositis."
        ),
    },
    {
        "slug": "cb2-agonist",
        "title": "Cannabinoid Receptor Type 2 (CB2) Agonist",
        "intro": (
            "News on drugs that act on the CB2 receptor to dampen "
            "inflammation in dermatomyositis."
        ),
    },
    {
        "slug": "combination-therapies",
        "title": "Combination Therapies",
        "intro": (
            "Work on pairing steroids with other immunosuppressants, "
            "exercise and emerging targets."
        ),
    },
    {
        "slug": "ivig",
        "title": "Intravenous Immunoglobulin (IVIg)",
        "intro": (
            "Studies and case reports on pooled donor antibodies given through a vein."
        ),
    },
    {
        "slug": "stem-cell-transplants",
        "title": "Stem Cell Transplants",
        "intro": (
            "Research on muscle inflammation in people who have received "
            "a stem cell transplant."
        ),
    },
]


def _ref(**fields):
    """Return a reference dict with empty defaults for unknown fields."""
    base = {
        "authors": [],
        "authors_incomplete": False,
        "item_type": "article",
        "year": None,
        "month": None,
        "day": None,
        "volume": "",
        "issue": "",
        "pages": "",
        "url": "",
        "doi": "",
        "pmid": "",
        "link_status": "unchecked",
    }
    base.update(fields)
    return base


REFERENCES = [
    # References cited in the clinical overview article.
    _ref(
        citation_key="dr-oracle-overview-2025",
        # A point-of-care summary of guidelines, not a guideline: no author,
        # identifier or address a reader could check.
        kind="secondary_summary",
        item_type="document",
        title="Guideline Directed Topic Overview",
        source="Dr.Oracle Medical Advisory Board & Editors",
        year=2025,
        summary=(
            "A point-of-care summary by an editorial team. Our overview cites it "
            "only where no primary study in the library speaks: the advice to "
            "check the heart."
        ),
        placements=[["myositis-treatment", "guidelines-and-reviews"]],
    ),
    _ref(
        citation_key="praxis-myopathic-2025",
        # A digest of guidelines: a secondary summary.
        kind="secondary_summary",
        item_type="document",
        title="Diagnosis and Treatment of Myopathic Disorders",
        source="Praxis Medical Insights: Practical Summaries of Clinical Guidelines",
        year=2025,
        summary=(
            "A practical digest of guidance on muscle disorders. Our overview "
            "cites it only for what no primary source in the library covers: "
            "the usual dose steps of steroid-sparing drugs and IVIG when "
            "swallowing is affected."
        ),
        placements=[["myositis-treatment", "guidelines-and-reviews"]],
    ),
    _ref(
        citation_key="marie-autoimmun-rev-2011",
        kind="narrative_review",
        title="Therapy of polymyositis and dermatomyositis.",
        authors=["Marie, I."],
        source="Autoimmun Rev",
        year=2011,
        volume="11",
        issue="1",
        pages="6-13",
        doi="10.1016/j.autrev.2011.06.007",
        pmid="21740984",
        summary=(
            "A review of treatment options for the two myopathies, drawn on "
            "here for rituximab dosing, retreatment and monitoring."
        ),
        placements=[
            ["myositis-treatment", "guidelines-and-reviews"],
            ["dermatomyositis-polymyositis", "general"],
        ],
    ),
    # Literature list: Biological Agents.
    _ref(
        citation_key="clin-rheumatol-2018-rtx-mda5",
        kind="research",
        title=(
            "Rituximab for refractory rapidly progressive interstitial lung "
            "disease (RP–ILD) related to anti-MDA5 antibody–positive amyopathic "
            "dermatomyositis."
        ),
        authors=["So, H."],
        authors_incomplete=True,
        source="Clin Rheumatol",
        year=2018,
        month=4,
        day=30,
        volume="37",
        issue="7",
        pages="1983-1989",
        doi="10.1007/s10067-018-4122-2",
        pmid="29713969",
        summary=(
            "Rituximab looked helpful for fast-worsening lung disease in "
            "anti-MDA5-positive amyopathic dermatomyositis, with infection "
            "being the chief safety concern."
        ),
        placements=[
            ["myositis-treatment", "biological-agents"],
            ["biologic-agents", "general"],
        ],
    ),
    _ref(
        citation_key="j-drugs-dermatol-2017-rtx-refractory-dm",
        kind="research",
        title="The Use of Rituximab in the Management of Refractory Dermatomyositis.",
        source="J Drugs Dermatol",
        year=2017,
        month=2,
        day=1,
        volume="16",
        issue="2",
        pages="162-166",
        url=(
            "https://jddonline.com/articles/the-use-of-rituximab-in-the-"
            "management-of-refractory-dermatomyositis-S1545961617P0162X"
        ),
        summary=(
            "A look back at 25 people with dermatomyositis who received rituximab."
        ),
        placements=[["myositis-treatment", "biological-agents"]],
    ),
    # Literature list: CB2 Agonist.
    _ref(
        citation_key="globe-newswire-2018-lenabasum-dm",
        kind="news",
        title=(
            "Corbus Pharmaceuticals to Commence Phase 3 Study of Lenabasum for "
            "the Treatment of Rare Autoimmune Disease Dermatomyositis."
        ),
        authors=["Corbus Pharmaceuticals"],
        source="Globe Newswire",
        year=2018,
        month=7,
        day=25,
        summary=(
            "Corbus Pharmaceuticals said it would go ahead with a phase 3 trial "
            "testing whether lenabasum is effective and safe in dermatomyositis."
        ),
        placements=[
            ["myositis-treatment", "cb2-agonist"],
            ["endocannabinoid-system", "general"],
            ["clinical-trials", "general"],
        ],
    ),
    # Literature list: Combination Therapies.
    _ref(
        citation_key="j-rheumatol-myositis-malignancy-21yr",
        # A retrospective study of a cohort.
        kind="observational",
        title=(
            "Dermatomyositis and Polymyositis Associated with Malignancy: "
            "A 21-year Retrospective Study."
        ),
        authors=["Andras, C."],
        authors_incomplete=True,
        source="J Rheumatol",
        year=2008,
        volume="35",
        issue="3",
        pages="438-444",
        pmid="18203322",
        link_status="expired",
        summary=(
            "People whose myositis was linked to cancer more often needed "
            "extra immunosuppressants on top of steroids."
        ),
        placements=[["myositis-treatment", "combination-therapies"]],
    ),
    _ref(
        citation_key="clin-rheumatol-2019-physical-therapy-review",
        kind="systematic_review",
        title=(
            "Physical therapy in adult inflammatory myopathy patients: "
            "a systematic review."
        ),
        source="Clin Rheumatol",
        year=2019,
        month=8,
        volume="38",
        issue="8",
        pages="2039-2051",
        authors=["Van Thillo, A."],
        authors_incomplete=True,
        doi="10.1007/s10067-019-04571-9",
        summary=(
            "In inactive inflammatory myopathy, physical therapy did not worsen "
            "disease activity and may help people function better."
        ),
        placements=[["myositis-treatment", "combination-therapies"]],
    ),
    _ref(
        citation_key="how-is-polymyositis-treated",
        kind="other",
        # Neither its source nor its address is known.
        item_type="document",
        title="How is Polymyositis Treated?",
        source="",
        summary="Explains that high-dose corticosteroids are the usual first step.",
        placements=[["myositis-treatment", "combination-therapies"]],
    ),
    _ref(
        citation_key="rheumatology-2018-il18-myositis",
        kind="research",
        title=(
            "Expression of interleukin-18 in muscle tissue of patients with "
            "polymyositis or dermatomyositis and effects of conventional "
            "immunosuppressive treatment."
        ),
        authors=["Helmers, S. B."],
        authors_incomplete=True,
        source="Rheumatology (Oxford)",
        year=2018,
        month=8,
        day=8,
        volume="57",
        issue="12",
        pages="2149-2157",
        doi="10.1093/rheumatology/key222",
        pmid="30102381",
        summary=(
            "Inflamed muscle in these myopathies contains high levels of IL-18, "
            "which the authors propose as a possible future drug target."
        ),
        placements=[
            ["myositis-treatment", "combination-therapies"],
            ["interleukins", "general"],
        ],
    ),
    # Literature list: Intravenous Immunoglobulin (IVIg).
    _ref(
        citation_key="autoimmun-rev-2020-ivig-sscam",
        kind="research",
        title=(
            "Corticosteroid-sparing (CS) benefit of intravenous immunoglobulin "
            "(IVIg) in systemic sclerosis-associated myopathy (SScAM): "
            "A comparative study in 52 patients."
        ),
        source="Autoimmun Rev",
        year=2020,
        month=1,
        volume="19",
        issue="1",
        pages="102431",
        pmid="31734403",
        summary=(
            "Across 52 patients with myopathy linked to systemic sclerosis, "
            "add-on IVIg was reasonably well tolerated and appeared to reduce "
            "the need for steroids."
        ),
        placements=[
            ["myositis-treatment", "ivig"],
            ["autoimmune-diseases", "general"],
        ],
    ),
    _ref(
        citation_key="open-rheumatol-j-ivig-adm-cases",
        kind="case_report",
        title=(
            "Case Report: Intravenous Immune Globulin in Amyopathic "
            "Dermatomyositis (ADM) – Report of Two Cases and Review of the "
            "Literature."
        ),
        authors=["Cafardi, J. M."],
        authors_incomplete=True,
        source="Open Rheumatol J",
        year=2015,
        volume="9",
        pages="77-81",
        doi="10.2174/1874312901409010077",
        summary=(
            "Two patients with severe, treatment-resistant amyopathic "
            "dermatomyositis in whom IVIG served as rescue and then ongoing "
            "steroid-sparing therapy."
        ),
        placements=[["myositis-treatment", "ivig"]],
    ),
    _ref(
        citation_key="ats-ivig-cardiomyopathy-dm",
        kind="case_report",
        title=(
            "Successful Treatment With Intravenous High-Dose Immunoglobulin For "
            "Cardiomyopathy In Dermatomyositis Complicated With Rapid Progressive "
            "Interstitial Pneumonia And Macrophage Activation Syndrome."
        ),
        source="ATS Journal",
        summary=(
            "Described as the first account suggesting that IVIg can help heart "
            "muscle disease in dermatomyositis."
        ),
        placements=[["myositis-treatment", "ivig"]],
    ),
    # Literature list: Stem Cell Transplants.
    _ref(
        citation_key="muscle-nerve-2018-myopathy-after-allo-sct",
        kind="research",
        title=(
            "Inflammatory myopathies (IM) after allogeneic stem cell "
            "transplantation (SCT)."
        ),
        source="Muscle Nerve",
        year=2018,
        month=12,
        volume="58",
        issue="6",
        pages="790-795",
        doi="10.1002/mus.26341",
        pmid="30194844",
        summary=(
            "Weakness is frequent after allogeneic stem cell transplant, and "
            "inflammatory myopathy occurs more often in these recipients."
        ),
        placements=[["myositis-treatment", "stem-cell-transplants"]],
    ),
    # Further literature a topic page on this subject carries: the trials,
    # the classification criteria and the guideline reviews the overview
    # cites for the claims they support.
    _ref(
        citation_key="oddis-2013-rim",
        kind="trial",
        title=(
            "Rituximab in the treatment of refractory adult and juvenile "
            "dermatomyositis and adult polymyositis: a randomized, "
            "placebo-phase trial."
        ),
        authors=["Oddis, C. V.", "RIM Study Group"],
        authors_incomplete=True,
        source="Arthritis Rheum",
        year=2013,
        volume="65",
        issue="2",
        pages="314-324",
        doi="10.1002/art.37754",
        pmid="23124935",
        summary=(
            "The RIM trial gave rituximab to about 200 people with refractory "
            "myositis, half of them eight weeks later than the rest; starting "
            "earlier did not speed improvement, but most patients improved, "
            "which supports rituximab once standard drugs have failed."
        ),
        placements=[
            ["myositis-treatment", "biological-agents"],
            ["biologic-agents", "general"],
            ["clinical-trials", "general"],
        ],
    ),
    _ref(
        citation_key="aggarwal-2022-proderm",
        kind="trial",
        title="Trial of Intravenous Immune Globulin in Dermatomyositis.",
        authors=["Aggarwal, R.", "ProDERM Trial Group"],
        authors_incomplete=True,
        source="N Engl J Med",
        year=2022,
        volume="387",
        issue="14",
        pages="1264-1278",
        doi="10.1056/NEJMoa2117912",
        pmid="36198179",
        summary=(
            "In the placebo-controlled ProDERM trial, adults with "
            "dermatomyositis given IVIg at 2 g/kg every four weeks improved "
            "more often than those given placebo; blood clots were among the "
            "side effects seen."
        ),
        placements=[
            ["myositis-treatment", "ivig"],
            ["clinical-trials", "general"],
        ],
    ),
    _ref(
        citation_key="lundberg-2017-eular-acr",
        kind="guideline",
        title=(
            "2017 European League Against Rheumatism/American College of "
            "Rheumatology classification criteria for adult and juvenile "
            "idiopathic inflammatory myopathies and their major subgroups."
        ),
        authors=["Lundberg, I. E."],
        authors_incomplete=True,
        source="Arthritis Rheumatol",
        year=2017,
        volume="69",
        issue="12",
        pages="2271-2282",
        doi="10.1002/art.40320",
        pmid="29106061",
        summary=(
            "The joint EULAR/ACR criteria that weigh muscle weakness, skin "
            "signs, blood tests and biopsy findings to classify a myositis "
            "and its subgroup."
        ),
        placements=[
            ["myositis-treatment", "guidelines-and-reviews"],
            ["dermatomyositis-polymyositis", "general"],
            ["autoimmune-diseases", "general"],
        ],
    ),
    _ref(
        citation_key="oldroyd-2022-bsr",
        kind="guideline",
        title=(
            "British Society for Rheumatology guideline on management of "
            "paediatric, adolescent and adult patients with idiopathic "
            "inflammatory myopathy."
        ),
        authors=["Oldroyd, A. G. S."],
        authors_incomplete=True,
        source="Rheumatology (Oxford)",
        year=2022,
        volume="61",
        issue="5",
        pages="1760-1768",
        doi="10.1093/rheumatology/keac115",
        summary=(
            "The British guideline for myositis at every age: steroids with "
            "an early steroid-sparing drug, IVIg or rituximab when that "
            "fails, and treatment aimed at the skin in dermatomyositis."
        ),
        placements=[
            ["myositis-treatment", "guidelines-and-reviews"],
            ["dermatomyositis-polymyositis", "general"],
        ],
    ),
    _ref(
        citation_key="paik-2025-guideline-review",
        kind="narrative_review",
        title=(
            "Treatment guidelines for idiopathic inflammatory myopathies in "
            "adults: a comparative review."
        ),
        authors=["Paik, J. J."],
        authors_incomplete=True,
        source="Rheumatology (Oxford)",
        year=2025,
        volume="64",
        issue="6",
        pages="3288-3302",
        doi="10.1093/rheumatology/keaf116",
        pmid="39999025",
        summary=(
            "Sets the published treatment guidelines for adult myositis side "
            "by side, showing where they agree and where advice still differs."
        ),
        placements=[["myositis-treatment", "guidelines-and-reviews"]],
    ),
    _ref(
        citation_key="meyer-2019-guidelines-state-of-art",
        kind="narrative_review",
        title=(
            "Idiopathic inflammatory myopathies: state of the art on clinical "
            "practice guidelines."
        ),
        authors=["Meyer, A."],
        authors_incomplete=True,
        source="RMD Open",
        year=2019,
        volume="4",
        issue="Suppl 1",
        pages="e000784",
        doi="10.1136/rmdopen-2018-000784",
        pmid="30886730",
        summary=(
            "A survey of the guidance available on diagnosing and treating "
            "myositis, and of the gaps that remain for rare diseases like it."
        ),
        placements=[
            ["myositis-treatment", "guidelines-and-reviews"],
            ["autoimmune-diseases", "general"],
        ],
    ),
    _ref(
        citation_key="nct03813160-determine",
        kind="trial",
        # A registry record: cited as a page of ClinicalTrials.gov.
        item_type="webpage",
        title=(
            "DETERMINE: a phase 3 study of lenabasum in dermatomyositis (NCT03813160)."
        ),
        source="ClinicalTrials.gov",
        url="https://clinicaltrials.gov/study/NCT03813160",
        summary=(
            "The registry record of the phase 3 lenabasum trial announced in "
            "2018; the topline results reported in June 2021 did not meet "
            "the main goal."
        ),
        placements=[
            ["myositis-treatment", "cb2-agonist"],
            ["endocannabinoid-system", "general"],
            ["clinical-trials", "general"],
        ],
    ),
]

# Plain-language definitions for the glossary, written for the portal.
GLOSSARY = [
    {
        "slug": "polymyositis",
        "term": "polymyositis",
        "synonyms": ["PM"],
        "definition": (
            "A long-lasting illness in which the immune system inflames the "
            "muscles, mostly those near the trunk, so they become weak."
        ),
    },
    {
        "slug": "dermatomyositis",
        "term": "dermatomyositis",
        "synonyms": ["DM"],
        "definition": (
            "An illness like polymyositis that weakens the muscles and also "
            "causes a typical skin rash."
        ),
    },
    {
        "slug": "gottrons-papules",
        "term": "Gottron's papules",
        "synonyms": ["Gottron papules"],
        "definition": (
            "Slightly raised, red or purple patches over the knuckles, elbows "
            "or knees. Doctors see them as a tell-tale sign of dermatomyositis."
        ),
    },
    {
        "slug": "heliotrope-rash",
        "term": "heliotrope rash",
        "synonyms": [],
        "definition": (
            "A violet or dusky red colour on the upper eyelids, often with some "
            "swelling. It is one of the skin signs of dermatomyositis."
        ),
    },
    {
        "slug": "creatine-kinase",
        "term": "CK (creatine kinase)",
        "synonyms": ["CK", "creatine kinase"],
        "definition": (
            "A protein that normally stays inside muscle cells. When muscle is "
            "inflamed or damaged it spills into the blood, so a blood test for "
            "it helps show how active the disease is."
        ),
    },
    {
        "slug": "ivig",
        "term": "IVIG",
        "synonyms": ["IVIg", "intravenous immunoglobulin"],
        "definition": (
            "A medicine made from antibodies pooled from many blood donors and "
            "dripped slowly into a vein. It calms an immune system that is "
            "attacking the body."
        ),
    },
    {
        "slug": "interstitial-lung-disease",
        "term": "interstitial lung disease",
        "synonyms": ["ILD", "lung disease"],
        "definition": (
            "Inflammation or scarring of the tissue between the air sacs of the "
            "lungs. It can make breathing harder and needs its own treatment "
            "and check-ups."
        ),
    },
    {
        "slug": "rituximab",
        "term": "rituximab",
        "synonyms": [],
        "definition": (
            "A laboratory-made antibody given by drip. It removes B cells, one "
            "kind of white blood cell, which helps quieten the immune attack "
            "on the muscles."
        ),
    },
    {
        "slug": "corticosteroids",
        "term": "corticosteroids",
        "synonyms": ["steroids", "steroid", "prednisone"],
        "definition": (
            "Strong anti-inflammatory medicines, such as prednisone, usually the "
            "first treatment for myositis. The dose is lowered slowly once the "
            "disease is under control."
        ),
    },
    {
        "slug": "dysphagia",
        "term": "dysphagia",
        "synonyms": ["trouble swallowing", "swallowing problems"],
        "definition": (
            "Difficulty swallowing food or drink, which happens when the throat "
            "muscles are weak. Tell your care team about it straight away."
        ),
    },
    {
        "slug": "emg",
        "term": "EMG",
        "synonyms": ["electromyography"],
        "definition": (
            "A test that records the electrical signals of muscles through a "
            "fine needle, to show whether weakness comes from the muscle itself."
        ),
    },
    {
        "slug": "biopsy",
        "term": "biopsy",
        "synonyms": ["muscle biopsy"],
        "definition": (
            "Taking a small piece of tissue, here muscle or skin, to look at "
            "under a microscope. It can confirm the type of myositis."
        ),
    },
    {
        "slug": "immunosuppressant",
        "term": "immunosuppressant",
        "synonyms": ["immunosuppressants"],
        "definition": (
            "A medicine that turns down the immune system, such as methotrexate "
            "or azathioprine. It lets the steroid dose come down."
        ),
    },
]

# Words readers and the literature use for the same thing; search treats each
# set as one word (editors keep these in the admin). Patients' words find the
# literature's: "exercise" finds the review of physical therapy, "myositis"
# the papers on inflammatory myopathy, "steroids" the texts on prednisone.
SEARCH_SYNONYMS = [
    [
        "IVIG",
        "IVIg",
        "IV IG",
        "IV immunoglobulin",
        "intravenous immunoglobulin",
        "intravenous immune globulin",
    ],
    ["side effects", "adverse effects", "adverse events"],
    ["dose", "dosage", "dosing"],
    ["PM", "polymyositis"],
    ["DM", "dermatomyositis"],
    ["exercise", "physical therapy", "physiotherapy", "rehabilitation"],
    ["steroids", "corticosteroids", "glucocorticoids", "prednisone", "prednisolone"],
    ["skin rash", "rash", "cutaneous"],
    [
        "swallowing",
        "dysphagia",
        "trouble swallowing",
        "difficulty swallowing",
        "swallowing problems",
    ],
    ["myositis", "inflammatory myopathy", "idiopathic inflammatory myopathy"],
]
