"""Triggers: the words that tell an event, from the ontology's lexicon and the cue lexicons.

A trigger is a verb ("met"), an event noun ("talks", "the visit by Zhao"), a verb with its
object or particle ("imposed sanctions", "called on"), or a judgement ("called the deal a
mistake"). What a trigger only refers to (an event asked for, refused, or named as a thing)
is left out here, so each trigger found tells an event.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from diplograph.nlp.lexicon import EventType, Lexicon

EVENT_POS = {"VERB", "NOUN", "PROPN", "AUX"}
#: the children of a verb that can complete a phrase trigger ("imposed sanctions", "called on")
OBJECT_DEPS = frozenset({"dobj", "prt", "prep", "attr", "nsubjpass", "dative", "advmod"})
ANAPHORIC_DETERMINERS = {"the", "this", "that", "these", "those"}
#: categories whose object event is not told as happening
HYPOTHETICAL_FRAMES = frozenset({"REQUEST", "REJECT", "THREATEN"})


@dataclass(frozen=True)
class Trigger:
    """A token that signals an event, with the class it signals and how it was matched."""

    token: Token
    event_type: EventType
    form: str  # "verb", "noun" or "phrase"
    partner: Token | None = None  # the object or particle of a phrase trigger
    #: read from the CAMEO dictionary lexicon, not the ontology's (less sure)
    dictionary: bool = False


def _phrase(
    token: Token, lemma: str, phrases: dict[tuple[str, str], EventType]
) -> tuple[EventType, Token] | None:
    """The phrase trigger a verb heads with one of its objects or particles ("imposed
    sanctions", "called on"), and that partner."""
    for child in (*token.children, *_raised_subject(token)):
        if child.dep_ == "advcl":  # "called for Russia to agree": "for" marks the clause
            for mark in (g for g in child.children if g.dep_ == "mark" and g.i < child.i):
                if (phrase := phrases.get((lemma, mark.lower_))) is not None:
                    return phrase, mark
        if child.dep_ not in OBJECT_DEPS and child.head == token:
            continue
        for candidate in (child, *child.conjuncts, *_counted(child)):
            phrase = phrases.get((lemma, trigger_lemma(candidate)))
            if phrase is not None:
                # a raised subject is what is acted upon
                return phrase, candidate if child.head != token else child
        if child.dep_ == "prep":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            for counted in (pobj, *_counted(pobj)) if pobj is not None else ():
                phrase = phrases.get((lemma, trigger_lemma(counted)))
                if phrase is not None:  # "agreed to all of the terms": the terms
                    return phrase, counted
    return None


def find_triggers(doc: Doc, lexicon: Lexicon) -> list[Trigger]:
    """Every trigger in the document, a verb-led one winning over the noun it governs."""
    triggers: dict[int, Trigger] = {}
    for token in doc:
        if token.pos_ not in EVENT_POS or (token.is_stop and token.pos_ not in {"VERB", "NOUN"}):
            continue
        lemma = trigger_lemma(token)
        if token.pos_ in {"VERB", "AUX"}:
            found = _phrase(token, lemma, lexicon.phrases)
            if found is not None:
                triggers[token.i] = Trigger(token, found[0], "phrase", found[1])
                continue
            verb = lexicon.verbs.get(lemma)
            dictionary = verb is None
            if dictionary and token.dep_ not in {"relcl", "acl"}:
                # a dictionary verb is less sure: not in a clause that describes a noun
                verb = lexicon.dictionary_verbs.get(lemma)
            if token.dep_ == "acl" and token.tag_ == "VBG":
                verb = None  # "the coalition fighting in Yemen" describes, does not tell
            if verb is not None and token.pos_ == "VERB" and not _states_a_fact(token, lexicon):
                verb = _figurative(token, verb, lexicon)
                triggers[token.i] = Trigger(token, verb, "verb", None, dictionary)
            continue
        noun = noun_event_type(token, lexicon)
        if noun is not None and not _anaphoric(token):
            triggers[token.i] = Trigger(token, noun, "noun")
    # a noun that a verb trigger acts upon ("condemned the attack", "lift the ban") is the
    # object of that event, not an event of its own
    result = []
    for trigger in triggers.values():
        if trigger.form == "noun":
            noun = trigger.token
            governor = noun.head if noun.dep_ in {"dobj", "nsubjpass", "attr", "oprd"} else None
            if noun.dep_ == "pobj" and noun.head.dep_ == "prep":  # "called for talks"
                governor = noun.head.head
            other = triggers.get(governor.i) if governor is not None else None
            if other is not None and other.form != "noun":
                # what is asked for, refused or threatened has not happened ("ruled out talks
                # with Putin"); an act on an event with its own actors tells that event too
                if other.event_type.category in HYPOTHETICAL_FRAMES:
                    continue
                if noun.dep_ != "pobj" and not _has_participant(noun):
                    continue
            if any(t.partner == trigger.token for t in triggers.values()):
                continue
            if (
                noun.dep_ == "dobj"
                and noun.head.pos_ == "VERB"
                and noun.head.i not in triggers
                and (governor_lemma := trigger_lemma(noun.head)) not in lexicon.cues.light_verbs
                and governor_lemma not in lexicon.cues.speech_verbs
            ):  # "scrapping the agreements", "study the deal": a thing, not its telling;
                # but saying an act does it ("reiterated its support", "tweeted condemnation")
                continue
        result.append(trigger)
    # what a request asks for ("urged Beijing to lift the ban", "called for Russia to agree"),
    # a refusal refuses ("refused to recognise the ruling") or a threat threatens
    # ("threatened to impose sanctions") has not happened
    requested = {
        token.i
        for asker in result
        if asker.form != "noun" and asker.event_type.category in HYPOTHETICAL_FRAMES
        for clause in asked_clauses(asker.token, asker.event_type.category == "REQUEST")
        for token in clause.subtree
    }
    # and what a noun of asking, refusing or threatening names ("rejected Kenya's call for
    # talks", "the threat of sanctions"), whether or not the noun tells an event itself
    requested |= {
        token.i
        for asker in triggers.values()
        if asker.form == "noun" and asker.event_type.category in HYPOTHETICAL_FRAMES
        for phrase in asked_by_noun(asker.token)
        for token in phrase.subtree
    }
    # what one warns, votes or decides against doing ("cautioned X against supporting Y")
    requested |= {
        t.token.i for t in result if t.token.dep_ == "pcomp" and t.token.head.lower_ == "against"
    }
    # "agreed to restore relations" tells the restoring, as expected; the agreeing is its frame
    framing = {
        t.token.head.i
        for t in result
        if t.token.dep_ == "xcomp"
        and (frame := triggers.get(t.token.head.i)) is not None
        and frame.form == "verb"
        and trigger_lemma(frame.token) in lexicon.cues.framing_verbs
        and t.event_type.category not in {"AGREE", "REQUEST"}
    }
    return sorted(
        (t for t in result if t.token.i not in requested | framing), key=lambda t: t.token.i
    )


def find_evaluations(doc: Doc, lexicon: Lexicon, taken: set[int]) -> list[Trigger]:
    """Judgements that are acts: "called the deal a historic mistake", "described the move as
    an attempt to usurp power" (criticism), "called the expansion historic" (praise), and a
    speaker's "said the measures were unjustified". ``taken`` holds tokens already triggers."""
    cues = lexicon.cues
    found = []
    for token in doc:
        if token.i in taken or token.pos_ != "VERB":
            continue
        lemma = trigger_lemma(token)
        if lemma in cues.speech_verbs and urged_clause(token) is not None:
            found.append(Trigger(token, lexicon.by_subtype("REQUEST", "appeal"), "verb"))
            continue
        judged: list[Token] = []
        if lemma in cues.evaluation_verbs:
            for child in token.children:
                if child.dep_ in {"oprd", "xcomp", "acomp", "attr", "ccomp"}:
                    judged.append(child)
                elif child.dep_ == "prep" and child.lower_ == "as":
                    judged += list(child.children)  # "as a mistake", "as provocative"
        elif lemma in cues.speech_verbs:
            for clause in (c for c in token.children if c.dep_ == "ccomp"):
                if clause.lemma_ == "be" and any(c.dep_ == "nsubj" for c in clause.children):
                    judged += [c for c in clause.children if c.dep_ in {"acomp", "attr"}]
        words = {
            trigger_lemma(word)
            for head in judged
            for word in (head, *head.children, *(g for c in head.children for g in c.children))
            if word.dep_ in {"ROOT", "oprd", "xcomp", "acomp", "attr", "ccomp", "pobj", "amod"}
            or word.i == head.i
            or word.pos_ in {"VERB", "ADJ", "NOUN"}
        }
        if words & cues.negative_evaluations:
            found.append(Trigger(token, lexicon.by_subtype("ACCUSE", "criticism"), "verb"))
        elif words & cues.positive_evaluations:
            found.append(Trigger(token, lexicon.by_subtype("SUPPORT", "praise"), "verb"))
    return found


#: the entity types of works and laws: "attacked the Patriot Act", "attacked the film"
DISCOURSE_ENTITIES = frozenset({"WORK_OF_ART", "LAW"})


def _figurative(verb: Token, event_type: EventType, lexicon: Lexicon) -> EventType:
    """ "attacked the newspaper", "attacked Uganda's remarks": force aimed at words, a policy
    or the press (each object a discourse noun, a work or a law) is criticism."""
    if event_type.category != "ASSAULT":
        return event_type
    aimed = [c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}]
    if aimed and all(
        o.lemma_.lower() in lexicon.cues.discourse_nouns or o.ent_type_ in DISCOURSE_ENTITIES
        for o in aimed
    ):
        return lexicon.by_subtype("ACCUSE", "criticism")
    return event_type


