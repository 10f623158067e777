"""Faster equivalents of two stock components of ``en_core_web_sm``, with
the same output token for token.

The stock attribute ruler runs a ``Matcher`` of 179 patterns over every
token, and the rule lemmatizer does a Python call per token; together they
took about a fifth of a full parse.  Nearly all of their work depends on
the token alone: its tag, its text and its dependency label.
``accord_attributes`` computes that once per (tag, text, dependency) with
the stock components' own patterns and lemmatizer, then sets part of
speech, morphology, lemma, tag and label for a whole document from a
table.  The few patterns that span two tokens ("there is", "gonna",
"let's") are looked for with a small ``Matcher``, and the tokens they
point at computed again with them.

``tests/test_pipes.py`` compares every token of the seeds, the dev articles
and the Reuters sample with the stock pipeline.
"""

from __future__ import annotations

import re

import numpy
from spacy.attrs import DEP, LEMMA, MORPH, NORM, ORTH, POS, SENT_START, SPACY, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens._retokenize import set_token_attrs

from .text import doc_text

SENTENCE_END = {".", "!", "?", ":", ";", "…", "./."}
CLOSERS = {'"', "”", "’", "'", ")", "]"}
MAX_TABLE = 500_000  # (tag, text, label) results kept; the table starts again past this


@Language.component("accord_sentence_guard")
def sentence_guard(doc):
    """A sentence starts only after sentence-final punctuation or a line
    break: the small model otherwise splits "to inform PM | Asadov".  Marks
    every other token as no sentence start, leaving the parser the rest."""
    n = len(doc)
    if n < 2:
        return doc
    kind = _word_kinds(doc, doc.to_array([ORTH]).tolist())
    blocked = []
    for i in range(1, n):
        if kind[i - 1] & NEWLINE:  # after a line break (spaCy's trailing whitespace is a space at most)
            continue
        j = i - 1
        while j > 0 and kind[j] & (CLOSER | SPACE) and not kind[j] & NEWLINE:
            j -= 1
        if not kind[j] & END:
            blocked.append(i)
    column = doc.to_array([SENT_START]).view("int64")
    column[blocked] = -1
    doc.from_array([SENT_START], column.view("uint64"))
    return doc


END, CLOSER, SPACE, NEWLINE, CAPITAL = 1, 2, 4, 8, 16
_KINDS: dict[int, int] = {}  # a word's hash (the same in every vocabulary) → what it is to the guard and the names


def _word_kinds(doc, orths: list[int]) -> list[int]:
    """The kind of each word of ``orths`` (hashes of ``doc``'s vocabulary), from the table."""
    kinds, strings = _KINDS, doc.vocab.strings
    if len(kinds) > MAX_TABLE:
        kinds.clear()
    out = []
    for orth in orths:
        k = kinds.get(orth)
        if k is None:
            k = kinds[orth] = _word_kind(strings[orth])
        out.append(k)
    return out


def _word_kind(text: str) -> int:
    kind = 0
    if text in SENTENCE_END or text.endswith("./."):
        kind |= END
    if text in CLOSERS:
        kind |= CLOSER
    if text.isspace():
        kind |= SPACE
    if "\n" in text:
        kind |= NEWLINE
    if text[:1].isupper():
        kind |= CAPITAL
    return kind


