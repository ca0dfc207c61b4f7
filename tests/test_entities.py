"""Entity extraction: the samples' key entities, the junk classes, linking, keys, fallback."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.entities import (
    corpus_key,
    extract_files,
    load_extractor,
    preferred_name,
    sentence_around,
)
from reader.entities.clean import postprocess
from reader.entities.truecase import restore_case
from reader.model import ENTITY_KINDS

REPO = Path(__file__).resolve().parent.parent
ARTICLES = REPO / "articles"
GOLD = Path(__file__).resolve().parent / "gold"
SAMPLES = {p.name[:3]: p for p in sorted(ARTICLES.glob("*.txt"))}


def body(key: str) -> str:
    from reader.ingest import read_article

    return read_article(SAMPLES[key], ARTICLES).body


def raw_text(key: str) -> str:
    return SAMPLES[key].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def nlp():
    """One spaCy extractor for the whole module (loading costs ~0.5 s).

    The model is a hard dependency (pyproject): if it cannot load, these
    tests fail rather than skip.
    """
    extractor = load_extractor("spacy")
    assert extractor.name.startswith("spaCy"), extractor.name
    return extractor


@pytest.fixture(scope="module")
def sample_mentions(nlp):
    keys = sorted(SAMPLES)
    return dict(zip(keys, nlp.extract([body(k) for k in keys]), strict=True))


@pytest.fixture(scope="module")
def raw_sample_mentions(nlp):
    keys = sorted(SAMPLES)
    return dict(zip(keys, nlp.extract([raw_text(k) for k in keys]), strict=True))


def canon(mentions, kind: str | None = None) -> Counter:
    return Counter(m.canonical for m in mentions if kind is None or m.kind == kind)


def by_text(mentions, text: str) -> list:
    return [m for m in mentions if m.text == text]


# -- interface ------------------------------------------------------------------


def test_importing_entities_does_not_import_spacy():
    code = "import sys, reader.entities, reader.entities.clean, reader.entities.rules; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_extractor_name_and_pipeline(nlp):
    assert re.fullmatch(r"spaCy en_core_web_sm \d+\.\d+\.\d+", nlp.name)
    # only NER (and our sentence-start rule): no parser, tagger, lemmatizer...
    assert nlp.nlp.pipe_names == ["reader_sentence_starts", "ner"]
    assert load_extractor("spacy") is nlp  # cached per process
    assert load_extractor().name == nlp.name  # and what "auto" picks when the model is there


def test_one_list_per_text_in_order(nlp):
    texts = ["", "Robert Lighthizer met Liu He in Beijing.", "   ", "Apple Inc. rose 5%."]
    results = list(nlp.extract(iter(texts)))
    assert len(results) == 4
    assert results[0] == [] and results[2] == []
    assert {m.canonical for m in results[1]} >= {"Robert Lighthizer", "Liu He", "Beijing"}
    assert ("Apple", "org") in {(m.canonical, m.kind) for m in results[3]}


def test_offsets_and_kinds_on_samples(sample_mentions, raw_sample_mentions):
    for key, mentions in sample_mentions.items():
        text = body(key)
        for m in mentions:
            assert text[m.start : m.end] == m.text
            assert m.kind in ENTITY_KINDS
    for key, mentions in raw_sample_mentions.items():
        text = raw_text(key)
        assert all(text[m.start : m.end] == m.text for m in mentions)


def test_long_text_is_chunked_with_right_offsets(nlp, monkeypatch):
    from reader.entities import spacy_backend

    monkeypatch.setattr(spacy_backend, "CHUNK_CHARS", 300)
    text = body("000")
    chunked = next(nlp.extract([text]))
    assert all(text[m.start : m.end] == m.text for m in chunked)
    assert "Robert Lighthizer" in canon(chunked, "person")


# -- the key entities of each sample ----------------------------------------------


@pytest.mark.parametrize(
    ("key", "kind", "names"),
    [
        ("000", "person", ["Robert Lighthizer", "Steven Mnuchin", "Li Keqiang", "Liu He"]),
        ("000", "org", ["Amazon", "Alibaba", "Microsoft", "International Business Machines"]),
        ("000", "place", ["Beijing", "Washington", "United States", "China"]),
        ("001", "person", ["Li Keqiang", "Liu He", "Steven Mnuchin", "Donald Trump", "Xi Jinping"]),
        ("001", "org", ["Amazon", "Alibaba", "Amazon Web Services", "Beijing Sinnet Technology"]),
        ("001", "place", ["Beijing", "Washington", "United States"]),
        ("002", "person", ["Robert Lighthizer", "Steven Mnuchin", "Trump"]),
        ("002", "place", ["United States", "China"]),
        ("003", "person", ["Gina Raimondo", "Li Qiang", "Janet Yellen", "Wang Wentao", "He Lifeng"]),
        ("003", "place", ["Beijing", "Washington", "United States"]),
        ("004", "person", ["Robert Lighthizer", "Steven T. Mnuchin", "Xi Jinping", "Meng Wanzhou"]),
        ("004", "place", ["Beijing", "Washington", "United States"]),
    ],
)
def test_key_entities(sample_mentions, key, kind, names):
    found = canon(sample_mentions[key], kind)
    for name in names:
        assert found[name] >= 1, f"{name} ({kind}) not found in {key}: {sorted(found)}"


def test_short_names_link_to_full_names(sample_mentions):
    m000, m001, m003 = sample_mentions["000"], sample_mentions["001"], sample_mentions["003"]
    assert {m.canonical for m in by_text(m000, "Lighthizer")} == {"Robert Lighthizer"}
    assert {m.canonical for m in by_text(m000, "Li")} == {"Li Keqiang"}  # not Shan Li, credited at the end
    assert {m.canonical for m in by_text(m000, "Liu")} == {"Liu He"}
    assert {m.canonical for m in by_text(m001, "Li")} == {"Li Keqiang"}
    assert {m.canonical for m in by_text(m003, "Li")} == {"Li Qiang"}
    assert "Li Keqiang" not in canon(m003)
    raimondo = by_text(m003, "Raimondo")
    assert len(raimondo) >= 20 and {(m.kind, m.canonical) for m in raimondo} == {("person", "Gina Raimondo")}
    assert {m.canonical for m in by_text(m001, "AWS")} == {"Amazon Web Services"}
    assert len(by_text(m001, "AWS")) == 3
    # titles are not part of mentions or canonical names
    for mentions in sample_mentions.values():
        for m in mentions:
            if m.kind == "person":
                assert not re.match(r"(Mr|Mrs|Ms|Dr|President|Premier|Secretary|Vice)\b", m.text)
                assert not re.match(r"(Mr|Mrs|Ms|Dr|President|Premier|Secretary|Vice)\b", m.canonical)


def test_corpus_keys_unify_the_samples(sample_mentions):
    keys = Counter()
    for mentions in sample_mentions.values():
        for m in mentions:
            keys[corpus_key(m.kind, m.canonical)] += 1
    assert keys["place:united states"] >= 50
    assert corpus_key("org", "Amazon") in keys and corpus_key("org", "Amazon.com Inc.") == corpus_key("org", "Amazon")
    # Mnuchin: "Steven Mnuchin" in 000-002, "Steven T. Mnuchin" in 004 -> one entity
    mnuchin = {corpus_key(m.kind, m.canonical) for ms in sample_mentions.values() for m in ms if "Mnuchin" in m.text}
    assert mnuchin == {"person:steven mnuchin"}


# -- junk classes ---------------------------------------------------------------


def test_no_whitespace_or_possessives_or_stray_punctuation(raw_sample_mentions, sample_mentions):
    for mentions in (*raw_sample_mentions.values(), *sample_mentions.values()):
        for m in mentions:
            assert m.text == m.text.strip() and "\n" not in m.text, m
            assert not re.search(r"['’]s$", m.text), m
            assert not re.match(r"[\"'“‘(,.;:-]", m.text), m
            assert not re.search(r"[\"'”’),;:-]$", m.text), m
    names = {m.text for ms in raw_sample_mentions.values() for m in ms}
    assert "Lingling Wei" in names and "Oracle Corp." in names and "Xi Jinping" in names


def test_no_mention_across_a_sentence_boundary(sample_mentions):
    m001 = sample_mentions["001"]
    assert not [m for m in m001 if "Canalys" in m.text and m.text != "Canalys"]
    assert {m.kind for m in by_text(m001, "Canalys")} == {"org"}
    assert [m.text for m in m001 if m.text.startswith("Alibaba")] == ["Alibaba Group Holding Ltd."]
    for mentions in sample_mentions.values():
        for m in mentions:
            assert not re.search(r"[a-z]{3}\. [A-Z]", m.text), m


def test_no_fragments_of_hyphenated_words(sample_mentions):
    all_texts = {m.text for ms in sample_mentions.values() for m in ms}
    assert "Mar" not in all_texts  # Mar-a-Lago
    assert "piggy" not in all_texts  # piggy-backed
    m004 = sample_mentions["004"]
    # U.S.-China and China-U.S. are two places each, and "New York-based" is New York
    assert "New York" in {m.text for m in sample_mentions["000"]}
    text = body("004")
    i = text.index("China-U.S.")
    assert {(m.text, m.kind) for m in m004 if i <= m.start < i + 10} == {("China", "place"), ("U.S.", "place")}


def test_kind_conflicts_are_voted(sample_mentions):
    sinnet = by_text(sample_mentions["001"], "Sinnet")
    assert len(sinnet) == 2 and {(m.kind, m.canonical) for m in sinnet} == {("org", "Beijing Sinnet Technology")}


def test_glued_web_debris_is_cut_or_dropped(raw_sample_mentions):
    mentions = raw_sample_mentions["002"]
    for m in mentions:
        assert not re.search(r"[a-z]{3,}[A-Z]", m.text.replace("Mc", "")), m
    people = canon(mentions, "person")
    assert people["Steven Mnuchin"] >= 1 and people["Robert Lighthizer"] >= 1


def test_dropped_kinds(sample_mentions):
    # CARDINAL / ORDINAL / QUANTITY / TIME are not entities a reader follows
    for mentions in sample_mentions.values():
        for m in mentions:
            if m.kind != "date":  # a year is a date
                assert not re.fullmatch(r"(one|two|three|first|fourth|\d+)", m.text, re.I), m


def test_gold_quality_floor(sample_mentions):
    """Cleaned + linked output against tests/gold: a regression floor, not a target."""
    tp = pred = gold = 0
    for path in sorted(GOLD.glob("[0-9]*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        want = Counter(
            {(m["text"], m["kind"], corpus_key(m["kind"], m["canonical"])): m["count"] for m in doc["mentions"]}
        )
        got = Counter(
            (m.text, m.kind, corpus_key(m.kind, m.canonical))
            for m in sample_mentions[doc["file"][:3]]
            if m.kind in ("person", "org", "place")
        )
        tp += sum((want & got).values())
        pred += sum(got.values())
        gold += sum(want.values())
    assert tp / pred >= 0.95 and tp / gold >= 0.95


def test_written_gold_quality_floor(nlp):
    """Hand-written texts annotated blind (tests/gold/written.json): a regression floor."""
    docs = json.loads((GOLD / "written.json").read_text(encoding="utf-8"))["docs"]
    tp = pred = gold = 0
    for doc, mentions in zip(docs, nlp.extract([d["text"] for d in docs]), strict=True):
        want = Counter({(m["text"], m["kind"]): m["count"] for m in doc["mentions"]})
        got = Counter((m.text, m.kind) for m in mentions if m.kind in ("person", "org", "place"))
        tp += sum((want & got).values())
        pred += sum(got.values())
        gold += sum(want.values())
    assert tp / pred >= 0.9 and tp / gold >= 0.9


# -- linking rules on small texts --------------------------------------------------


def test_possessive_versus_own_s(nlp):
    text = (
        "McDonald's said sales rose. Shares of McDonald's fell in New York, while Oracle Corp.'s plan and "
        "China's economy stalled."
    )
    found = {(m.text, m.kind) for m in next(nlp.extract([text]))}
    assert ("McDonald's", "org") in found and ("McDonald", "org") not in found
    assert ("Oracle Corp.", "org") in found and ("China", "place") in found


def test_ambiguous_surname_stays_unlinked(nlp):
    text = (
        "Premier Li Keqiang met Li Qiang, the party chief of Shanghai, in Beijing on Monday. "
        "Mr. Li said the economy was stable."
    )
    mentions = next(nlp.extract([text]))
    li = [m for m in mentions if m.text == "Li"]
    assert li and all(m.canonical == "Li" and m.kind == "person" for m in li)


def test_later_full_name_does_not_steal_earlier_short_form(nlp):
    text = (
        "Treasury Secretary Janet Yellen arrived in Beijing on Thursday. Ms. Yellen said talks were useful.\n\n"
        "Reporting by David Yellen."
    )
    mentions = next(nlp.extract([text]))
    assert {m.canonical for m in mentions if m.text == "Yellen"} == {"Janet Yellen"}


def test_postprocess_is_model_independent():
    text = "Oracle Corp.'s plan, said Mr. Lighthizer. Robert Lighthizer spoke in Mar-a-Lago."
    def span(needle: str, label: str, occurrence: int = 0) -> tuple[int, int, str]:
        start = [m.start() for m in re.finditer(re.escape(needle), text)][occurrence]
        return start, start + len(needle), label

    spans = [
        span("Oracle Corp.'s", "ORG"),
        span("Mr. Lighthizer", "PERSON"),
        span("Robert Lighthizer", "PERSON"),
        span("Mar", "PERSON", 0),  # Mar-a-Lago's first part
        span("plan", "CARDINAL"),
    ]
    mentions = postprocess(text, spans)
    assert [(m.text, m.kind, m.canonical) for m in mentions] == [
        ("Oracle Corp.", "org", "Oracle"),
        ("Lighthizer", "person", "Robert Lighthizer"),
        ("Robert Lighthizer", "person", "Robert Lighthizer"),
    ]


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list("Ab .'’-\n\"sS,CoInc.U")), max_size=60),
    spans=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60), st.sampled_from(["PERSON", "ORG", "GPE", "DATE", "X"]))),
)
def test_postprocess_offsets_always_hold(text, spans):
    spans = [(min(a, b, len(text)), min(max(a, b), len(text)), label) for a, b, label in spans]
    for m in postprocess(text, spans):
        assert text[m.start : m.end] == m.text and m.text
        assert m.kind in ENTITY_KINDS


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(
            ["Mr.", "Li", "Keqiang", "Apple", "Inc.", "U.S.", "said", "the", "’s", "'s", "-", "Beijing", "$2",
             "billion", "47%", "Premier", "\n\n", ".", ",", "AWS", "MnuchinSteven", "Corp.", "de", "Tuesday", "é"]
        ),
        max_size=40,
    ),
    joiner=st.sampled_from([" ", "", "  "]),
)
def test_rules_offsets_always_hold(words, joiner):
    text = joiner.join(words)
    for m in next(load_extractor("rules").extract([text])):
        assert text[m.start : m.end] == m.text and m.text.strip() == m.text
        assert m.kind in ENTITY_KINDS


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ABN YORKabc -'’\n0123.(:ßİŉ")), max_size=80))
def test_restore_case_keeps_every_offset(text):
    restored = restore_case(text)
    assert len(restored) == len(text) and restored.casefold() == text.casefold()


def test_all_caps_lines_are_read(nlp):
    text = (
        "CRICKET - ENGLAND V PAKISTAN AT THE OVAL.\nBONN 1996-08-22\n"
        "England captain Mike Atherton said Pakistan bowled well in Bonn, err, London.\n"
    )
    found = {(m.text, m.kind) for m in next(nlp.extract([text]))}
    assert ("ENGLAND", "place") in found and ("PAKISTAN", "place") in found
    assert ("BONN", "place") in found


def test_results_tables(nlp):
    text = (
        "BASEBALL - MAJOR LEAGUE STANDINGS.\nNEW YORK 1996-08-30\nStandings after Thursday's games:\n"
        "W L PCT GB\nNEW YORK 74 59 .556 -\nBALTIMORE 70 63 .526 4\nBOSTON 67 68 .496 8\n"
        "Attendance: 45,000\nTotal (for six wickets) 300\nLG 2 OB 0\nLuton 1 Rotherham 0\n"
    )
    mentions = next(nlp.extract([text]))
    kinds = {(m.start, m.text): m.kind for m in mentions}
    table_new_york = text.index("NEW YORK 74")
    assert kinds.get((table_new_york, "NEW YORK")) == "org"  # a team in a standings table
    assert kinds.get((text.index("NEW YORK 1996"), "NEW YORK")) == "place"  # the dateline
    assert kinds.get((text.index("BOSTON"), "BOSTON")) == "org"
    assert not {m.text for m in mentions} & {"W L PCT GB", "Attendance", "Total"}
    teams = {m.text for m in mentions if m.kind == "org"}
    assert {"LG", "OB", "Luton", "Rotherham"} <= teams and "Luton 1 Rotherham" not in teams


def test_money_keeps_its_unit_and_magnitude(nlp, rules):
    text = "The deal is worth £800m, up from $1.5bn and €30 million last year. Sales reached $5.2 billion."
    for extractor in (nlp, rules):
        money = [m.text for m in next(extractor.extract([text])) if m.kind == "money"]
        assert money == ["£800m", "$1.5bn", "€30 million", "$5.2 billion"], (extractor.name, money)


def test_company_cues_and_heads(nlp):
    text = (
        "Tower Automotive agreed to be bought by Magna International Inc for $31 a share. "
        "Magna was up 1/8 on the New York Stock Exchange. Cofinec shares plunged on Friday after "
        "Cofinec CEO Stephen Frater told reporters the results were poor."
    )
    kinds = {(m.text, m.kind) for m in next(nlp.extract([text]))}
    assert ("Magna", "org") in kinds and ("Magna", "person") not in kinds
    assert ("Cofinec", "org") in kinds and ("Cofinec", "person") not in kinds


def test_tails_are_not_part_of_names(nlp):
    text = "The Interfax news agency said Durham 114 all out.\nMaria Sharapova (Russia) beat Serena Williams 6-3 6-4."
    names = {m.text for m in next(nlp.extract([text])) if m.kind in ("person", "org", "place")}
    assert "Interfax" in names and "Interfax news agency" not in names
    assert not any(any(ch.isdigit() for ch in n) for n in names)


# -- corpus keys and display names ---------------------------------------------------


def test_corpus_key_places():
    keys = {corpus_key("place", n) for n in ("U.S.", "US", "United States", "U.S.A.", "the United States", "America", "U.S")}
    assert keys == {"place:united states"}
    assert corpus_key("place", "BEIJING") == corpus_key("place", "Beijing")
    assert corpus_key("place", "U.K.") == corpus_key("place", "Britain") != corpus_key("place", "U.S.")


def test_corpus_key_orgs():
    assert len({corpus_key("org", n) for n in ("Amazon.com Inc.", "Amazon", "AMAZON", "Amazon.com")}) == 1
    assert corpus_key("org", "Alibaba Group Holding Ltd.") == corpus_key("org", "Alibaba")
    assert corpus_key("org", "Tencent Holdings Ltd.") == corpus_key("org", "Tencent")
    assert corpus_key("org", "Huawei Technologies Ltd.") == corpus_key("org", "Huawei")
    assert corpus_key("org", "Apple, Inc.") == corpus_key("org", "Apple")
    assert corpus_key("org", "Stifel Nicolaus & Co.") == corpus_key("org", "Stifel Nicolaus")
    assert corpus_key("org", "the World Trade Organization") == corpus_key("org", "World Trade Organization")
    assert corpus_key("org", "Apple") != corpus_key("place", "Apple")


def test_corpus_key_people():
    assert corpus_key("person", "Steven T. Mnuchin") == corpus_key("person", "Steven Mnuchin")
    assert corpus_key("person", "Mr. Lighthizer") == corpus_key("person", "Lighthizer")
    assert corpus_key("person", "Li Keqiang") != corpus_key("person", "Li Qiang")


def test_corpus_aliases():
    from reader.entities import corpus_aliases

    counts = {
        "person:trump": 17, "person:donald trump": 4, "person:li": 9, "person:li keqiang": 7,
        "person:li qiang": 3, "person:shan li": 1, "person:xi": 9, "person:xi jinping": 3,
        "person:biden": 5, "person:joe biden": 40, "person:hunter biden": 1, "place:china": 70,
    }
    assert corpus_aliases(counts) == {
        "person:trump": "person:donald trump",
        "person:xi": "person:xi jinping",
        "person:biden": "person:joe biden",  # 40 of 41 full-name mentions
    }


def test_corpus_keys_join_one_entity_written_several_ways():
    assert len({corpus_key("org", n) for n in ("Lib Dem", "Lib Dems", "The Lib Dems")}) == 1
    assert corpus_key("org", "Labour") == corpus_key("org", "Labour Party")
    assert corpus_key("org", "EU") == corpus_key("org", "European Union") == corpus_key("org", "the EU")
    assert corpus_key("org", "UN") == corpus_key("org", "United Nations")
    assert corpus_key("org", "Reuters") != corpus_key("org", "Reuter Group")  # a plural is not a tail


def test_what_is_not_a_person(nlp):
    text = (
        "Labour said the Lib Dems would lose. Imelda Staunton won an Oscar for the film on Sunday. "
        "Russian oil giant Yukos filed for bankruptcy, and Yukos said it would appeal. "
        "Bolton boss Sam Allardyce has signed a defender. Manchester United lost at home. "
        "The Welsh were happy. Trading resumed at 07.00 GMT and closed at 16.00 GMT. "
        "Sales of the iPod doubled before the Berlin Film Festival."
    )
    kinds = {(m.text, m.kind) for m in next(nlp.extract([text]))}
    people = {t for t, k in kinds if k == "person"}
    assert people == {"Imelda Staunton", "Sam Allardyce"}, people
    assert {("Labour", "org"), ("Lib Dems", "org"), ("Yukos", "org"), ("Bolton", "org")} <= kinds
    assert not any(t == "GMT" for t, _k in kinds)
    assert {t for t, k in kinds if k == "other"} >= {"Oscar", "iPod", "Berlin Film Festival"}


def test_lone_surnames_join_a_full_name_only_where_the_article_shows_it(tmp_path):
    """'Mr. Bolton' may be John Bolton; the football club 'Bolton' in another article may not."""
    from reader.index import entity_queries
    from reader.index.catalog import Catalog
    from reader.index.sync import entity_rows
    from reader.model import Article, Mention

    def article(article_id: str, body: str, people: list[tuple[str, str]]) -> Article:
        mentions = []
        for written, canonical in people:
            start = body.index(written)
            mentions.append(Mention(start, start + len(written), written, "person", canonical))
        return Article(article_id, f"{article_id}.txt", article_id, (body,), article_id, mentions=tuple(mentions))

    corpus = [
        article("a", "National Security Adviser John Bolton arrived.", [("John Bolton", "John Bolton")]),
        article("b", "Later Mr. Bolton told reporters he was pleased.", [("Bolton", "Bolton")]),
        article("c", "Bolton beat Arsenal 2-1 at home on Saturday.", [("Bolton", "Bolton")]),
    ]
    catalog = Catalog(tmp_path / "catalog.sqlite")
    with catalog.transaction():
        for item in corpus:
            catalog.put(item, 1, 1, "test", entity_rows(item))
    people = {e.name: e for e in entity_queries.entities(catalog, kind="person")}
    assert people["John Bolton"].articles == 2  # a, and b through "Mr. Bolton"
    assert people["Bolton"].articles == 1 and people["Bolton"].mentions == 1  # c: the club stays apart
    assert "Mr. Bolton" not in people["John Bolton"].aliases
    assert entity_queries.entity_article_ids(catalog, "John Bolton") == ["a", "b"]
    assert entity_queries.entity_article_ids(catalog, "Bolton") == ["a", "b", "c"]


def test_preferred_name():
    assert preferred_name({"U.S.": 40, "United States": 3}) == "United States"
    assert preferred_name({"Amazon.com Inc.": 9, "Amazon": 2}) == "Amazon"
    assert preferred_name({"BEIJING": 5, "Beijing": 2}) == "Beijing"
    assert preferred_name({"NATO": 5, "Nato": 1}) == "NATO"
    assert preferred_name({"Steven Mnuchin": 7, "Steven T. Mnuchin": 2}) == "Steven Mnuchin"
    assert preferred_name({"Huawei": 5, "Huawei Technologies": 1}) == "Huawei"
    assert preferred_name({"only": 1}) == "only"
    assert preferred_name({}) == ""


# -- sentence_around --------------------------------------------------------------------


def test_sentence_around():
    text = "Talks resumed in the U.S. on Friday. Mr. Li said progress was made.\n\nAmazon Inc. declined."
    i = text.index("Li")
    assert sentence_around(text, i, i + 2) == "Mr. Li said progress was made."
    i = text.index("Friday")
    assert sentence_around(text, i, i + 6) == "Talks resumed in the U.S. on Friday."
    i = text.index("Amazon")
    assert sentence_around(text, i, i + 6) == "Amazon Inc. declined."
    long = "word " * 400 + "Beijing " + "word " * 400
    i = long.index("Beijing")
    around = sentence_around(long, i, i + 7)
    assert "Beijing" in around and len(around) <= 620 and around.startswith("…")


def test_sentence_around_samples(sample_mentions):
    text = body("001")
    m = by_text(sample_mentions["001"], "Canalys")[0]
    assert sentence_around(text, m.start, m.end).startswith("China's cloud infrastructure services market")


# -- rule-based fallback --------------------------------------------------------------------


@pytest.fixture(scope="module")
def rules():
    return load_extractor("rules")


def test_rules_are_labelled(rules):
    assert "rule-based fallback" in rules.name


def test_rules_on_samples(rules):
    results = dict(zip(sorted(SAMPLES), rules.extract([body(k) for k in sorted(SAMPLES)]), strict=True))
    for key, mentions in results.items():
        text = body(key)
        assert all(text[m.start : m.end] == m.text for m in mentions)
    assert {"Robert Lighthizer", "Steven Mnuchin", "Li Keqiang"} <= set(canon(results["000"], "person"))
    assert {m.canonical for m in by_text(results["000"], "Li")} == {"Li Keqiang"}
    assert {"Amazon", "Alibaba", "Microsoft"} <= set(canon(results["001"], "org"))
    assert {"Gina Raimondo", "Li Qiang"} <= set(canon(results["003"], "person"))
    assert {"Beijing", "Washington", "United States", "China"} <= set(canon(results["004"], "place"))


def test_rules_patterns(rules):
    text = (
        "Premier Li Keqiang and Commerce Secretary Gina Raimondo met executives of Pfizer Inc. and "
        "Tencent Holdings Ltd. in Shanghai. The market is worth $2 billion, or 50 million yuan, and grew 47% "
        "after a 10 percent rise, Mr. Li said on Tuesday. Ms. Raimondo flew to Tokyo."
    )
    found = {(m.text, m.kind, m.canonical) for m in next(rules.extract([text]))}
    assert ("Li Keqiang", "person", "Li Keqiang") in found
    assert ("Gina Raimondo", "person", "Gina Raimondo") in found
    assert ("Li", "person", "Li Keqiang") in found
    assert ("Raimondo", "person", "Gina Raimondo") in found
    assert ("Pfizer Inc.", "org", "Pfizer") in found
    assert ("Tencent Holdings Ltd.", "org", "Tencent") in found
    assert ("Shanghai", "place", "Shanghai") in found and ("Tokyo", "place", "Tokyo") in found
    assert ("$2 billion", "money", "$2 billion") in found
    assert ("50 million yuan", "money", "50 million yuan") in found
    assert ("47%", "percent", "47%") in found and ("10 percent", "percent", "10 percent") in found
    assert ("Tuesday", "date", "Tuesday") in found


def test_load_extractor_falls_back_without_model(monkeypatch):
    import reader.entities as entities
    from reader.entities import spacy_backend

    monkeypatch.setattr(entities, "_cache", {})
    monkeypatch.setattr(spacy_backend, "available_models", list)
    extractor = load_extractor("auto")
    assert extractor.name == "rule-based fallback (no spaCy model installed)"
    with pytest.raises(OSError):
        entities._load("spacy")


# -- extract_files -----------------------------------------------------------------------------


def test_extract_files(tmp_path, nlp):
    utf8 = tmp_path / "a.txt"
    utf8.write_text("Treasury Secretary Steven Mnuchin flew to Beijing — again.", encoding="utf-8")
    latin = tmp_path / "b.txt"
    text_b = (
        "Café owners in Paris said President Emmanuel Macron’s plan would cost €5 billion, "
        "according to Le Monde. « Ce n’est pas assez », a déclaré un élu de Marseille à l’Assemblée. "
    ) * 3
    latin.write_bytes(text_b.encode("cp1252"))
    missing = tmp_path / "missing.txt"
    rows = list(extract_files([utf8, missing, latin], extractor=nlp))
    assert [Path(r["file"]).name for r in rows] == ["a.txt", "missing.txt", "b.txt"]
    assert rows[1]["mentions"] == [] and rows[1]["error"]
    text_a = utf8.read_text(encoding="utf-8")
    assert {"Steven Mnuchin", "Beijing"} <= {m["canonical"] for m in rows[0]["mentions"]}
    for m in rows[0]["mentions"]:
        assert text_a[m["start"] : m["end"]] == m["text"]
        assert set(m) == {"start", "end", "text", "kind", "canonical"}
    assert "Paris" in {m["text"] for m in rows[2]["mentions"]}
    for m in rows[2]["mentions"]:
        assert text_b[m["start"] : m["end"]] == m["text"]
    json.dumps(rows)


def test_two_processes_give_the_same_result(nlp):
    texts = [body(k) for k in sorted(SAMPLES)]
    assert list(nlp.extract(texts, n_process=2, batch_size=2)) == list(nlp.extract(texts))