#: tags of a finite verb in the indicative: "was", "is", "rejects"
INDICATIVE_TAGS = frozenset({"VBD", "VBZ", "VBP"})


def _states_a_fact(verb: Token, lexicon: Lexicon) -> bool:
    """ "insisted that the bloc was not trying to rival X": a speech verb that can demand
    ("insisted that X leave", "insisted that X must go") only tells a claim when its clause
    is in the indicative."""
    if trigger_lemma(verb) not in lexicon.cues.speech_verbs:
        return False
    for clause in (c for c in verb.children if c.dep_ == "ccomp"):
        finite = [clause, *(c for c in clause.children if c.dep_ in {"aux", "auxpass"})]
        if any(t.tag_ == "MD" for t in finite):
            return False
        if any(t.tag_ in INDICATIVE_TAGS for t in finite):
            return True
    return False


def _anaphoric(noun: Token) -> bool:
    """ "the agreement", "that deal": a noun that refers back to an event already told,
    with no participant of its own in the phrase."""
    if not any(c.dep_ == "det" and c.lower_ in ANAPHORIC_DETERMINERS for c in noun.children):
        return False
    return not _has_participant(noun)


def _has_participant(noun: Token) -> bool:
    """Whether an event noun names a participant of its own ("Iran's attack", "talks with")."""
    return any(
        (c.dep_ in {"poss", "compound", "amod", "nmod"} and c.ent_type_)
        or (
            c.dep_ == "prep"
            and c.lower_ in {"by", "with", "between", "to", "on", "against", "among"}
        )
        or (c.dep_ == "prep" and c.lower_ == "of" and any(map(_named, c.children)))
        for c in noun.children
    )


