"""Who did what to whom: source and target actors of a trigger, from the
dependency parse.

The subject (or the agent of a passive, the possessor of a noun: "his
visit") is the source; the object, or the noun phrase after "with", "to",
"against", is the target; "talks between A and B" and joint subjects make
joint actors.  A phrase is searched for names first in its core (the head
and its modifiers), then without its clauses, places and times, then whole.
Pronouns, "the two sides" and role references resolve through the article's
``ActorIndex``.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..models import Actor
from ..nlp.actors import COLLECTIVE, ActorMention
from ..nlp.text import doc_text, span_text
from .lexicon import Trigger, actor_sectors
from .state import DocState
from .triggers import OBJECTS, lookup, lookup_is_frame
from .where import _place, _place_of

SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
NOMINAL = {"NOUN", "PROPN"}  # "ODA" is tagged as a proper noun
HOSTILE = {"ACCUSE", "THREATEN", "PROTEST", "ASSAULT", "REJECT", "SANCTION", "COERCE"}
PRUNE_PREPS = {"in", "at", "during", "on", "after", "before", "since", "following", "within", "amid", "under",
               "throughout", "as", "via", "through", "despite", "until", "from", "by", "near", "along", "across",
               "around", "outside", "inside", "beyond", "off", "about", "regarding", "concerning"}
LIGHT_VERBS = {"hold", "have", "conduct", "pay", "make", "begin", "start", "conclude", "end", "wrap", "attend",
               "undertake", "co-chair", "chair", "complete", "continue", "launch", "host", "join", "take", "give",
               "be", "mark", "open", "organise", "organize", "stage", "resume", "receive", "announce", "extend",
               "enjoy", "describe", "welcome", "appreciate", "express", "affirm", "reaffirm", "voice", "convey",
               "show", "demonstrate", "reiterate", "sign", "adopt", "issue", "release", "witness", "agree"}
PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers"}
THING_PRONOUNS = {"it", "its"}
GROUP_PRONOUNS = {"they", "them", "their", "we", "us", "our", "both", "each"}
SPEAKER_PRONOUNS = {"i", "me", "my"}
REPORTING = {"say", "tell", "add", "note", "stress", "emphasise", "emphasize", "affirm", "declare", "state", "tweet",
             "remark", "highlight", "underline"}
GUESTS = {"delegation", "guest", "visitor", "leader", "president", "minister", "counterpart", "team", "mission",
          "envoy", "ambassador", "official", "king", "queen", "premier", "pm", "chancellor", "secretary", "chairman",
          "speaker", "prince", "emir", "sultan", "head", "dignitary", "member", "representative", "diplomat", "people"}
NOT_ACTORS = {"language", "languages", "border", "borders", "frontier", "side", "time", "currency", "coast", "waters",
              "cuisine", "culture", "style", "version", "model", "food", "dish", "music", "film", "films", "word", "name",
              "origin", "descent", "dollar", "dollars", "yen", "yuan", "won", "rupee", "rupees", "ringgit", "dong"}
ORG_MODIFIED = {"country", "countries", "state", "states", "member", "members", "nation", "nations", "summit", "meeting",
                "framework", "way", "region", "standard", "standards", "charter", "spirit"}
CORE_DEPS = {"det", "amod", "compound", "poss", "nmod", "nummod", "case", "punct", "quantmod", "npadvmod", "advmod"}
SETTINGS = {"sideline", "sidelines", "occasion", "basis", "behalf", "margin", "margins", "eve", "way", "side", "framework",
            "spirit", "context", "level", "platform"}
PREP_ORDER = ("with", "to", "against", "on", "toward", "towards", "into", "upon", "over", "from", "for", "of")


def _up(token, steps: int):
    """The token and up to ``steps`` heads above it."""
    t = token
    for _ in range(steps + 1):
        yield t
        if t.head.i == t.i:
            return
        t = t.head


def _condition(token):
    """The "unless" (or "if") clause hanging from the trigger, its frame, or
    the clause it frames ("threatened to stop talks if the US goes ahead")."""
    below = [c for c in token.children if c.dep_ in ("xcomp", "ccomp")]
    for t in list(_up(token, 2)) + below:
        for c in t.children:
            if (c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in ("unless", "if") for g in c.children)) or (
                    c.dep_ == "prep" and c.lower_ == "unless"):
                return c
    return None


def _condition_subject(token, state: DocState) -> tuple[Actor, ...]:
    """The subject of an "unless" or "if" clause under the trigger."""
    clause = _condition(token)
    for g in (clause.children if clause is not None else ()):
        if g.dep_ in ("nsubj", "nsubjpass"):
            found = _span_actors(g, state)
            if found:
                return found
    return ()


def _object_is_thing(token, state: DocState) -> bool:
    """The verb's direct object is a thing, not a guest: "welcomed the
    state visit", "welcomed Reagan's statement", "meeting the interests"."""
    for c in token.children:
        if c.dep_ in ("dobj", "obj"):
            if _is_pronoun(c):
                return False
            if c.pos_ == "NOUN" and (lookup(c) or c.lemma_.lower() not in GUESTS):
                return True
            ranges = _phrase_ranges(c, "core")
            return not any(state.index.within(state.offset + s, state.offset + e) for s, e in ranges)
    return False