class Attributes:
    """The stock attribute ruler and lemmatizer, as a table."""

    def __init__(self, ruler, lemmatizer):
        self.lemmatizer = lemmatizer  # its tables: lemmas, and the irregular forms the lexicon reads
        self.single: list[tuple[int, list, dict]] = []  # (order, alternatives, attrs), in the ruler's order
        self.multi = Matcher(ruler.vocab)
        self.multi_attrs: dict[int, tuple[int, dict, int]] = {}  # match id → (order, attrs, index)
        self.firsts: list = []  # the first tokens of those patterns: where a match may start
        self.rules = _LemmaRules(lemmatizer)
        strings = ruler.vocab.strings
        for i, attrs in enumerate(ruler.attrs):
            _, patterns = ruler.matcher.get(strings[str(i)])
            if all(len(p) == 1 for p in patterns) and ruler.indices[i] in (0, -1):
                self.single.append((i, [_predicates(p[0]) for p in patterns], attrs))
            else:
                self.multi.add(f"accord_multi_{i}", list(patterns))
                self.firsts.extend(_predicates(p[0]) for p in patterns)
                self.multi_attrs[strings[f"accord_multi_{i}"]] = (i, attrs, ruler.indices[i])
        # The single-token patterns by the tag or the text they need, so that a
        # token is tried only against those that may match it.
        self.by_tag: dict[str, list] = {}
        self.by_lower: dict[str, list] = {}
        self.others: list = []
        for entry in self.single:
            for preds in entry[1]:
                tag = next((arg for attr, op, arg in preds if attr == "TAG" and op == "=="), None)
                lower = next((arg for attr, op, arg in preds if attr == "LOWER" and op == "=="), None)
                bucket = (self.by_tag.setdefault(tag, []) if tag is not None
                          else self.by_lower.setdefault(lower, []) if lower is not None else self.others)
                bucket.append((entry[0], preds, entry[2]))
        # (tag, text, label) → ((tag, pos, morph, lemma, label), whether a pattern over two tokens may start there)
        self.table: dict[tuple[int, int, int], tuple[tuple[int, int, int, int, int], bool]] = {}

    def __call__(self, doc):
        if not len(doc):
            return doc
        keys = doc.to_array([TAG, ORTH, DEP]).tolist()
        table = self.table
        if len(table) > MAX_TABLE:
            table.clear()
        rows, starts = [], False
        for i, key in enumerate(keys):
            key = tuple(key)
            found = table.get(key)
            if found is None:
                token = doc[i]
                may_start = any(_matches(preds, token.tag_, token.lower_, token.dep_, token.is_space)
                                for preds in self.firsts)
                found = table[key] = (self._compute(token), may_start)
            rows.append(found[0])
            starts = starts or found[1]
        # Patterns over two tokens match on the tokens as the parser left
        # them, as the ruler's do: before the table's values are set.
        spans = self.multi(doc) if starts else []
        doc.from_array([TAG, POS, MORPH, LEMMA, DEP], numpy.asarray(rows, dtype="uint64"))
        if spans:
            self._multi(doc, spans, keys)
        return doc

    def _compute(self, token, extra: list[tuple[int, dict]] = ()) -> tuple[int, int, int, int, int]:
        """What the stock components make of ``token``, set on it and
        returned: the single-token patterns its tag, text and label match
        and the ``extra`` ones (of patterns over two tokens), applied in
        the ruler's order, then the lemmatizer."""
        tag, lower, dep, space = token.tag_, token.lower_, token.dep_, token.is_space
        tried = self.by_tag.get(tag, []) + self.by_lower.get(lower, []) + self.others
        found = {i: attrs for i, preds, attrs in tried if _matches(preds, tag, lower, dep, space)}
        for _, attrs in sorted(list(found.items()) + list(extra), key=lambda x: x[0]):
            set_token_attrs(token, attrs)  # a later pattern's value wins, as in the ruler
        if token.lemma == 0:
            token.lemma_ = self.rules.lemma(token)
        return (token.tag, token.pos, token.morph.key, token.lemma, token.dep)

    def _multi(self, doc, spans, keys) -> None:
        """Tokens a pattern over two tokens points at: computed again from
        what the parser left, with every pattern that matched them."""
        extra: dict[int, list[tuple[int, dict]]] = {}
        for match_id, start, end in spans:
            order, attrs, index = self.multi_attrs[match_id]
            i = (start if index >= 0 else end) + index
            extra.setdefault(i, []).append((order, attrs))
        for i, more in extra.items():
            token = doc[i]
            tag, _, dep = keys[i]
            token.tag, token.dep, token.pos, token.lemma = tag, dep, 0, 0
            token.set_morph(None)
            self._compute(token, more)