def _named(pobj: Token) -> bool:
    """ "the arrest of Navalny", "the overthrow of Mali's government": an object of "of" that
    names an actor, which makes an event noun tell an act on it, not refer back to one."""
    if pobj.dep_ != "pobj":
        return False
    return bool(pobj.ent_type_) or any(
        c.dep_ in {"poss", "compound"} and c.ent_type_ for c in pobj.children
    )


def _raised_subject(verb: Token) -> list[Token]:
    """ "sanctions are to be lifted", "the tariffs are set to be eased": a passive infinitive
    with no subject of its own acts upon the subject of the verb it completes."""
    if verb.dep_ != "xcomp" or not any(c.dep_ == "auxpass" for c in verb.children):
        return []
    if any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children):
        return []
    return [c for c in verb.head.children if c.dep_ in {"nsubj", "nsubjpass"}]


def asked_clauses(verb: Token, request: bool = True) -> list[Token]:
    """The clauses a verb of asking, refusing or threatening is about: its infinitive ("urged
    X to sit down and settle": both, "refused to recognise"); for a request also its clause
    with a subject of its own ("demanded that X withdraw", "called for X to lift")."""
    clauses = [c for c in verb.children if c.dep_ == "xcomp"]
    if request:
        clauses += [
            c
            for c in verb.children
            if c.dep_ == "ccomp"
            or (
                c.dep_ == "advcl"
                and any(g.dep_ in {"aux", "mark"} and g.lower_ in {"to", "for"} for g in c.children)
            )
        ]
    return clauses


#: words that count or group what follows them ("moved tens of thousands of troops", "a series
#: of exchanges")
QUANTITY_NOUNS = frozenset(
    {"ten", "hundred", "thousand", "million", "dozen", "score", "number", "batch", "wave"}
    | {"all", "some", "most", "many", "part", "half", "each", "one", "several"}
    | {"series", "round", "string", "spate", "flurry"}
)