def _invitation(token, sent, state: DocState):
    """"an invitation from PM Chính to PM Asadov to visit Việt Nam": the
    inviter is the source, the invited the target."""
    scope = token.head if token.pos_ in NOMINAL and token.head.pos_ == "VERB" else token
    source: list[Actor] = []
    target: list[Actor] = []
    for t in scope.subtree:
        if t.dep_ == "prep" and t.lower_ in ("from", "to", "by"):
            for g in t.children:
                if g.dep_ != "pobj":
                    continue
                found = [a for a in _span_actors(g, state) if a.kind == "person" or t.lower_ != "to"]
                (source if t.lower_ in ("from", "by") else target).extend(found)
    if not source:
        source = list(_subject_actors(scope, sent, state))
    if not target and token.pos_ == "VERB":
        target = [a for c in token.children if c.dep_ in OBJECTS for a in _span_actors(c, state)]
    return _dedupe(source), _dedupe(target)


def _actors(token, semantic_token, trig: Trigger, semantic: Trigger, sent, state: DocState):
    flags = semantic.flags
    between = _between(semantic_token, state) or _between(token, state)
    subj = _noun_agent(token, sent, state) if token.pos_ in NOMINAL else ()
    if not subj:
        subj = _subject_actors(token, sent, state)
    if not subj and semantic_token.i != token.i:
        subj = (_noun_agent(semantic_token, sent, state) if semantic_token.pos_ in NOMINAL else ()) or _subject_actors(semantic_token, sent, state)
    obj = _object_actors(semantic_token, sent, state, semantic)
    if not obj and semantic_token.i != token.i:
        obj = _object_actors(token, sent, state, trig)
    if between:
        if trig.mode in ("host", "third-party") or semantic.mode in ("host", "third-party"):
            return subj, between  # "launched a mediation effort between the Emirates and Saudi Arabia"
        return _dedupe(subj + between), ()
    if "visit" in flags:
        if semantic_token.pos_ in NOMINAL and not _noun_agent(semantic_token, sent, state) and not _light(semantic_token):
            # "reaffirmed the importance of this visit": the article's visit, not the speaker's
            if state.visit and not obj:
                return (_country_actor(state.visit[0], state),), (_country_actor(state.visit[1], state),)
            if not obj:
                return (), ()
        if not obj:
            host = _visit_host(semantic_token, sent, state, subj)
            obj = (host,) if host else ()
        if not subj and obj and state.visit and state.visit[1] == obj[0].country:
            subj = (_country_actor(state.visit[0], state),)
        if not subj and obj:
            # a tangled parse: the last person named before the visit who is not the host
            host = {a.country for a in obj}
            before = [m for m in state.index.within(state.offset + sent.start_char, state.offset + semantic_token.idx)
                      if m.person and m.actor.country and m.actor.country not in host]
            if before:
                subj = (before[-1].actor,)
        return subj, obj
    if "host" in flags or "meet" in flags:
        if not subj and obj and state.visit:
            # "talks with PM Wong" during the article's visit: the other side talks
            visitor, host = state.visit
            other = {host: visitor, visitor: host}.get(obj[0].country)
            if other:
                subj = (_country_actor(other, state),)
        if not subj and "host" in flags:
            # "an honour to host my friend Prime Minister Chinh here in Canberra"
            place = _place(semantic_token, sent, state, (), obj, "host")
            if place and place.country and place.country not in {a.country for a in obj}:
                subj = (_country_actor(place.country, state),)
        return subj, obj
    if {"relation", "sign"} & flags:
        joint = _dedupe(subj + obj)
        if len({a.country for a in joint}) < 2:
            # "Elevating our ties ... places Australia and Vietnam among each other's partners"
            named = _dedupe(m.actor for m in state.index.within(state.offset + sent.start_char, state.offset + sent.end_char)
                            if m.actor.kind == "country" and m.actor.country)
            if len(named) == 2:
                joint = named
        return joint, ()
    return subj, obj


