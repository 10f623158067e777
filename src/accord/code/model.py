"""The learned event-type model: a linear classifier that scores a
candidate (a parsed sentence and the word that may trigger an event) for
the 16 PLOVER types and NONE.

It stands beside the trigger lexicon: the coder asks it where the lexicon
offers several types for a word, where the lexicon is silent in a sentence
that names actors, and whether a lexicon candidate is an event at all.

Features are strings read off the parse: the trigger's lemma, form and part
of speech, its dependency relation and head, its objects, particles and
prepositional objects, the words around it, negation and modality, and the
content lemmas and entity labels of the sentence.  The weights live in
``data/type_model.json`` (written by ``accord train`` from the
corpus in ``data/training/``), and prediction is a sum of weights: no
scikit-learn at run time, well under a millisecond a candidate.

    accord train            # rebuild data/type_model.json from data/training/
"""

from __future__ import annotations

import base64
import json
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import count
from pathlib import Path

from spacy.attrs import ENT_IOB, ENT_TYPE, IS_STOP, LEMMA, POS
from spacy.symbols import ADJ, NOUN, VERB

NONE = "NONE"
MODEL_FILE = "type_model.json"
CONTENT = {"NOUN", "VERB", "ADJ"}
ARG_DEPS = {"dobj", "obj", "prt", "xcomp", "ccomp", "nsubj", "nsubjpass", "agent", "attr", "oprd", "dative", "acomp"}
MODALS = {"will", "would", "shall", "'ll", "may", "might", "could", "should", "must", "can"}


def features(token) -> list[str]:
    """The features of ``token`` as the trigger of a candidate event."""
    sent = token.sent
    out = _own_features(token, sent)
    content, entities = _sentence_features(sent)
    seen = set()
    for i, lem in content:
        if i != token.i and lem not in seen:
            seen.add(lem)
            out.append(f"s={lem}")
    out.extend(entities)
    return out


def _own_features(token, sent) -> list[str]:
    """The features of ``token`` but those of its sentence (``s=``, ``e=``)."""
    lemma = token.lemma_.lower()
    pos = "VERB" if token.pos_ == "AUX" else token.pos_
    rel, head = token.dep_, token.head.lemma_.lower()
    out = [f"t={lemma}", f"tp={lemma}|{pos}", f"tw={token.lower_}", f"pos={pos}", f"dep={rel}", f"h={head}",
           f"hd={head}|{rel}"]
    for c in token.children:
        dep = c.dep_
        if dep in ARG_DEPS:
            out.append(f"c:{dep}={c.lemma_.lower()}")
            out.append(f"tc={lemma}|{c.lemma_.lower()}")
        elif dep == "prep":
            out.append(f"p={c.lower_}")
            for g in c.children:
                if g.dep_ == "pobj":
                    out.append(f"pp={c.lower_}|{g.lemma_.lower()}")
                    out.append(f"tpp={lemma}|{c.lower_}|{g.lemma_.lower()}")
                    if g.ent_type_:
                        out.append(f"ppe={c.lower_}|{g.ent_type_}")
        elif dep == "neg":
            out.append("neg")
        elif dep in ("aux", "auxpass") and c.lower_ in MODALS:
            out.append(f"modal={c.lower_}")
        elif dep == "auxpass":
            out.append("passive")
        if c.ent_type_ and dep in ARG_DEPS:
            out.append(f"ce={dep}|{c.ent_type_}")
    if rel in ("xcomp", "ccomp") or (rel in ("dobj", "pobj") and token.pos_ == "NOUN"):
        out.append(f"gov={head}")
    doc = token.doc
    for offset in (-2, -1, 1, 2):
        i = token.i + offset
        if sent.start <= i < sent.end:
            out.append(f"w{offset:+d}={doc[i].lemma_.lower()}")
    return out


SENTENCE_KEY = "accord.sentence_features"  # doc.user_data: sentence start → what _sentence_features gives
WORDS_KEY = "accord.word_table"  # doc.user_data: what _word_table gives
ROWS_KEY = "accord.sentence_rows"  # doc.user_data: (model, sentence start) → what TypeModel._sentence_rows gives


def _sentence_features(sent) -> tuple[list[tuple[int, str]], list[str]]:
    """The content words of a sentence, (index, lemma), and its entity
    labels as features: the same for every candidate in it, so read once."""
    doc = sent.doc
    cache = doc.user_data.setdefault(SENTENCE_KEY, {})
    found = cache.get(sent.start)
    if found is None:
        table = doc.user_data.get(WORDS_KEY)
        if table is None:
            table = doc.user_data[WORDS_KEY] = _word_table(doc)
        words = table[sent.start:sent.end]
        content = [(i, lemma) for i, (lemma, _) in enumerate(words, sent.start) if lemma is not None]
        entities = [label for _, label in words if label is not None]
        found = cache[sent.start] = (content, entities)
    return found


