"""Which tokens are event triggers: lemma and part of speech from
``data/triggers.tsv``, with the object a trigger needs where it needs one."""

from __future__ import annotations

from ..nlp.text import span_text
from .lexicon import Trigger, find_relation_level, triggers

OBJECTS = {"dobj", "obj", "attr", "oprd", "dative"}
EXPRESS_VERBS = {"express", "voice", "show", "affirm", "reaffirm", "reiterate", "convey", "demonstrate", "state",
                 "emphasise", "emphasize", "stress", "underline", "declare"}
PARTICLES = {"up", "down", "out", "off", "back", "away", "aside", "over", "in", "on"}
RELATION_WORDS = {"relation", "relations", "tie", "ties", "relationship", "partnership", "cooperation"}


def lookup(token) -> Trigger | None:
    """The trigger a token is, if any: lemma and part of speech, with the
    object the trigger needs, when it needs one."""
    options = lookup_all(token)
    return options[0] if options else None


def lookup_all(token) -> list[Trigger]:
    """Every trigger a token may be, best fitting first: those whose object
    the token has, then those that need none."""
    pos = "VERB" if token.pos_ in ("VERB", "AUX") else token.pos_
    if pos == "PROPN":
        pos = "NOUN"
    lemma = token.lemma_.lower()
    if pos == "NOUN" and (token.dep_ in ("ROOT", "ccomp", "xcomp", "advcl", "relcl") or any(c.dep_ == "nsubj" for c in token.children)):
        pos = "VERB"  # "Vietnam always treasures ...": a verb the tagger took for a plural noun
    options = triggers().get((lemma, pos)) or (triggers().get((token.lower_, pos)) if pos == "NOUN" else None)
    if not options:
        return []
    objs = _objects(token) if any(t.objects is not None or "relation" in t.flags for t in options) else set()
    out = []
    for trig in options:
        if trig.objects is None or objs & trig.objects:
            if "expressed" in trig.flags and not _expressed(token):
                continue
            if "relation" in trig.flags and not _relation_ok(token, objs):
                continue
            out.append(trig)
    return out


def _objects(token) -> set[str]:
    """What a trigger's needed object may be in the token's words: the
    lemmas and forms of its objects, "@person" for a name, "@must" for a
    demand."""
    objs = _object_lemmas(token)
    if any(c.dep_ in OBJECTS and c.pos_ == "PROPN" for c in token.children):
        objs = objs | {"@person"}
    if any(c.dep_ == "ccomp" and any(g.dep_ == "aux" and g.lower_ in ("must", "should") for g in c.children)
           for c in token.children):
        objs = objs | {"@must"}  # "said the US must allocate more": a demand
    return objs


def _object_lemmas(token) -> set[str]:
    out = set()
    for child in token.children:
        if child.dep_ in ("advmod", "prep") and child.lower_ in PARTICLES:
            out.add(child.lower_)  # "stepped down", "pulled out of": particles the parser reads otherwise
        if child.dep_ in OBJECTS | {"nsubjpass", "pobj", "compound", "xcomp", "ccomp", "prt"}:
            out.add(child.lemma_.lower())
            out.add(child.lower_)
            for conj in child.conjuncts:
                out.add(conj.lemma_.lower())
            # "25,000 tons of food aid", "a series of agreements"
            for grand in child.children:
                if grand.dep_ == "prep" and grand.lower_ == "of":
                    out.update(g.lemma_.lower() for g in grand.children if g.dep_ == "pobj")
        if child.dep_ == "prep":
            for grand in child.children:
                if grand.dep_ == "pobj" and not _circumstance(child, grand):
                    out.add(grand.lemma_.lower())
                    out.add(grand.lower_)
                    for g2 in grand.children:
                        if g2.dep_ == "compound":
                            out.add(g2.lemma_.lower())
    # "the signing of documents": the noun's own "of" object
    if token.pos_ == "NOUN":
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for grand in child.children:
                    out.update(c.lemma_.lower() for c in grand.subtree if c.pos_ in ("NOUN", "PROPN"))
    # "cooperation documents were signed": a passive subject is the object
    if token.dep_ == "amod" or token.tag_ == "VBN":
        out.add(token.head.lemma_.lower())
    return out


CIRCUMSTANCE_PREPS = {"in", "at", "during", "since", "after", "before", "until", "near", "across", "throughout",
                      "following", "amid", "by", "within"}
CIRCUMSTANCE_ENTS = {"DATE", "TIME", "GPE", "LOC", "CARDINAL", "ORDINAL", "PERCENT", "QUANTITY", "MONEY"}


def _circumstance(prep, pobj) -> bool:
    """"held talks in March", "met in Hanoi": when and where, never what a
    trigger is about."""
    return prep.lower_ in CIRCUMSTANCE_PREPS or pobj.ent_type_ in CIRCUMSTANCE_ENTS


def _expressed(token) -> bool:
    head = token.head
    return (token.dep_ in OBJECTS and head.lemma_.lower() in EXPRESS_VERBS) or any(
        c.dep_ == "poss" for c in token.children)


def _relation_ok(token, objs: set[str]) -> bool:
    if objs & RELATION_WORDS:
        return True
    sent = span_text(token.sent)
    return find_relation_level(sent) is not None and token.lemma_.lower() not in ("lift", "raise", "restore")


def lookup_is_frame(token) -> bool:
    """"is committed to", "is prepared to": a frame in the passive voice is an adjective."""
    trig = lookup(token)
    return bool(trig and "frame" in trig.flags)
