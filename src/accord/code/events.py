"""Stage 4, code events: PLOVER 0.8 events from parsed sentences.

Per sentence, every token whose lemma is a trigger of ``data/triggers.tsv``
(and whose object fits, where the trigger asks for one) is a candidate.
Triggers that take an event as complement ("agreed to upgrade", "threatened
to withdraw", "urged X to") frame the event under them: the frame gives the
type and the complement gives the object.  A future event ("will visit",
"plans to sign") is coded AGREE, as PLOVER codes promises.

Actors come from the dependency parse: the subject (or the agent of a
passive, the possessor of a noun: "his visit") is the source; the object,
or the noun phrase after "with", "to", "against", is the target; "talks
between A and B" and joint subjects make joint actors.  Pronouns and "the
two sides" resolve through the article's ``ActorIndex``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.attrs import LEMMA, LOWER

from ..models import Event, Evidence
from ..nlp.text import span_text
from .arguments import (
    HOSTILE,
    NOMINAL,
    _actors,
    _all_business,
    _condition,
    _condition_subject,
    _country_actor,
    _invitation,
    _mentions_bilateral,
    _object_is_thing,
    _up,
)
from .lexicon import (CAMEO_ROOT, Trigger, actor_sectors, contexts, find_relation_level, has_trigger, level_rank,
                      trigger_lemmas)
from .state import DocState
from .model import NONE
from .triggers import OBJECTS, lookup_all
from .where import _event_date, _own_place, _place

FUTURE_MARKERS = {"will", "would", "shall", "'ll"}
FUTURE_GOVERNORS = {"plan", "expect", "schedule", "intend", "hope", "aim", "set", "due", "going", "prepare", "seek",
                    "want", "wish", "look", "invite", "invitation", "agree", "pledge", "vow", "promise", "commit",
                    "decide", "resolve", "consent", "offer", "ready", "willing", "readiness", "willingness", "desire",
                    "commitment", "concur", "threaten", "urge", "ask", "demand", "call", "refuse", "propose", "suggest"}


@dataclass
class _Candidate:
    token: object
    trigger: Trigger
    frame: "_Candidate | None" = None


# How the learned type model (code.model) joins the lexicon: it picks among
# the types a word may have, drops a candidate it is sure is no event, and
# proposes the best-scored word of a sentence that names actors and has no
# word of the lexicon.  The thresholds were chosen by cross-validation on
# accord's own corpus (accord eval corpus), not on the development figures.
DROP_AS_NONE = 0.6
PROPOSE = 0.45
OVERRIDE = 0.7  # above this, the model's type replaces a plain lexicon entry it finds implausible
PROPOSE_POS = {"VERB", "NOUN"}


MAX_SENTENCE = 250  # tokens: longer "sentences" are lists, tables or runaway text, not prose


def code_sentence(sent, state: DocState) -> list[Event]:
    """The events of one parsed sentence."""
    if len(sent) > MAX_SENTENCE:
        return []
    model = state.model if state.coder != "lexicon" else None
    candidates = []
    if state.coder != "model":
        found = []  # (token, the lexicon's options for it)
        for token in _maybe_triggers(sent):
            options = lookup_all(token)
            if options:
                found.append((token, options))
        scored = model.predict_many([token for token, _ in found], sent) if model is not None else [None] * len(found)
        for (token, options), probs in zip(found, scored):
            trig = _choose(options, probs)
            if trig:
                candidates.append(_Candidate(token, trig))
    # The model proposes only in a sentence holding a word of the lexicon: the
    # sentences the first pass keeps, so that parsing fewer loses nothing.
    if not candidates and model is not None and _names_actors(sent, state) and has_trigger(span_text(sent)):
        proposed = _propose(sent, model)
        if proposed:
            candidates.append(proposed)
    if not candidates:
        return []
    by_token = {c.token.i: c for c in candidates}
    # Frames: the triggers in a frame's complement belong to it; the
    # innermost frame claims them first.
    frames = sorted((c for c in candidates if "frame" in c.trigger.flags), key=lambda c: -_depth(c.token))
    for c in frames:
        for i in _complement_tokens(c.token):
            inner = by_token.get(i)
            if inner and inner is not c and inner.frame is None:
                inner.frame = c
    # "signed the trade agreement", "imposed sanctions": a noun that is the
    # object of a verb that is itself a trigger is what that event is about.
    # A light verb ("held talks", "paid a visit", "launched an attack") gives
    # way to its noun instead.
    verbs = {c.token.i for c in candidates if c.token.pos_ in ("VERB", "AUX") and "frame" not in c.trigger.flags}
    light = {c.token.i for c in candidates if c.token.i in verbs and c.token.lemma_.lower() in SUPPORT_VERBS}
    nouns_of_light = {c.token.head.i for c in candidates if _object_of(c.token, light)}
    # "the signing of an agreement": the same for a noun's "of" object.
    of_heads = {c.token.i for c in candidates if "frame" not in c.trigger.flags} - light
    candidates = [c for c in candidates
                  if c.token.i not in nouns_of_light and not _object_of(c.token, verbs - light)
                  and not _of_object(c.token, of_heads)]
    events: list[Event] = []
    for c in candidates:
        if c.frame is not None:
            continue
        inner = [x for x in candidates if x.frame is c]
        ev = _build(c, inner, sent, state)
        if ev:
            events.extend(_split_visits(ev))
    return _join_halves(events)


MAYBE_KEY = "accord.maybe_triggers"  # doc.user_data: a flag per token, see _maybe_triggers
_MAYBE: dict[int, bool] = {}  # a word's hash → whether it is a lemma of the lexicon
MAX_MAYBE = 500_000


def _maybe_triggers(sent) -> list:
    """The tokens of ``sent`` whose lemma or lower-case form is a lemma of
    the lexicon: the only ones ``lookup_all`` can find a trigger for.  Read
    off the document's arrays once, so that the other words cost no
    Python object."""
    doc = sent.doc
    flags = doc.user_data.get(MAYBE_KEY)
    if flags is None:
        if len(_MAYBE) > MAX_MAYBE:
            _MAYBE.clear()
        lemmas, strings = trigger_lemmas(), doc.vocab.strings
        flags = []
        for pair in doc.to_array([LEMMA, LOWER]).tolist():
            hit = False
            for h in pair:
                known = _MAYBE.get(h)
                if known is None:
                    known = _MAYBE[h] = strings[h].lower() in lemmas
                hit = hit or known
            flags.append(hit)
        doc.user_data[MAYBE_KEY] = flags
    return [doc[i] for i in range(sent.start, sent.end) if flags[i]]


def _choose(options: list[Trigger], probs: dict[str, float] | None) -> Trigger | None:
    """The trigger a token is: the lexicon's ``options`` for it (one or more), with the
    model's ``probs`` for it (when there is a model) deciding between the
    types the lexicon offers, vetoing what it is sure is no event, and
    replacing a plain entry it finds implausible."""
    types = {o.type for o in options}
    if probs and probs.get(NONE, 0.0) >= DROP_AS_NONE and all(probs.get(t, 0.0) < 0.05 for t in types):
        return None
    chosen = options[0]
    if probs and len(types) > 1:
        fitting = [o for o in options if o.objects is not None] or options  # a word with its object says most
        chosen = max(fitting, key=lambda o: (probs.get(o.type, 0.0), -fitting.index(o)))
    same = [o for o in options if o.type == chosen.type]
    if len(same) > 1:  # entries of one reading share what they tell the argument rules
        shared = frozenset().union(*(o.flags for o in same)) - {"frame"}
        mode = chosen.mode or next((o.mode for o in same if o.mode), "")
        chosen = replace(chosen, flags=shared | (chosen.flags & {"frame"}), mode=mode)
    if probs:
        top, p = max(((t, q) for t, q in probs.items() if t != NONE), key=lambda tq: tq[1])
        if p >= OVERRIDE and probs.get(chosen.type, 0.0) < 0.05 and not chosen.flags:
            return replace(chosen, type=top, mode="", cameo=CAMEO_ROOT.get(top, ""))
    return chosen


def _names_actors(sent, state: DocState) -> bool:
    start, end = state.offset + sent.start_char, state.offset + sent.end_char
    return bool(state.index.within(start, end))


def _propose(sent, model) -> _Candidate | None:
    """Where the lexicon is silent: the word the model scores highest as an
    event of some type, when it is sure enough."""
    best = None
    eligible = []
    for token in sent:
        pos = "VERB" if token.pos_ == "AUX" else token.pos_
        if pos not in PROPOSE_POS or token.is_stop or not token.is_alpha:
            continue
        if pos == "NOUN" and token.dep_ not in ("dobj", "nsubj", "nsubjpass", "ROOT", "pobj", "attr"):
            continue
        eligible.append(token)
    for token, probs in zip(eligible, model.predict_many(eligible, sent)):
        type_, p = max(((t, q) for t, q in probs.items() if t != NONE), key=lambda tq: tq[1])
        if p >= PROPOSE and p > probs.get(NONE, 0.0) and (best is None or p > best[0]):
            best = (p, token, type_)
    if best is None:
        return None
    _, token, type_ = best
    pos = "VERB" if token.pos_ in ("VERB", "AUX") else token.pos_
    return _Candidate(token, Trigger(token.lemma_.lower(), pos, type_, "", CAMEO_ROOT.get(type_, ""), None,
                                     frozenset({"proposed"})))


# Verbs that carry a noun event rather than name one ("held talks", "launched
# an offensive", "staged a protest").
SUPPORT_VERBS = {"hold", "have", "conduct", "pay", "make", "launch", "carry", "stage", "mount", "undertake", "begin",
                 "start", "resume", "continue", "give", "take", "wage", "commit", "perpetrate", "unleash", "host", "open",
                 "enter", "kick"}


def _object_of(token, verbs: set[int]) -> bool:
    if token.pos_ not in ("NOUN", "PROPN"):
        return False
    head = token.head
    if token.dep_ in ("dobj", "obj", "attr", "oprd", "nsubjpass") and head.i in verbs:
        return True
    return token.dep_ == "pobj" and head.dep_ == "prep" and head.head.i in verbs and head.lower_ not in ("after", "over", "following", "during", "amid", "despite")


def _of_object(token, heads: set[int]) -> bool:
    head = token.head
    return (token.pos_ in ("NOUN", "PROPN") and token.dep_ == "pobj" and head.lower_ == "of"
            and head.head.i in heads and head.head.i != token.i)


def _join_halves(events: list[Event]) -> list[Event]:
    """"Japanese development assistance loans for Vietnam": two triggers of
    one type, one with only a source, the other only a target, are one event."""
    out: list[Event] = []
    for ev in events:
        half = next((o for o in out if o.type == ev.type and not o.negated and not ev.negated and (
            (o.source and not o.target and ev.target and not ev.source) or
            (o.target and not o.source and ev.source and not ev.target))), None)
        if half is None:
            out.append(ev)
            continue
        out[out.index(half)] = replace(half, source=half.source or ev.source, target=half.target or ev.target)
    return out


def _split_visits(ev: Event) -> list[Event]:
    """"The foreign ministers of Pakistan and Russia arrived in India": one
    visit per visiting country."""
    if ev.type != "CONSULT" or ev.mode != "visit" or len({a.country for a in ev.source}) < 2:
        return [ev]
    return [replace(ev, source=(a,)) for a in ev.source]


CIRCUMSTANCE = {"following", "after", "during", "before", "since", "amid", "at", "throughout", "despite"}


def _depth(token) -> int:
    return len(list(_up(token, 50))) - 1


def _complement_tokens(token) -> set[int]:
    """Token indices of a frame trigger's complement ("agreed to adopt a
    statement on the upgrade"), leaving out the circumstances hanging from
    it ("following their talks", "during his visit"): those are events of
    their own."""
    out: set[int] = set()
    roots = []
    for child in token.children:
        if child.dep_ in ("xcomp", "ccomp", "acl", "dobj", "oprd") or (
                child.dep_ == "prep" and child.lower_ in ("on", "to", "for", "with")):
            roots.append(child)
            roots.extend(child.conjuncts)
    stack = list(roots)
    while stack:
        t = stack.pop()
        if t.i in out:
            continue
        out.add(t.i)
        for c in t.children:
            if c.lower_ in CIRCUMSTANCE:  # "following their talks", "during his visit"
                continue
            stack.append(c)
    return out


def _build(c: _Candidate, inner: list[_Candidate], sent, state: DocState) -> Event | None:
    token, trig = c.token, c.trigger
    if token.dep_ == "compound" and token.head.pos_ in NOMINAL:
        token = token.head  # "a mediation effort between A and B": the phrase's head carries the arguments
    type_, mode, cameo = trig.type, trig.mode, trig.cameo
    semantic = trig
    semantic_token = token
    relation_level = None
    # "agreed to establish a strategic partnership", "decided to upgrade":
    # the act itself, not a promise.
    act = next((x for x in inner if x.trigger.type == "SUPPORT" and ({"relation", "sign"} & x.trigger.flags)), None)
    if trig.type == "AGREE" and act is not None:
        type_, mode, cameo = "SUPPORT", act.trigger.mode, act.trigger.cameo
        semantic, semantic_token = act.trigger, act.token
    elif trig.type == "AGREE" and inner:
        semantic_token = inner[0].token
    if "relation" in semantic.flags:
        relation_level = find_relation_level(span_text(sent))
        if relation_level is None and semantic.lemma in ("establish", "establishment", "restore", "normalize", "normalise"):
            relation_level = "diplomatic relations"

    negated = _negated(token) or (semantic_token.i != token.i and _negated(semantic_token))
    hypothetical = _hypothetical(token)
    future = _future(token) or "future" in trig.flags
    if future and "relation" in semantic.flags and not _future(token, markers=("will", "shall", "'ll")):
        future = False  # "said the relationship would become a partnership": reported, not promised
    conditional = _conditional(token)
    if future and type_ not in ("AGREE", "THREATEN", "REQUEST", "REJECT") and "frame" not in trig.flags:
        # What a party says it will do: a promise, or a threat when the act
        # is hostile or hangs on a condition ("will withdraw ... unless").
        if type_ in HOSTILE or conditional:
            type_, mode, cameo = "THREATEN", "", "13"
        else:
            type_, mode, cameo = "AGREE", "", "036" if trig.type == "CONSULT" else "030"
    elif type_ == "AGREE" and conditional and inner and inner[0].trigger.type in HOSTILE | {"RETREAT"}:
        type_, mode, cameo = "THREATEN", "", "13"
    if negated and type_ in ("AGREE", "SUPPORT") and trig.lemma in ("accept", "agree", "support", "allow"):
        type_, cameo, negated = "REJECT", "12", False

    if "host" in trig.flags and token.pos_ == "VERB" and not any(c.dep_ in ("dobj", "obj") for c in token.children):
        return None  # "warmly welcomed and appreciated the visit": no guest of its own
    if ({"host", "meet"} & trig.flags) and token.pos_ == "VERB" and _object_is_thing(token, state):
        # "welcomed the visit" is praise; "meeting the interests of" is no meeting
        if trig.lemma != "welcome":
            return None
        type_, mode, cameo = "SUPPORT", "", "051"
        semantic = trig = replace(trig, type="SUPPORT", mode="", flags=frozenset())
    if trig.lemma == "invitation" and token.dep_ == "pobj" and token.head.lower_ in ("at", "upon", "on"):
        return None  # "at the invitation of": how a visit came about, not a new invitation
    if trig.lemma in ("invite", "invitation"):
        source, target = _invitation(token, sent, state)
    else:
        source, target = _actors(token, semantic_token, trig, semantic, sent, state)
    if type_ == "THREATEN":
        # "threatened to launch an offensive unless Baghdad accepted": the threat is aimed at the condition's subject
        aimed = _condition_subject(token, state)
        if aimed:
            target = aimed
    src_codes = {a.country for a in source if a.country}
    tgt_codes = {a.country for a in target if a.country}
    if not src_codes and len(tgt_codes) == 1 and type_ in DOMESTIC:
        # "Judge Rivera opened investigations against Chilean officials": an actor of the same country
        source = source + (_country_actor(next(iter(tgt_codes)), state),)
        src_codes = set(tgt_codes)
    if not target and type_ in ON_TERRITORY:
        # "Serbia lifted a night curfew in Montenegro": PLOVER's target is
        # the country where it happens; a protest with no target is aimed at home.
        place = _own_place(semantic_token, state)
        if place and place.country and len(place.country) == 3:
            target = (_country_actor(place.country, state),)
        elif type_ == "PROTEST" and len(src_codes) == 1:
            target = (_country_actor(next(iter(src_codes)), state),)
    if not source and type_ in ON_TERRITORY:
        # "Hundreds of people rallied across France", "gunmen attacked a convoy
        # in Mali": people of a place act as that country's, as PLOVER codes them.
        group = _group_subject(semantic_token)
        place = _own_place(semantic_token, state) if group is not None else None
        if place and place.country and len(place.country) == 3:
            source = (replace(_country_actor(place.country, state),
                              sector=actor_sectors().get(group.lemma_.lower(), "CVL")),)
            src_codes = {place.country}
            if type_ == "PROTEST" and not target:
                target = (_country_actor(place.country, state),)
    if len(src_codes) >= 2:
        # "the United States and Jordan agreed ... between the two countries": joint actors
        target = tuple(a for a in target if a.country not in src_codes)
        if not target and type_ in DIRECTED and not ({"relation", "sign"} & semantic.flags):
            return None  # "we appreciated the interaction between Russia and Pakistan": no one else
    if not source and not target:
        return None
    if ({"relation", "sign"} & semantic.flags) and _expected(semantic_token):
        return None  # "expecting Vietnam and Australia to announce an upgrade": not yet done
    if type_ in ("ASSAULT", "COERCE") and SPORTS.search(span_text(sent)):
        return None  # "Vietnam beat Laos 6-0"
    if "host" in trig.flags and not target:
        return None  # a host with no guest named: nothing to code
    if HISTORY_WORDS.search(span_text(sent)) and HISTORY.search(_clause_text(token)):
        return None
    if _all_business(source) or _all_business(target):
        return None
    src_codes = {a.country for a in source if a.country}
    tgt_codes = {a.country for a in target if a.country}
    if not src_codes and not tgt_codes:
        return None
    if semantic.type == "CONSULT" and type_ == "CONSULT" and src_codes and src_codes == tgt_codes and len(src_codes) == 1 and mode in ("visit", "host"):
        return None  # coming home is not a visit
    if "sign" in semantic.flags and semantic.lemma in ("issue", "release", "adopt", "adoption") and len(src_codes | tgt_codes) < 2 \
            and not re.search(r"\bjoint\b", span_text(sent), re.I):
        return None  # one party's own statement is no agreement
    if type_ in ("SUPPORT",) and ({"relation", "sign"} & semantic.flags) and len(src_codes | tgt_codes) < 2:
        partner = [p for p in state.pair if p not in src_codes | tgt_codes]
        if partner and _mentions_bilateral(span_text(sent)):
            source = source + (_country_actor(partner[0], state),)

    when = _event_date(token, semantic_token, sent, state, future or type_ == "AGREE", hypothetical)
    if when == "historical":
        return None
    day, precision = when.value, when.precision
    place = _place(semantic_token, sent, state, source, target, mode)
    if type_ == "CONSULT" and mode == "visit" and source and target:
        visitor = next((a.country for a in source if a.country), None)
        host = next((a.country for a in target if a.country), None)
        if visitor and host and visitor != host:
            state.visit = state.visit or (visitor, host)
    codes = tuple(dict.fromkeys(a.country for a in source + target if a.country and len(a.country) == 3))
    if len(codes) >= 2:
        state.pair = codes[:2]
    start, end = state.offset + sent.start_char, state.offset + sent.end_char
    return Event(
        type=type_,
        mode=mode,
        context=_contexts(span_text(sent), type_),
        cameo=cameo or CAMEO_ROOT.get(type_, ""),
        source=source,
        target=target,
        evidence=(Evidence(start, end, state.text[start:end] if state.text else span_text(sent)),),
        date=day.isoformat() if day else None,
        date_precision=precision,
        date_end=when.last.isoformat() if when.last else None,
        date_source=when.source if day else None,
        date_reason=None if day else (when.reason or "unsupported"),
        place=place,
        relation_level=relation_level if type_ == "SUPPORT" else None,
        relation_rank=level_rank(relation_level) if type_ == "SUPPORT" and relation_level else None,
        negated=negated,
        future=future,
        hypothetical=hypothetical,
        trigger=token.text if semantic_token.i == token.i else f"{token.text} … {semantic_token.text}",
    )


def _negated(token) -> bool:
    if any(c.dep_ == "neg" for c in token.children):
        return True
    head = token.head
    return token.dep_ in ("xcomp",) and any(c.dep_ == "neg" for c in head.children)


def _conditional(token) -> bool:
    return _condition(token) is not None


def _hypothetical(token) -> bool:
    return any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for t in _up(token, 3) for c in t.children)


def _future(token, markers=FUTURE_MARKERS) -> bool:
    """"will visit", "plans to sign", "is scheduled to meet", "will make a
    visit", "will include meetings": the trigger or the verb it hangs from
    looks forward."""
    t = token
    for _ in range(6):
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in markers for c in t.children):
            return True
        if t.dep_ in ("xcomp", "ccomp", "acl", "pcomp") and t.head.lemma_.lower() in FUTURE_GOVERNORS:
            return True
        if t.dep_ == "conj" and t.head.i != t.i:
            t = t.head
            continue
        # A noun trigger: climb to the verb it is the object or subject of,
        # but not out of "during the visit" and the like.
        if t.lower_ in CIRCUMSTANCE:
            break
        if (t.pos_ in ("NOUN", "PROPN", "ADP") or t.dep_ == "prep") and t.head.i != t.i and t.dep_ in OBJECTS | {"pobj", "prep", "compound"}:
            t = t.head
            continue
        break
    return False


DIRECTED = {"SUPPORT", "ACCUSE", "REQUEST", "THREATEN", "SANCTION", "COERCE", "AID"}
SPORTS = re.compile(r"\b(?:\d+\s*-\s*\d+|football|soccer|match|matches|tournament|goal|goals|cup|championship|league|team's|players|coach|striker|medal|olympic)\b", re.I)
EXPECTING = {"expect", "hope", "want", "wish", "aim", "seek", "predict", "anticipate", "forecast"}


def _expected(token) -> bool:
    """Under "expect", "hope" and the like: a forecast, not a deed."""
    return any(t.lemma_.lower() in EXPECTING for t in _up(token, 4))


# An alternative added here needs a word of it in HISTORY_WORDS below.
HISTORY = re.compile(r"\b(?:in the past|past struggle|during the (?:war|struggle|resistance)|in history|years ago|decades ago|laid by|"
                     r"founding father|anniversary|years of (?:establishing|diplomatic)|years since)\b|\bthen\s*-\s*", re.I)

# A word every match of HISTORY holds, looked for with the same case folding: the clause is words of
# its sentence, so a sentence with none of them has no clause HISTORY matches.
HISTORY_WORDS = re.compile(r"past|during|history|ago|laid|founding|anniversary|years|then", re.I)


def _clause_text(token) -> str:
    """The words of the clause a trigger stands in: the subtree of the
    nearest verb above it, less the relative clauses of other nouns ("asylum
    to rebels who entered two years ago")."""
    t = token
    while (t.i == token.i or t.pos_ not in ("VERB", "AUX")) and t.head.i != t.i:
        t = t.head
    own = {token.i} | {c.i for c in token.conjuncts}
    words = []
    stack = [t]
    while stack:
        x = stack.pop()
        words.append(x)
        for c in x.children:
            if c.dep_ in ("relcl", "acl") and x.i not in own:
                continue
            stack.append(c)
    return " ".join(w.text for w in sorted(words, key=lambda w: w.i))


ON_TERRITORY = {"CONCEDE", "RETREAT", "MOBILIZE", "COERCE", "ASSAULT", "PROTEST"}
PEOPLE = {"people", "resident", "protester", "demonstrator", "villager", "worker", "student", "farmer", "civilian",
          "crowd", "citizen", "supporter", "activist", "assailant", "attacker", "gunman", "militant", "rebel",
          "insurgent", "fighter", "troop", "soldier", "police", "policeman", "force", "guerrilla", "mob", "youth",
          "refugee", "migrant", "prisoner", "detainee", "miner", "teacher", "doctor", "nurse", "trader", "driver",
          "employee", "voter", "jihadist", "extremist", "separatist", "bomber", "sniper", "army", "militia"}
QUANTITY = {"hundred", "thousand", "dozen", "million", "score", "group", "number", "band", "crowd"}


def _group_subject(token):
    """The subject of the trigger (or of the verb it hangs from), when it is
    a group of people rather than a named actor: "protesters", "hundreds of
    people", "gunmen"."""
    for t in (token, token.head):
        for c in t.children:
            if c.dep_ not in ("nsubj", "nsubjpass", "agent"):
                continue
            subject = c
            if c.dep_ == "agent":
                subject = next((g for g in c.children if g.dep_ == "pobj"), c)
            if subject.lemma_.lower() in QUANTITY:
                subject = next((g for p in subject.children if p.dep_ == "prep" and p.lower_ == "of"
                                for g in p.children if g.dep_ == "pobj"), subject)
            if subject.lemma_.lower() in PEOPLE and subject.pos_ in ("NOUN", "PROPN"):
                return subject
        if t.pos_ == "VERB":
            break
    return None
DOMESTIC = {"ACCUSE", "REQUEST", "THREATEN", "CONCEDE", "COERCE", "PROTEST"}


@lru_cache(maxsize=256)  # a sentence's events are asked about one after another
def _context_names(text: str) -> tuple[str, ...]:
    return tuple(name for name, words in contexts() if words.search(text))


def _contexts(text: str, type_: str) -> tuple[str, ...]:
    found = list(_context_names(text))
    if not found and type_ in ("CONSULT", "SUPPORT", "AGREE"):
        found = ["diplomatic"]
    return tuple(found[:3])