def _light(noun) -> bool:
    """A noun carried by a light verb ("paid a visit", "is on a visit"):
    the verb's subject does what the noun says."""
    head = noun.head
    if noun.dep_ in OBJECTS | {"attr"} and head.lemma_.lower() in LIGHT_VERBS:
        return True
    return noun.dep_ == "pobj" and head.lower_ in ("on", "for") and head.head.lemma_.lower() in ("be", "arrive", "come", "go")


def _dedupe(actors) -> tuple[Actor, ...]:
    """One actor per country: a person outranks the country's name or
    its party ("General Secretary of the CPV Tô Lâm" is Tô Lâm)."""
    best: dict[str, Actor] = {}
    order: list[str] = []
    for a in actors:
        k = a.country or a.name
        if k not in best:
            best[k] = a
            order.append(k)
        elif best[k].kind != "person" and a.kind == "person":
            best[k] = a
    return tuple(best[k] for k in order)


def _span_actors(token, state: DocState, prune: bool = True,
                 modes: tuple[str, ...] = ("core", "pruned", "full")) -> tuple[Actor, ...]:
    """Actors named in the phrase headed by ``token`` (conjuncts included):
    first its core (the head, its modifiers, "of" phrases: "Poland's
    parliament", "Prime Minister of Azerbaijan Ali Asadov"), then the phrase
    without its clauses, places and times, then all of it ("rebels in the
    Ivory Coast")."""
    heads = [token] + list(token.conjuncts) if token.dep_ != "conj" else [token]
    out: list[Actor] = []
    for head in heads:
        lower = head.lower_
        if _is_pronoun(head) or lower == "who":
            out.extend(_pronoun(head, state))
            continue
        found: list[ActorMention] = []
        for mode in (modes if prune else ("full",)):
            for s, e in _phrase_ranges(head, mode):
                found.extend(state.index.within(state.offset + s, state.offset + e))
            if found:
                break
        # "Bosnian Serbs", "Greek Cypriots": the first word places the people the second names
        found = [m for i, m in enumerate(found)
                 if not (i and m.how == "demonym" and found[i - 1].how == "demonym" and m.start == found[i - 1].end + 1)]
        head_start, head_end = state.offset + head.idx, state.offset + head.idx + len(head)
        if any(m.end <= head_start for m in found) and any(m.start >= head_end for m in found):
            # "the Turkish and Greek sides of the island of Cyprus": the modifiers name the actors
            found = [m for m in found if m.end <= head_start]
        if any(m.start < head_end <= m.end for m in found):
            # "the Albanians of southern Serbia": the head names the actor; what follows only places it
            found = [m for m in found if m.start < head_end]
        if not found:
            # a name the parser cut in pieces ("Sheikh Hamad | bin Khalifa al-Thani")
            found = state.index.within(state.offset + head.idx, state.offset + head.idx + len(head), overlap=True)
        found = [m for m in found if not (m.person and state.index.people[m.person].late) and not _modifier_only(m, head, state)]
        if found:
            sector = actor_sectors().get(head.lower_) or actor_sectors().get(head.lemma_.lower())
            out.extend(replace(m.actor, sector=sector) if sector and m.actor.kind != "person" else m.actor for m in found)
            continue
        phrase = doc_text(head.doc)[head.left_edge.idx:head.right_edge.idx + len(head.right_edge)]
        if COLLECTIVE.search(phrase) or (head.lemma_.lower() in ("side", "leader", "country", "nation", "party", "government")
                                         and re.search(r"\b(?:two|both|the sides|the leaders|bilateral)\b", phrase, re.I)):
            out.extend(_pair(state))
            continue
        for p in (c for c in head.children if c.dep_ == "poss"):
            out.extend(_span_actors(p, state))
    return _dedupe(out)


