"""The query language, on top of Whoosh's parser.

Words are all required; ``OR``, ``NOT``/``-word``, ``"phrases"``, ``prefix*``,
``fuzzy~``, fields (``title:`` ``author:`` ``source:`` ``tag:`` ``date:`` and
the entity fields ``person:`` ``org:`` ``place:`` ...) and date ranges
(``date:2019-03``, ``date:[2019-01 to 2019-06]``). Anything malformed raises
:class:`QueryError` with one line for the user; plain words never do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from whoosh import query as wq
from whoosh.lang.stopwords import stoplists as _stoplists
from whoosh.qparser import (
    AndGroup,
    FieldAliasPlugin,
    FuzzyTermPlugin,
    MultifieldPlugin,
    OrGroup,
    QueryParser,
)

from ..errors import QueryError, QueryTooLong
from ..text.dates import is_iso_date
from ..text.fold import fold_double_quotes
from .budget import Budget
from .schema import ENTITY_FIELDS
from .whoosh_patches import fix_compound_query_hash

if TYPE_CHECKING:
    from .snippets import HighlightTerms
    from .spelling import Vocabulary

#: The indexed form of a word (IndexStore.stem).
Stemmer = Callable[[str], str]

fix_compound_query_hash()

# Kept out of ranking when other words are present (they are still indexed,
# so phrases containing them match exactly): Whoosh's English list (question
# words such as "what", "how", "about", "between" among them) and a few more.
# The question words added 0.018 nDCG@10 on CACM's natural-language queries
# (benchmarks/relevance.py) and nothing lost on MED.
STOP_WORDS = frozenset(
    "a an and are as at be but by for from has have he her his i if in into is it its "
    "of on or she so than that the their them then there these they this to was we were "
    "which who will with would".split()
) | _stoplists["en"]

FIELD_ALIASES = {
    "authors": ["author", "by", "byline"],
    "tags": ["tag"],
    "place": ["places", "location", "where"],
    "person": ["people", "who"],
    "org": ["orgs", "organisation", "organization", "company"],
    "group": ["groups", "nationality", "norp"],
}
USER_FIELDS = ("title", "body", "authors", "source", "date", "tags", *ENTITY_FIELDS)
_KNOWN_FIELD_NAMES = set(USER_FIELDS) | {a for aliases in FIELD_ALIASES.values() for a in aliases}

_FIELD_REF = re.compile(r'(?:(?<=^)|(?<=[\s(\-+]))(?P<name>[A-Za-z_][A-Za-z_]*):(?=[^\s:])')
_QUOTED = re.compile(r'"[^"]*"?')
_MINUS = re.compile(r'(?:(?<=^)|(?<=[\s(]))-(?=[\w"(=])')
#: Longer queries are refused with a message (never cut: a cut list of names found nothing).
MAX_QUERY_CHARS = 10_000
MAX_QUERY_WORDS = 300  # AND, OR and NOT not counted; Whoosh parses ~1 ms a word (more on a busy machine)
#: Whoosh's parser is quadratic in the length of one word (a 6,000-letter word: 1.3 s).
MAX_WORD_CHARS = 500
_OPERATORS = frozenset(("AND", "OR", "NOT"))


#: Fuzzy words match within this many edits at most (``word~9`` counts as ``word~2``).
MAX_FUZZY_EDITS = 2
#: Each prefix, wildcard or fuzzy word is expanded against the vocabulary; a
#: query of hundreds of them (pasted text full of ``~`` or ``*``) took minutes.
MAX_EXPANDING_WORDS = 16


def _walk(node: wq.Query) -> Iterator[wq.Query]:
    yield node
    if not node.is_leaf():
        for child in node.children():
            yield from _walk(child)


def _outside_quotes(text: str) -> Iterator[tuple[int, str]]:
    """Yield (start, segment) for the parts of ``text`` not inside double quotes."""
    position = 0
    for match in _QUOTED.finditer(text):
        yield position, text[position : match.start()]
        position = match.end()
    yield position, text[position:]


def preprocess(text: str) -> str:
    """Check field names and turn ``-word`` into ``NOT word`` (outside quotes)."""
    words = fold_double_quotes(text).split()
    text = " ".join(words)
    longest = max(words, key=len, default="")
    if len(longest) > MAX_WORD_CHARS:
        raise QueryTooLong(f"a word of the query is too long ({len(longest):,} characters; at most {MAX_WORD_CHARS:,})")
    searched = sum(1 for word in words if word not in _OPERATORS)
    if len(text) > MAX_QUERY_CHARS or searched > MAX_QUERY_WORDS:
        raise QueryTooLong(
            f"the query is too long ({len(text):,} characters, {searched:,} words;"
            f" at most {MAX_QUERY_CHARS:,} characters and {MAX_QUERY_WORDS:,} words)"
        )
    if text.count('"') % 2:
        raise QueryError('a phrase has no closing quote: "like this"')
    pieces = []
    segments = list(_outside_quotes(text))
    for number, (_start, segment) in enumerate(segments):
        for match in _FIELD_REF.finditer(segment):
            name = match.group("name")
            if name.lower() not in _KNOWN_FIELD_NAMES:
                known = ", ".join(sorted({"title", "author", "source", "tag", "date", "folder", *ENTITY_FIELDS}))
                raise QueryError(f"unknown field '{name}:' (fields: {known})")
        before_phrase = number < len(segments) - 1
        for match in _EMPTY_FIELD.finditer(segment):
            name = match.group("name")
            if name.lower() in _KNOWN_FIELD_NAMES and not (before_phrase and match.end() == len(segment)):
                raise QueryError(f"{name}: needs something to search for right after it ({name}:WORD)")
        pieces.append(_exact_words(_MINUS.sub("NOT ", segment), before_phrase))
    # Re-join with the quoted parts, which _outside_quotes skipped.
    quoted = [m.group(0) for m in _QUOTED.finditer(text)]
    out = []
    for index, piece in enumerate(pieces):
        out.append(piece)
        if index < len(quoted):
            out.append(quoted[index])
    return "".join(out)


_EMPTY_FIELD = re.compile(r'(?:(?<=^)|(?<=[\s(\-+]))(?P<name>[A-Za-z_][A-Za-z_]*):(?=[\s)]|$)')
_EXACT = re.compile(r"(?:(?<=^)|(?<=[\s(]))=(?P<next>\w*)")
#: Where ``=word`` and ``="a phrase"`` are searched (see QueryBuilder._rewrite).
EXACT_FIELD = "body_exact"
EXACT_TITLE_FIELD = "title_exact"


def _exact_words(segment: str, before_phrase: bool) -> str:
    """``=word`` (and ``=`` right before a quoted phrase) into the unstemmed field."""

    def replace(match: re.Match[str]) -> str:
        if not match.group("next") and match.end() == len(segment) and before_phrase:
            return EXACT_FIELD + ":"
        word = match.group("next")
        if not word:
            raise QueryError('= needs a word or a phrase right after it (=word, ="a phrase")')
        if word.lower() in STOP_WORDS and not segment[match.end() :].startswith(("*", "?")):
            raise QueryError(f"'={word}' is too common to search for alone; use it in a phrase: =\"{word} ...\"")
        return EXACT_FIELD + ":" + word

    return _EXACT.sub(replace, segment)


def exact_query(text: str) -> str:
    """The whole query in exact mode: each plain word becomes ``=word`` and each phrase ``="phrase"``.

    Operators, fields, words already exact and common words (left out of
    matching anyway) stay as they are.
    """
    out = []
    for start, segment in _outside_quotes(text):
        tokens = []
        for token in re.split(r"(\s+)", segment):
            lead = re.match(r"[(\-+]*", token)
            head = lead.group(0) if lead else ""
            rest = token[len(head) :]
            plain = rest and rest not in _OPERATORS and ":" not in rest and not rest.startswith(("=", ")"))
            if plain and rest.rstrip(")").lower() not in STOP_WORDS and re.match(r"\w", rest):
                token = head + "=" + rest
            tokens.append(token)
        joined = "".join(tokens)
        end = start + len(segment)
        if end < len(text) and (not joined or joined[-1] in " (-+"):
            joined += "="  # the phrase that follows
        out.append(joined)
        quoted = _QUOTED.match(text, end)
        if quoted:
            out.append(quoted.group(0))
    return "".join(out)


_FOLDER = re.compile(r'(?:(?<=^)|(?<=[\s(]))folder:(?:"(?P<quoted>[^"]*)"|(?P<plain>[^\s")]+))', re.I)


def take_folders(text: str) -> tuple[str, wq.Query | None]:
    """``folder:NAME`` terms out of ``text``, as one query on the article id's leading folders.

    An article's id is its path in the articles folder, so ``folder:reuters``
    is every id starting ``reuters/`` (and ``folder:feeds/reuters`` works for
    nested folders). Several ``folder:`` terms mean any of them.
    """
    folders = []
    for match in _FOLDER.finditer(text):
        name = (match.group("quoted") if match.group("quoted") is not None else match.group("plain")).strip().strip("/")
        if not name:
            raise QueryError("folder: needs a folder name (folder:NAME)")
        folders.append(wq.Prefix("id", name + "/"))
    if not folders:
        return text, None
    rest = _FOLDER.sub(" ", text)
    return rest, folders[0] if len(folders) == 1 else wq.Or(folders)


class QueryBuilder:
    """Parses query strings against one schema; reusable across threads."""

    def __init__(self, schema: Any) -> None:
        self.schema = schema
        self._parsers = {}
        for name, group in (("and", AndGroup), ("or", OrGroup.factory(0.9))):
            parser = QueryParser("body", schema, group=group)
            parser.add_plugin(MultifieldPlugin(["title", "body"]))
            parser.add_plugin(FuzzyTermPlugin())
            parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
            self._parsers[name] = parser

    def parse(self, text: str, *, any_word: bool = False) -> wq.Query:
        text, in_folders = take_folders(text)
        cleaned = preprocess(text)
        if not cleaned.strip():
            if in_folders is not None:
                return in_folders  # folder:NAME alone: everything in it
            raise QueryError("empty query")
        parser = self._parsers["or" if any_word else "and"]
        try:
            parsed = parser.parse(cleaned)
        except Exception as error:  # noqa: BLE001 - whoosh raises many kinds
            raise QueryError(f"cannot parse query: {error}") from None
        parsed = self._rewrite(parsed)  # NullQuery when only punctuation was typed: no hits
        if in_folders is not None:
            parsed = wq.And([parsed, in_folders])
        expanding = sum(1 for node in _walk(parsed) if isinstance(node, (wq.FuzzyTerm, wq.Prefix, wq.Wildcard)))
        if expanding > 2 * MAX_EXPANDING_WORDS:  # each word is a title and a body query
            raise QueryError(f"too many prefix*, wild?card or fuzzy~ words (at most {MAX_EXPANDING_WORDS})")
        return parsed

    # -- rewriting -------------------------------------------------------------

    def _exact_phrase(self, node: wq.Phrase, field: str, exact_field: str) -> wq.Query:
        """``="cloud computing"``: the phrase of stems, in an article holding each word as written.

        The exact fields keep no positions (they cost a third of the build and
        as much index again as the body with them); the stemmed field's
        positions place the words, the exact field says they occur as typed.
        """
        stem = self.schema[field].analyzer.term
        words = [str(word) for word in node.words]
        phrase = wq.Phrase(field, [stem(word) for word in words], slop=node.slop, boost=node.boost)
        return wq.And([phrase, *(wq.Term(exact_field, word) for word in dict.fromkeys(words))])

    def _rewrite(self, node: wq.Query) -> wq.Query:
        """Dates become prefix/range queries; stop words leave conjunctions."""
        if isinstance(node, wq.FuzzyTerm) and node.maxdist > MAX_FUZZY_EDITS:
            # word~9 would walk the whole vocabulary for nothing useful: ~2 is the most there is.
            return wq.FuzzyTerm(node.fieldname, node.text, node.boost, MAX_FUZZY_EDITS, node.prefixlength, node.constantscore)
        if isinstance(node, wq.Term) and node.fieldname == "date":
            return _date_query(str(node.text), str(node.text))
        if isinstance(node, (wq.Prefix, wq.Wildcard)) and node.fieldname == "date":
            return _date_query(str(node.text).rstrip("*"), str(node.text).rstrip("*"))
        if isinstance(node, wq.TermRange) and node.fieldname == "date":
            return _date_query(node.start, node.end)
        if isinstance(node, (wq.TermRange, wq.NumericRange, wq.DateRange)) and node.fieldname != "date":
            raise QueryError(f"ranges only work on date: (not {node.fieldname}:)")
        if isinstance(node, wq.Phrase):
            if node.fieldname == EXACT_FIELD:
                title = self._exact_phrase(node, "title", EXACT_TITLE_FIELD)
                return wq.Or([title, self._exact_phrase(node, "body", EXACT_FIELD)])
            return node
        if type(node) is wq.Term and node.fieldname == EXACT_FIELD:
            return wq.Or([wq.Term(EXACT_TITLE_FIELD, node.text, boost=node.boost), node])
        if isinstance(node, (wq.And, wq.Or)) and not isinstance(node, wq.DisjunctionMax):
            children = [self._rewrite(child) for child in node.subqueries]
            meaningful = [child for child in children if not _is_stop_word(child)]
            if meaningful and len(meaningful) < len(children) and not all(_is_stop_word(c) for c in node.subqueries):
                children = meaningful
            if len(children) == 1:
                return children[0]
            return node.__class__(children, boost=node.boost)
        if isinstance(node, wq.CompoundQuery):
            return node.__class__([self._rewrite(child) for child in node.subqueries], boost=node.boost)
        if isinstance(node, (wq.Not,)):
            return wq.Not(self._rewrite(node.query), boost=node.boost)
        if isinstance(node, wq.BinaryQuery):
            return node.__class__(self._rewrite(node.a), self._rewrite(node.b))
        return node


def _is_stop_word(node: wq.Query) -> bool:
    """A bare stop word, or the title/body pair the multifield plugin made of one."""
    if isinstance(node, wq.Term):
        return node.fieldname in ("title", "body") and node.text in STOP_WORDS
    if isinstance(node, wq.Or) and node.subqueries:
        return all(_is_stop_word(child) for child in node.subqueries)
    return False


def _date_query(start: object, end: object) -> wq.Query:
    start = "" if start is None else str(start).strip()
    end = "" if end is None else str(end).strip()
    for value in (start, end):
        if value and not is_iso_date(value):
            raise QueryError(f"bad date '{value}': use YYYY, YYYY-MM or YYYY-MM-DD")
    if start and end and start == end:
        return wq.Prefix("date", start)
    if start and end and end < start[: len(end)]:
        raise QueryError(f"date range runs backwards: {start} to {end}")
    return wq.TermRange("date", start or None, (end + "\uffff") if end else None, startexcl=False, endexcl=False)


# -- after parsing: expansion against the index, and what to highlight ------------

_WORD_FIELDS = ("title", "body")
#: The most words a prefix stands for unless asked otherwise (the most frequent ones).
MAX_PREFIX_WORDS = 64


def _text(value: object) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


_FUZZY_WORD = re.compile(r"(?<!\w)(\w+)~")  # tried at word starts only: linear in a long word


def fuzzy_originals(text: str, stem: Stemmer) -> dict[str, str]:
    """Stem -> the word as typed, for each ``word~`` (the parser keeps only the stem)."""
    return {stem(word): fold_word(word) for word in _FUZZY_WORD.findall(text)}


def expand_words(
    node: wq.Query,
    reader: Any,
    stem: Stemmer,
    originals: dict[str, str] | None = None,
    words: Vocabulary | None = None,
    prefix_words: int = MAX_PREFIX_WORDS,
    budget: Budget | None = None,
) -> wq.Query:
    """Prefix and fuzzy words are matched against the unstemmed vocabulary.

    The body field holds stems, so ``computi*`` would miss ``comput`` and
    ``Lightizer~`` is three edits from ``lighthiz``. Both are looked up in
    ``words`` (whole words: :class:`~reader.index.spelling.Vocabulary`) and
    turned into the stems the index holds. A prefix stands for its
    ``prefix_words`` most frequent words. Once ``budget`` is spent, the
    remaining lookups keep what they found so far (a fuzzy word at least
    matches itself).
    """
    if isinstance(node, wq.FuzzyTerm):
        if node.fieldname not in _WORD_FIELDS:
            return node
        stemmed = fold_word(node.text)  # the parser has already stemmed it
        word = (originals or {}).get(stemmed, stemmed)
        stems = {stemmed}
        if words is not None:
            stems |= {stem(w) for w in words.similar(word, node.maxdist, budget)}
        stems = {s for s in stems if s and reader.doc_frequency(node.fieldname, s)}
        return _any_term(node.fieldname, sorted(stems), node.boost)
    if isinstance(node, wq.Prefix):
        if node.fieldname not in _WORD_FIELDS:
            return node
        prefix = fold_word(node.text)
        frequency = _prefix_frequencies(node.fieldname, prefix, reader, prefix_words, budget)
        if words is not None:
            for number, word in enumerate(words.starting_with(prefix, limit=2000)):
                if number % 64 == 0 and budget is not None and budget.spent():
                    break
                stemmed = stem(word)
                if stemmed and stemmed not in frequency and not stemmed.startswith(prefix):
                    frequency[stemmed] = reader.doc_frequency(node.fieldname, stemmed)
        ranked = sorted((t for t, n in frequency.items() if n), key=lambda t: (-frequency[t], t))[: max(1, prefix_words)]
        return _any_term(node.fieldname, ranked, node.boost)
    if node.is_leaf():
        return node
    return node.apply(lambda child: expand_words(child, reader, stem, originals, words, prefix_words, budget))


_PREFIX_SCAN = 50_000


_SAMPLED_UP_TO = 8  # prefix_words this small pick their candidates from the biggest segment


def _prefix_frequencies(
    fieldname: str, prefix: str, reader: Any, wanted: int = MAX_PREFIX_WORDS, budget: Budget | None = None
) -> dict[str, int]:
    """Indexed terms that begin with ``prefix`` and their document frequencies.

    A short prefix matches thousands of stems (``pre`` 4,000 at 100k
    articles); only the most frequent are searched (``MAX_PREFIX_WORDS``), as
    the rarest add the fewest articles. When only a few are ``wanted`` (the
    word being typed), candidates come from the biggest segment alone and
    only their frequencies are summed over all segments: the frequent
    words of a 10,000-article segment are the frequent words of the index,
    and a keystroke does not pay for reading every segment's term list.
    """
    leaves = [leaf for leaf, _offset in reader.leaf_readers()]
    if wanted <= _SAMPLED_UP_TO and len(leaves) > 1:
        biggest = max(leaves, key=lambda leaf: leaf.doc_count_all())
        sample = _leaf_prefix_frequencies(biggest, fieldname, prefix)
        if sample:
            candidates = sorted(sample, key=lambda term: (-sample[term], term))[: wanted * 4]
            return {term: reader.doc_frequency(fieldname, term) for term in candidates}
    found: dict[str, int] = {}
    # Segment by segment: Whoosh's multi-segment iteration merges the
    # segments' term lists through a heap, 8x slower (58 ms for "pre").
    for number, leaf in enumerate(sorted(leaves, key=lambda leaf: -leaf.doc_count_all())):
        if number and budget is not None and budget.spent():
            break  # the segments read so far: the biggest come first
        for term, frequency in _leaf_prefix_frequencies(leaf, fieldname, prefix).items():
            found[term] = found.get(term, 0) + frequency
    return found


def _leaf_prefix_frequencies(leaf: Any, fieldname: str, prefix: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for count, (term, info) in enumerate(leaf.iter_prefix(fieldname, prefix)):
        if count >= _PREFIX_SCAN:
            break
        found[_text(term)] = info.doc_frequency()
    return found


def _any_term(fieldname: str, terms: list[str], boost: float) -> wq.Query:
    """Articles with any of ``terms``, each scored as a word of the query.

    More than two terms use Whoosh's preloaded union (doc numbers and scores
    gathered in arrays), not its default tree of two-way unions, which
    re-checks every branch's best possible score for each matching article:
    ``pre*`` took 1.6 s with the tree and 0.2 s preloaded at 100k articles.
    """
    if not terms:
        return wq.NullQuery
    if len(terms) == 1:
        return wq.Term(fieldname, terms[0], boost=boost)
    kind = wq.PreloadedOr if len(terms) > 2 else wq.Or
    return kind([wq.Term(fieldname, term) for term in terms], boost=boost)


def fold_word(text: object) -> str:
    from whoosh.support.charset import accent_map

    return _text(text).lower().translate(accent_map)


def highlight_terms(node: wq.Query) -> HighlightTerms:
    """The analysed terms, prefixes and phrases of a query, excluded parts left out."""
    from .snippets import HighlightTerms

    wanted = HighlightTerms()

    def walk(n: wq.Query) -> None:
        if isinstance(n, wq.Not):
            return
        if isinstance(n, wq.AndNot):
            walk(n.a)
            return
        fieldname = getattr(n, "fieldname", None)
        into = wanted if fieldname in _WORD_FIELDS else wanted.exact if fieldname == EXACT_FIELD else None
        if isinstance(n, wq.Phrase):
            if into is not None:
                into.phrases.append(tuple(_text(w) for w in n.words))
            return
        if isinstance(n, wq.Prefix):
            if into is not None:
                into.prefixes.add(_text(n.text))
            return
        if isinstance(n, wq.Term) and not isinstance(n, (wq.FuzzyTerm, wq.Wildcard)):
            if into is not None:
                into.terms.add(_text(n.text))
            return
        if not n.is_leaf():
            for child in n.children():
                walk(child)

    walk(node)
    return wanted