_CONTENT_IDS = {NOUN, VERB, ADJ}  # CONTENT, as the parts of speech ``Doc.to_array`` gives
_LOWER_LEMMAS: dict[int, str] = {}  # a lemma's hash → the lemma in lower case
MAX_LEMMAS = 500_000


def _word_table(doc) -> list[tuple[str | None, str | None]]:
    """Per token of ``doc``: its lemma in lower case when it is a content
    word (CONTENT, not a stop word), and the ``e=`` feature of the entity it
    begins; read off the document's arrays, with no ``Token`` made."""
    if len(_LOWER_LEMMAS) > MAX_LEMMAS:
        _LOWER_LEMMAS.clear()
    strings, out = doc.vocab.strings, []
    for pos, stop, lemma, iob, label in doc.to_array([POS, IS_STOP, LEMMA, ENT_IOB, ENT_TYPE]).tolist():
        if pos in _CONTENT_IDS and not stop:
            lower = _LOWER_LEMMAS.get(lemma)
            if lower is None:
                lower = _LOWER_LEMMAS[lemma] = strings[lemma].lower()
        else:
            lower = None
        out.append((lower, f"e={strings[label]}" if iob == 3 and label else None))
    return out


_SERIALS = count()


class TypeModel:
    """Linear weights: a row of ``weights`` per feature, a column per class;
    the score of a class is its bias plus the rows of the features present;
    probabilities are the softmax of the scores."""

    def __init__(self, classes, bias, features, weights) -> None:
        import numpy as np

        self.classes = tuple(classes)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.features = list(features)
        self.index = {f: i for i, f in enumerate(self.features)}
        self.weights = np.asarray(weights, dtype=np.float32).reshape(len(self.features), len(self.classes))
        self.serial = next(_SERIALS)  # tells models apart in a document's cache (ROWS_KEY)
        self._padded = None  # the weights and a row of zeros (predict_many)

    def scores(self, feats: Iterable[str]) -> dict[str, float]:
        # In row order: a sum of floats in the order a set of strings happens to
        # iterate would differ in its last bits between processes (hash seeds).
        rows = set(map(self.index.get, feats))
        rows.discard(None)
        rows = sorted(rows)
        return self._softmax((self.bias + self.weights[rows].sum(axis=0) if rows else self.bias).tolist())

    def _softmax(self, total: list[float]) -> dict[str, float]:
        top = max(total)
        exp = [math.exp(s - top) for s in total]
        norm = sum(exp)
        return {c: e / norm for c, e in zip(self.classes, exp)}

    def predict(self, token) -> dict[str, float]:
        return self.scores(features(token))

    def predict_many(self, tokens: list, sent=None) -> list[dict[str, float]]:
        """``predict`` of each token (all of sentence ``sent``, when it is
        given), to the last bit: a sentence's own
        features (its content words and entities) are looked up once for
        all its candidates, and the rows of all the tokens are summed in
        one numpy call.  A token's rows are added one after the other, in
        row order, as ``scores`` adds them: its list of rows is padded at
        the end with a row of zeros, to the length of the longest."""
        import numpy as np

        index, lists = self.index, []
        for token in tokens:
            here = sent if sent is not None else token.sent
            shared, alone = self._sentence_rows(here)
            rows = set(map(index.get, _own_features(token, here)))
            rows |= shared
            rows.discard(None)
            rows.discard(alone.get(token.i))  # its own lemma, unless another word of the sentence has it
            lists.append(sorted(rows))
        if not lists:
            return []
        width, zero = max(map(len, lists)), len(self.features)
        if width == 0:
            return [self._softmax(self.bias.tolist()) for _ in lists]
        if self._padded is None:
            self._padded = np.vstack([self.weights, np.zeros((1, len(self.classes)), dtype=np.float32)])
        rows = np.array([r + [zero] * (width - len(r)) for r in lists])
        totals = (self._padded.take(rows, axis=0).sum(axis=1) + self.bias).tolist()
        bias = self.bias.tolist()
        return [self._softmax(total if r else bias) for r, total in zip(lists, totals)]

    def _sentence_rows(self, sent) -> tuple[set[int | None], dict[int, int]]:
        """The rows of a sentence's ``s=`` and ``e=`` features, and for a
        content word whose lemma no other content word of it has, the row of
        that lemma (``features`` leaves a word's own lemma out)."""
        cache = sent.doc.user_data.setdefault(ROWS_KEY, {})
        found = cache.get((self.serial, sent.start))
        if found is None:
            content, entities = _sentence_features(sent)
            index = self.index
            lemmas = Counter(lem for _, lem in content)
            shared = {index.get(f"s={lem}") for lem in lemmas}
            shared.update(map(index.get, entities))
            alone = {i: index[f"s={lem}"] for i, lem in content if lemmas[lem] == 1 and f"s={lem}" in index}
            found = cache[(self.serial, sent.start)] = (shared, alone)
        return found

    def as_json(self) -> dict:
        return {"format": "accord type model 1", "classes": list(self.classes),
                "bias": [round(float(b), 5) for b in self.bias], "features": self.features,
                "weights_float32_le": base64.b64encode(self.weights.astype("<f4").tobytes()).decode("ascii")}

    @classmethod
    def from_json(cls, data: dict) -> "TypeModel":
        import numpy as np

        weights = np.frombuffer(base64.b64decode(data["weights_float32_le"]), dtype="<f4")
        return cls(data["classes"], data["bias"], data["features"], weights)