def _modifier_only(mention: ActorMention, head, state: DocState) -> bool:
    """"an ASEAN country", "the UN Charter", "the Russian language", "the
    Thai border": a name that only qualifies another noun is no actor."""
    if mention.actor.kind == "person":
        return False
    heads = ORG_MODIFIED if mention.actor.kind == "org" else NOT_ACTORS
    start = mention.start - state.offset
    end = mention.end - state.offset
    for t in head.subtree:
        if t.idx == start:
            last = t
            while last.idx + len(last) < end and last.i + 1 < len(last.doc):
                last = last.doc[last.i + 1]
            # the noun it qualifies lies outside the name ("Ivory Coast" is a name, not a coast)
            return last.dep_ in ("compound", "amod", "nmod") and last.head.idx >= end and last.head.lower_ in heads
    return False


def _phrase_ranges(head, mode: str) -> list[tuple[int, int]]:
    """Character ranges of the phrase headed by ``head``.

    ``core``: the head with its modifiers, nominal conjuncts, "of" phrases
    and appositions of a bare noun; ``pruned``: the whole phrase less its
    clauses, places and times; ``full``: the whole subtree."""
    if mode == "core":
        keep: list[tuple[int, int]] = []
        stack = [head]
        while stack:
            t = stack.pop()
            keep.append((t.idx, t.idx + len(t)))
            for c in t.children:
                nominal_conj = c.dep_ in ("conj", "cc") and c.pos_ not in ("VERB", "AUX")
                of = c.dep_ == "prep" and c.lower_ == "of"
                appos = c.dep_ == "appos" and t.pos_ == "NOUN"
                if c.dep_ in CORE_DEPS or nominal_conj or appos:
                    stack.append(c)
                elif of or (t.dep_ == "prep" and t.lower_ == "of" and c.dep_ == "pobj"):
                    stack.append(c)
        return _merge_ranges(keep)
    start = head.left_edge.idx
    end = head.right_edge.idx + len(head.right_edge)
    if mode == "full":
        return [(start, end)]
    skip: list[tuple[int, int]] = []
    for t in head.subtree:
        if t.i == head.i:
            continue
        clause = t.dep_ in ("relcl", "acl", "advcl", "ccomp") or (t.dep_ == "conj" and t.pos_ in ("VERB", "AUX"))
        if clause or (t.dep_ == "prep" and t.lower_ in PRUNE_PREPS):
            skip.append((t.left_edge.idx, t.right_edge.idx + len(t.right_edge)))
    ranges = [(start, end)]
    for s, e in sorted(skip):
        new = []
        for a, b in ranges:
            if e <= a or s >= b:
                new.append((a, b))
            else:
                if a < s:
                    new.append((a, s))
                if e < b:
                    new.append((e, b))
        ranges = new
    return ranges