def _counted(token: Token) -> list[Token]:
    """What a quantity counts: "tens of thousands of troops" gives the troops."""
    found: list[Token] = []
    current = token
    for _ in range(3):
        if current.lemma_.lower() not in QUANTITY_NOUNS:
            break
        of = next((c for c in current.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        current = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
        if current is None:
            break
        found.append(current)
    return found


def urged_clause(speech: Token) -> Token | None:
    """ "said the Council should consider easing sanctions": telling someone (named, not the
    speaker) what they should or must do is an appeal to them; the clause it asks for."""
    for clause in (c for c in speech.children if c.dep_ == "ccomp"):
        modal = any(
            c.dep_ == "aux" and c.lower_ in {"should", "must", "ought"} for c in clause.children
        )
        subject = next((c for c in clause.children if c.dep_ == "nsubj"), None)
        if modal and subject is not None and subject.pos_ == "PROPN":
            return clause
    return None


def find_told(doc: Doc, lexicon: Lexicon, taken: set[int]) -> list[Trigger]:
    """The lexicon's triggers and the judgements (``find_evaluations``), in text order,
    without what an appeal asks for ("should consider easing sanctions" has not happened).
    ``taken`` holds tokens that are triggers of another kind already."""
    found = find_triggers(doc, lexicon)
    judged = find_evaluations(doc, lexicon, taken | {t.token.i for t in found})
    urged = {
        token.i
        for appeal in judged
        if appeal.event_type.category == "REQUEST"
        and (clause := urged_clause(appeal.token)) is not None
        for token in clause.subtree
    }
    told = [t for t in found if t.token.i not in urged] + judged
    return sorted(told, key=lambda t: t.token.i)


def trigger_lemma(token: Token) -> str:
    """The lemma a trigger is looked up by ("anti-government" keeps its prefix)."""
    lemma = token.lemma_
    lemma = lemma.lower() if lemma else token.lower_
    if token.i >= 2:
        before = token.doc[token.i - 1]
        if before.text == "-" and not before.whitespace_:
            return f"{token.doc[token.i - 2].lower_}-{lemma}"
    return lemma


def noun_event_type(token: Token, lexicon: Lexicon) -> EventType | None:
    """The event class an event noun names, with its modifier ("trade war") if listed."""
    lemma = trigger_lemma(token)
    modifiers = [c for c in token.lefts if c.dep_ in {"compound", "amod", "nmod"}]
    for modifier in modifiers:
        hit = lexicon.nouns.get((trigger_lemma(modifier), lemma))
        if hit is not None:
            return hit
    if token.pos_ == "PROPN":
        return None
    noun = lexicon.nouns.get((lemma,))
    if noun is not None:  # "a call for talks", "its call on X to lift": the phrase's appeal
        for word in _asking_words(token):
            phrase = lexicon.phrases.get((lemma, word))
            if phrase is not None and phrase.category in HYPOTHETICAL_FRAMES:
                return phrase
    return noun


def _asking_words(noun: Token) -> list[str]:
    """What follows an event noun the way a verb phrase's particle follows its verb: its
    prepositions ("call for", "call on"), and "for" for an infinitive it asks for ("a call
    to the authorities to drop the charges")."""
    words = [c.lower_ for c in asked_by_noun(noun) if c.dep_ == "prep"]
    words += [c.lower_ for c in noun.children if c.dep_ == "prep" and c.i > noun.i]
    if any(is_infinitive(c) for c in noun.children if c.dep_ in {"acl", "relcl"}):
        words.append("for")
    return words


def is_infinitive(verb: Token) -> bool:
    """Whether a verb is a to-infinitive ("to attend")."""
    return verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


#: the prepositions that lead what an appeal, a refusal or a threat named by a noun is about
#: ("the call for a ceasefire", "the threat of sanctions", "a demand for relief")
ASKED_PREPOSITIONS = frozenset({"for", "of"})


def asked_by_noun(noun: Token) -> list[Token]:
    """What a noun of asking, refusing or threatening is about: its "for"/"of" phrase and its
    infinitive ("the refusal to attend"); the parse may hang the phrase on the verb whose
    object the noun is ("renewed its call on X for a ceasefire")."""
    children = list(noun.children)
    if noun.dep_ == "dobj":
        children += [c for c in noun.head.children if c.dep_ == "prep" and c.lower_ == "for"]
    return [
        c
        for c in children
        if (c.dep_ == "prep" and c.lower_ in ASKED_PREPOSITIONS and c.i > noun.i)
        or (c.dep_ in {"acl", "relcl"} and is_infinitive(c))
    ]