class _LemmaRules:
    """The rule lemmatizer (``Lemmatizer.rule_lemmatize``) of the spaCy
    accord pins (3.8.7), with its word lists as sets: the stock one searches
    a list of 8,700 verbs for every candidate form.  Of the forms the rules
    make that the word list holds, the first rule's wins ("hoped": hope,
    not hop); spaCy 3.8.8 and later take the last rule's."""

    def __init__(self, lemmatizer):
        self.lemmatizer = lemmatizer
        tables = [lemmatizer.lookups.get_table(name, {}) for name in ("lemma_index", "lemma_exc", "lemma_rules")]
        self.index_table, self.exc_table, self.rules_table = tables
        self.index_sets: dict[str, frozenset] = {}

    def lemma(self, token) -> str:
        string = token.text
        univ_pos = token.pos_.lower()
        if univ_pos in ("", "eol", "space"):
            return string.lower()
        if self.lemmatizer.is_base_form(token):
            return string.lower()
        if not any((self.index_table.get(univ_pos), self.exc_table.get(univ_pos), self.rules_table.get(univ_pos))):
            return string if univ_pos == "propn" else string.lower()
        index = self.index_sets.get(univ_pos)
        if index is None:
            index = self.index_sets[univ_pos] = frozenset(self.index_table.get(univ_pos, {}))
        exceptions = self.exc_table.get(univ_pos, {})
        rules = self.rules_table.get(univ_pos, {})
        orig = string
        string = string.lower()
        forms: list[str] = []
        oov_forms = []
        for old, new in rules:
            if string.endswith(old):
                form = string[: len(string) - len(old)] + new
                if not form:
                    pass
                elif form in index or not form.isalpha():
                    forms.append(form)
                else:
                    oov_forms.append(form)
        forms = list(dict.fromkeys(forms))
        for form in exceptions.get(string, []):
            if form not in forms:
                forms.insert(0, form)
        if not forms:
            forms.extend(oov_forms)
        if not forms:
            forms.append(orig)
        return forms[0]


def _predicates(spec: dict) -> list[tuple[str, str, object]]:
    out = []
    for attr, value in spec.items():
        if attr not in ("TAG", "LOWER", "DEP", "IS_SPACE"):
            raise ValueError(f"accord_attributes cannot read patterns on {attr}")
        if isinstance(value, dict):
            for op, arg in value.items():
                if op == "REGEX":
                    out.append((attr, op, re.compile(arg)))
                elif op in ("IN", "NOT_IN"):
                    out.append((attr, op, frozenset(arg)))
                else:
                    raise ValueError(f"accord_attributes cannot read the operator {op}")
        else:
            out.append((attr, "==", value))
    return out


def _matches(preds, tag: str, lower: str, dep: str, space: bool) -> bool:
    for attr, op, arg in preds:
        value = tag if attr == "TAG" else lower if attr == "LOWER" else dep if attr == "DEP" else space
        if op == "==":
            ok = value == arg
        elif op == "IN":
            ok = value in arg
        elif op == "NOT_IN":
            ok = value not in arg
        else:
            ok = arg.search(value) is not None
        if not ok:
            return False
    return True


def use_fast_attributes(nlp) -> None:
    """Put ``accord_attributes`` in place of the attribute ruler and the
    lemmatizer of ``nlp`` (which keep their names out of the pipeline)."""
    if "attribute_ruler" not in nlp.pipe_names or "lemmatizer" not in nlp.pipe_names:
        return
    nlp.add_pipe("accord_attributes", before="attribute_ruler")
    nlp.remove_pipe("attribute_ruler")
    nlp.remove_pipe("lemmatizer")