def _merge_ranges(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _pronoun(token, state: DocState) -> list[Actor]:
    """Whom a pronoun stands for.

    A pronoun in a clause reported by its subject ("Nigeria announced that
    it will...", "Bouteflika said he is...") stands for that subject; a
    possessive ("his talks", "their first meeting") for its own clause's
    subject; "who" for the noun its clause hangs from; otherwise "he" is the
    last person named, "it" the last country or body, "they" the pair the
    article is about."""
    lower = token.lower_
    if lower == "who":
        return list(_span_actors(token.head.head, state)) if token.head.dep_ == "relcl" else []
    if lower in SPEAKER_PRONOUNS:
        return _speaker(token, state)
    verb = token.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    # A possessive or object pronoun stands for the subject of its clause, or
    # of the clause above ("he was expecting ... during his visit"); "his"
    # and "her" only for a person.
    if token.dep_ in ("poss", "dobj", "pobj"):
        v = verb
        for _ in range(4):
            for c in v.children:
                # not the subject that holds the pronoun itself ("his spouse")
                if c.dep_ in SUBJECTS and c.right_edge.i < token.i:
                    if _is_pronoun(c):
                        return _pronoun(c, state)
                    found = [a for a in _span_actors(c, state) if lower not in PERSON_PRONOUNS or a.kind == "person"]
                    if found:
                        return found
            if v.head.i == v.i:
                break
            v = v.head
    # the subject of the reporting clause above
    clause = verb
    while clause.dep_ in ("xcomp", "conj", "aux") and clause.head.i != clause.i:
        clause = clause.head
    if clause.dep_ in ("ccomp", "advcl") and clause.head.i != clause.i:
        for c in clause.head.children:
            if c.dep_ in SUBJECTS and not _is_pronoun(c):
                found = _span_actors(c, state)
                if found:
                    return list(found)
    if lower in PERSON_PRONOUNS:
        m = state.index.last_person_before(state.offset + token.idx)
        return [m.actor] if m else []
    if lower in THING_PRONOUNS:
        m = state.index.last_actor_before(state.offset + token.idx, kinds=("country", "org"))
        return [m.actor] if m else []
    return _pair(state)


def _speaker(token, state: DocState) -> list[Actor]:
    """Who says "I": the person the sentence reports ("'I will first hold a
    meeting,' Zardari said"), else the speaker the article names ("Remarks
    by Prime Minister Lawrence Wong at ...")."""
    for t in token.sent:
        if t.lemma_.lower() in REPORTING:
            for c in t.children:
                if c.dep_ == "nsubj" and not _is_pronoun(c):
                    found = [a for a in _span_actors(c, state) if a.kind == "person"]
                    if found:
                        return found[:1]
    return [state.speaker] if state.speaker else []


def _pair(state: DocState) -> list[Actor]:
    pair = state.pair or tuple(state.index.salient_countries()[:2])
    return [_country_actor(c, state) for c in pair]


def _country_actor(code: str, state: DocState) -> Actor:
    entry = state.index.gaz.countries.get(code)
    return Actor(name=entry.name if entry else code, country=code, sector="GOV", kind="country")


def _subject_actors(token, sent, state: DocState) -> tuple[Actor, ...]:
    t = token
    for _ in range(6):
        agent = [g for c in t.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if agent:
            return _span_actors(agent[0], state)
        if t.i == token.i and _passive(t) and not lookup_is_frame(t):
            return ()  # "was attacked": the passive subject is the target
        subj = [c for c in t.children if c.dep_ in SUBJECTS]
        if subj:
            s = subj[0]
            if s.lower_ in ("who", "which", "that") and t.dep_ == "relcl":
                return _span_actors(t.head, state)
            found = _span_actors(s, state)
            if found:
                return found
            return ()
        if t.dep_ in ("xcomp", "conj", "advcl", "ccomp", "pcomp", "acl", "relcl", "acomp") and t.head.i != t.i:
            if t.dep_ in ("acl", "relcl") and t.head.pos_ in ("NOUN", "PROPN"):
                found = _span_actors(t.head, state)
                if found:
                    return found
            t = t.head
            continue
        if t.dep_ == "pobj" and t.head.dep_ == "prep":
            t = t.head.head
            if t.pos_ in NOMINAL:  # "Remarks by PM Wong at the press conference with ..."
                agent = _by_agent(t, state)
                if agent:
                    return agent
            continue
        if t.dep_ == "pcomp" or t.dep_ == "prep":  # "his delight at visiting Malaysia"
            t = t.head
            continue
        if t.dep_ in OBJECTS | {"nsubjpass"} and t.head.i != t.i:
            t = t.head
            continue
        break
    return ()


def _by_agent(noun, state: DocState) -> tuple[Actor, ...]:
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ == "by":
            return tuple(a for g in c.children if g.dep_ == "pobj" for a in _span_actors(g, state))
    return ()


def _noun_agent(token, sent, state: DocState) -> tuple[Actor, ...]:
    """The doer of a noun trigger: "his visit", "Xi's arrival", "the visit
    of To Lam", "the state visit by General Secretary Lâm"."""
    for c in token.children:
        if c.dep_ == "poss":
            return _span_actors(c, state)
    trig = lookup(token)
    agentive_of = trig is not None and bool({"visit", "meet", "host"} & trig.flags)
    for c in token.children:
        # "the visit of To Lam" names the visitor; "the suspension of air links" names what is suspended
        if c.dep_ == "prep" and (c.lower_ == "by" or (c.lower_ == "of" and agentive_of)):
            for g in c.children:
                if g.dep_ == "pobj":
                    found = _span_actors(g, state)
                    if found:
                        return found
    for c in token.children:
        if c.dep_ in ("amod", "compound"):
            start, end = c.left_edge.idx, c.right_edge.idx + len(c.right_edge)
            found = [m.actor for m in state.index.within(state.offset + start, state.offset + end)]
            if found:
                return tuple(found)
    return ()


def _object_actors(token, sent, state: DocState, trig: Trigger) -> tuple[Actor, ...]:
    """The target: a passive subject ("a camp was attacked"), else the
    direct object ("congratulated Tô Lâm"; for an event noun, its doer:
    "appreciated the visit by Lâm"), else the first prepositional object in
    the order of ``PREP_ORDER``, else the subject or object of the clause
    the trigger frames ("demanded that the US cancel", "urged X to")."""
    if _passive(token) and not lookup_is_frame(token):
        for c in token.children:
            if c.dep_ == "nsubjpass":
                found = _span_actors(c, state)
                if found:
                    return found
    out: list[Actor] = []
    for c in token.children:
        if c.dep_ in OBJECTS and c.lower_ not in ("that",):
            if _own_thing(c, state):
                continue  # "re-open its borders to UN peacekeepers": the target is further on
            # "appreciated the visit by Lâm", "demanded an admission by Moscow": the doer is the target
            agent = (_noun_agent(c, sent, state) if lookup(c) else _by_agent(c, state)) if c.pos_ == "NOUN" else ()
            # what an agreement says ("that will allow ... to counter China") names no party to it
            modes = ("core", "pruned") if {"sign", "relation"} & trig.flags else ("core", "pruned", "full")
            out.extend(agent or _span_actors(c, state, modes=modes))
    if out:
        return _dedupe(out)
    found = _prepositional_target(token, trig, state)
    if found:
        return found
    for c in token.children:
        if c.dep_ in ("xcomp", "ccomp"):
            for g in c.children:
                if g.dep_ in ("nsubj", "nsubjpass") and c.dep_ == "ccomp":
                    out.extend(_span_actors(g, state))
            if not out:
                for g in c.children:
                    if g.dep_ in OBJECTS:
                        out.extend(_span_actors(g, state))
            if out:
                return _dedupe(out)
    if token.pos_ in NOMINAL and token.dep_ in OBJECTS and token.head.lemma_.lower() in LIGHT_VERBS:
        # "held talks with X", "opened investigations against X": the verb carries the noun's object
        return _prepositional_target(token.head, trig, state)
    return _dedupe(out)


def _prepositional_target(token, trig: Trigger, state: DocState) -> tuple[Actor, ...]:
    """The actors of the first prepositional object of ``token``, in the
    order of ``PREP_ORDER`` ("at" too for hostile acts: "protest at")."""
    preps = {}
    for c in token.children:
        if c.dep_ in ("prep", "dative") and c.lower_ not in preps:
            preps[c.lower_] = c
    for word in PREP_ORDER + (("at",) if trig.type in HOSTILE else ()):
        c = preps.get(word)
        if c is None or (word in ("on", "for", "from") and "visit" in trig.flags):
            continue
        found = [a for g in c.children if g.dep_ == "pobj" and g.lemma_.lower() not in SETTINGS
                 for a in _span_actors(g, state)]
        if found:
            return _dedupe(found)
    return ()


def _is_pronoun(token) -> bool:
    """"he", "its", "they", "us", "I" (but not "the US")."""
    return token.lower_ in PERSON_PRONOUNS | THING_PRONOUNS | GROUP_PRONOUNS | SPEAKER_PRONOUNS and token.pos_ == "PRON"


def _own_thing(token, state: DocState) -> bool:
    """A noun owned by a pronoun ("its borders", "their forces") that names
    no actor of its own."""
    if not any(c.dep_ == "poss" and _is_pronoun(c) for c in token.children):
        return False
    own = [r for r in _phrase_ranges(token, "core")]
    return not any(m for s, e in own for m in state.index.within(state.offset + s, state.offset + e))


def _passive(token) -> bool:
    return token.pos_ == "VERB" and any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children)


def _between(token, state: DocState) -> tuple[Actor, ...]:
    """"talks between A and B": joint actors.  When the parse tangles the
    phrase, the words from "between" to the end of the clause are read."""
    sent, doc = token.sent, token.doc
    low = span_text(sent).lower()  # no character outside ASCII lower-cases to a letter of these words
    if "between" not in low and "among" not in low:
        return ()
    following = doc[token.i + 1:min(sent.end, token.i + 7)]  # the six words after it, within its sentence
    word = next((t for t in following if t.lower_ in ("between", "among")), None)
    if word is not None and not any(t.lower_ in (",", ";", "which", "that") for t in following if t.i < word.i):
        end = next((t.idx for t in doc[word.i + 1:sent.end]
                    if t.lower_ in (",", ";", ".", "whose", "which", "who", "that")), sent.end_char)
        found = state.index.within(state.offset + word.idx, state.offset + end)
        actors = [m.actor for m in found if not (m.person and state.index.people[m.person].late)]
        if len({a.country for a in actors if a.country}) >= 2:
            return _dedupe(actors)
    for c in token.children:
        if c.dep_ == "prep" and c.lower_ in ("between", "among"):
            out = []
            for g in c.children:
                if g.dep_ == "pobj":
                    out.extend(_span_actors(g, state))
                    for conj in g.conjuncts:
                        out.extend(_span_actors(conj, state))
            if len({a.country for a in out}) >= 2:
                return _dedupe(out)
    return ()


def _visit_host(token, sent, state: DocState, visitor) -> Actor | None:
    """The host of a visit with no object: where the visit happens."""
    visitor_codes = {a.country for a in visitor}
    for c in list(token.children) + ([token.head] if token.dep_ in OBJECTS | {"pobj"} else []):
        if c.dep_ == "prep" and c.lower_ in ("to", "in", "at"):
            for g in c.children:
                place = _place_of(g, state)
                if place and place.country and place.country not in visitor_codes:
                    return _country_actor(place.country, state)
    if re.search(r"\b(?:here|this country)\b", span_text(sent)) and state.dateline and state.dateline.country and state.dateline.country not in visitor_codes:
        return _country_actor(state.dateline.country, state)
    if state.visit and state.visit[0] in visitor_codes:
        return _country_actor(state.visit[1], state)
    if visitor_codes and state.dateline and state.dateline.country and state.dateline.country not in visitor_codes:
        return _country_actor(state.dateline.country, state)
    return None


def _all_business(actors) -> bool:
    """"Indian and Australian businessmen": firms, not states."""
    return bool(actors) and all(a.sector == "BUS" for a in actors)


def _mentions_bilateral(text: str) -> bool:
    return bool(re.search(r"\b(?:bilateral|their|our|two countries|both countries|two sides|ties|relations)\b", text, re.I))