@lru_cache(maxsize=1)
def type_model() -> TypeModel | None:
    """The shipped model, or None when it has not been built."""
    path = resources.files("accord.data").joinpath(MODEL_FILE)
    if not path.is_file():
        return None
    return TypeModel.from_json(json.loads(path.read_text(encoding="utf-8")))


# -- training ------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Example:
    text: str
    trigger: str
    label: str


def corpus_examples(folder: Path | None = None) -> list[Example]:
    """The training sentences accord ships (``data/training/*.jsonl``)."""
    root = Path(folder) if folder else Path(str(resources.files("accord.data").joinpath("training")))
    out = []
    for path in sorted(root.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                out.append(Example(r["text"], r["trigger"], r["type"] or NONE))
    return out


def _trigger_token(doc, trigger: str):
    words = trigger.lower().split()
    for t in doc:
        if t.lower_ == words[0] or t.lemma_.lower() == words[0]:
            return t
    for t in doc:
        if t.lower_.startswith(words[0][:5]):
            return t
    return None


def featurize(examples: list[Example], nlp=None) -> list[list[str] | None]:
    """Parse the examples and read the features of their trigger words, in
    order; None for an example whose trigger is not in its parse."""
    from ..nlp.model import load_nlp

    nlp = nlp or load_nlp()
    out: list[list[str] | None] = []
    for ex, doc in zip(examples, nlp.pipe((e.text for e in examples), batch_size=64)):
        token = _trigger_token(doc, ex.trigger) if ex.trigger else None
        out.append(features(token) if token is not None else None)
    return out


def usable(examples: list[Example], feats: list[list[str] | None]) -> tuple[list[list[str]], list[str]]:
    """The (features, labels) of the examples whose trigger was found."""
    pairs = [(f, ex.label) for ex, f in zip(examples, feats) if f is not None]
    return [f for f, _ in pairs], [label for _, label in pairs]


def fit(X: list[list[str]], y: list[str], *, c: float = 2.0, prune: float = 1e-3) -> TypeModel:
    """A multinomial logistic regression over binary features
    (scikit-learn, deterministic), kept as sparse weights."""
    try:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        raise ImportError("training the type model needs scikit-learn: pip install 'accord[train]'") from None

    vec = DictVectorizer()
    matrix = vec.fit_transform([{f: 1 for f in feats} for feats in X])
    clf = LogisticRegression(C=c, max_iter=3000, solver="lbfgs")
    clf.fit(matrix, y)
    import numpy as np

    classes = tuple(str(c) for c in clf.classes_)
    names = [str(n) for n in vec.get_feature_names_out()]
    weights = np.round(clf.coef_.T, 4).astype(np.float32)  # a row per feature
    keep = np.abs(weights).max(axis=1) >= prune
    return TypeModel(classes, np.round(clf.intercept_, 5), [n for n, k in zip(names, keep) if k], weights[keep])


def train(folder: Path | None = None, extra: list[Example] | None = None, nlp=None) -> TypeModel:
    examples = corpus_examples(folder) + list(extra or [])
    return fit(*usable(examples, featurize(examples, nlp)))


def default_path() -> Path:
    return Path(str(resources.files("accord.data").joinpath(MODEL_FILE)))


def cross_validate(X: list[list[str]], y: list[str], k: int = 5) -> float:
    """Accuracy of the classifier on the corpus itself, ``k`` fixed folds
    (the i-th sentence goes to fold i mod k)."""
    right = 0
    for fold in range(k):
        train_idx = [i for i in range(len(X)) if i % k != fold]
        model = fit([X[i] for i in train_idx], [y[i] for i in train_idx])
        for i in range(fold, len(X), k):
            probs = model.scores(X[i])
            right += max(probs, key=probs.get) == y[i]
    return right / len(X) if X else 0.0


def save(model: TypeModel, path: Path) -> None:
    path.write_text(json.dumps(model.as_json(), separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