@Language.factory("accord_attributes")
def make_attributes(nlp, name):
    return Attributes(nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer"))


# -- names: the entity recogniser where a name may be ------------------------------
MARGIN = 4  # tokens of context each side of a window: the recogniser's own encoder sees four
# What a gazetteer mention is to the recogniser, where it runs no model.
GAZETTEER_LABELS = {"country": "GPE", "capital": "GPE", "city": "GPE", "demonym": "NORP", "org": "ORG",
                    "agency": "ORG", "region": "LOC"}
PLACES_KEY = "accord.places"  # doc.user_data: the gazetteer's mentions, (start char, end char, kind)


class Names:
    """The model's entity recogniser, run only on windows of a document
    where a name the gazetteers do not know may be.

    accord reads people (PERSON) and places (GPE, LOC) from the recogniser;
    countries, capitals, demonyms and organisations it reads from its
    gazetteers.  Such a name is written with a capital letter, so the
    recogniser runs on the capitalised words that no gazetteer mention
    covers (the first word of a sentence only when tagged a proper noun),
    with ``MARGIN`` tokens each side, overlapping windows merged.  The
    recogniser's encoder reads four tokens each side and its decisions look
    no further back than the entity they are in, so within a window less
    its margins it labels as it would the whole document.  Gazetteer mentions outside those entities get the
    label the recogniser gives such names.  Entities of the other labels
    (dates, numbers, money) are found inside windows only: "on March 3",
    not "by 5 pct".

    About 45% of the words of the sentences accord parses fall in a window;
    the recogniser was more than half of the parse."""

    def __init__(self, ner, margin: int = MARGIN):
        self.ner = ner
        self.margin = margin
        self.tokens = 0  # tokens of the documents seen, and of the windows read, since loading
        self.read = 0

    def __call__(self, doc):
        return next(iter(self.pipe([doc])))

    def pipe(self, docs, batch_size: int = 64):
        from spacy.util import minibatch

        for batch in minibatch(docs, batch_size):
            plans = [self._plan(doc) for doc in batch]
            windows = [w for doc, (spans, _, array) in zip(batch, plans) for w in _windows(doc, spans, array)]
            self.tokens += sum(len(doc) for doc in batch)
            self.read += sum(len(w) for w in windows)
            labelled = iter(self.ner.pipe(windows, batch_size=256))
            for doc, (spans, known, _) in zip(batch, plans):
                self._set(doc, spans, [next(labelled) for _ in spans], known)
                yield doc

    def _plan(self, doc):
        """The windows to run the recogniser on; the gazetteer's mentions
        as (first token, end token, label); and the document's words as
        rows of (ORTH, SPACY, NORM, SENT_START, POS)."""
        places = doc.user_data.get(PLACES_KEY)
        if places is None:
            from .gazetteer import gazetteer

            places = [(m.start, m.end, m.entry.kind) for m in gazetteer().find(doc_text(doc))]
        known: list[tuple[int, int, str]] = []
        covered: set[int] = set()
        for start, end, kind in places:
            label = GAZETTEER_LABELS.get(kind)
            span = doc.char_span(start, end, alignment_mode="expand") if label else None
            if span is not None and len(span):
                known.append((span.start, span.end, label))
                covered.update(range(span.start, span.end))
        margin, n = self.margin, len(doc)
        spans: list[tuple[int, int]] = []
        propn = doc.vocab.strings["PROPN"]
        array = doc.to_array(WINDOW_ATTRS)
        rows = array.tolist()
        kinds = _word_kinds(doc, [row[0] for row in rows])
        for i, (_, _, _, start, pos) in enumerate(rows):
            if not kinds[i] & CAPITAL or i in covered or (start == 1 and pos != propn):
                continue  # a sentence's first word is a name only when tagged a proper noun
            a, b = max(0, i - margin), min(n, i + margin + 1)
            if spans and a <= spans[-1][1]:
                spans[-1] = (spans[-1][0], b)
            else:
                spans.append((a, b))
        return spans, known, array

    def _set(self, doc, spans, windows, known) -> None:
        from spacy.tokens import Span

        margin, n = self.margin, len(doc)
        ents: list[Span] = []
        taken: set[int] = set()
        for (a, b), window in zip(spans, windows):
            lo, hi = (a + margin if a else 0), (b - margin if b < n else n)
            for e in window.ents:
                start, end = a + e.start, a + e.end
                if end > lo and start < hi:
                    ents.append(Span(doc, start, end, e.label))
                    taken.update(range(start, end))
        for start, end, label in known:
            if taken.isdisjoint(range(start, end)):  # two mentions may share a token ("U.S.-Japan")
                ents.append(Span(doc, start, end, label))
                taken.update(range(start, end))
        doc.set_ents(sorted(ents, key=lambda s: s.start), default="outside")


WINDOW_ATTRS = [ORTH, SPACY, NORM, SENT_START, POS]


def _windows(doc, spans, array) -> list:
    """The windows of ``doc`` as documents of their own, with what the
    recogniser reads of a word: its text, its norm (the tokenizer sets some,
    "n't" → "not") and where the parser put the sentence starts.  Cheaper than
    ``Span.as_doc``, which copies every attribute of the whole document for
    each window, and truer: a window's words whose head lies outside it do
    not start sentences of their own."""
    from spacy.tokens import Doc

    strings, out = doc.vocab.strings, []
    for a, b in spans:
        rows = array[a:b]
        window = Doc(doc.vocab, words=[strings[orth] for orth in rows[:, 0].tolist()],
                     spaces=rows[:, 1].astype(bool).tolist())
        starts = rows[:, 3].copy()
        starts[0] = 1
        window.from_array([NORM, SENT_START], numpy.stack([rows[:, 2], starts], axis=1))
        out.append(window)
    return out


def use_windowed_names(nlp) -> None:
    """Put ``accord_names`` in place of the entity recogniser of ``nlp``."""
    if "ner" not in nlp.pipe_names:
        return
    nlp.add_pipe("accord_names", after="ner")
    nlp.remove_pipe("ner")


@Language.factory("accord_names")
def make_names(nlp, name):
    return Names(nlp.get_pipe("ner"))
