"""Offices people hold: "North Korean leader Kim Jong-un", "Singapore's prime minister, Lee".

Each post becomes a W3C ORG membership of the person in a state or body, dated by the
article; the state found beside the title also gives the person's state.
"""

from __future__ import annotations

from spacy.tokens import Doc

from diplograph.model import Post
from diplograph.nlp.actors import ActorTable, Mention
from diplograph.nlp.events import sentence_evidence
from diplograph.nlp.lexicon import Cues


def _title_before(words: list[str], cues: Cues) -> str | None:
    """The longest title word sequence that ``words`` ends with."""
    lowered = [w.lower().strip(",") for w in words]
    for title in cues.title_words:
        parts = title.split()
        if len(parts) <= len(lowered) and lowered[-len(parts) :] == parts:
            return title
    return None


def _state_near(table: ActorTable, start: int, end: int) -> str | None:
    """The state or body named in tokens ``start:end`` (the last one), or that a possessive
    there stands for ("its emir": the state "its" refers to)."""
    for index in range(end - 1, start - 1, -1):
        mention = table.by_token.get(index)
        if mention is not None and mention.kind in {"State", "Organization"}:
            return mention.key
        referred = table.coref.get(index, ())
        if (
            len(referred) == 1
            and table.doc[index].dep_ == "poss"
            and table.records[referred[0]].kind in {"State", "Organization"}
        ):
            return referred[0]
    return None


def _state_after(doc: Doc, table: ActorTable, mention: Mention) -> str | None:
    """ "President Ilse Varga of Austria": the state or body an "of" after the name names."""
    root = doc[mention.start : mention.end].root
    for prep in root.children:
        if prep.dep_ != "prep" or prep.lower_ != "of" or prep.i != mention.end:
            continue
        for obj in prep.children:
            found = table.by_token.get(obj.i)
            if obj.dep_ == "pobj" and found is not None and found.kind in {"State", "Organization"}:
                return found.key
    return None


def _context(doc: Doc, mention: Mention) -> tuple[int, int] | None:
    """Where the title phrase of a person mention is: just before it, or its apposition head."""
    span = doc[mention.start : mention.end]
    root = span.root
    if span.start >= 2 and doc[span.start - 1].text == "," and doc[span.start - 2].pos_ == "NOUN":
        head = doc[span.start - 2]  # "his North Korean counterpart, Choe Ryong-hae"
        left = min(t.i for t in head.subtree if t.i <= head.i)
        return left, head.i + 1
    if root.dep_ == "appos" and root.head.i < span.start:
        head = root.head
        left = min(t.i for t in head.subtree if t.i <= head.i)
        return left, head.i + 1
    start = span.start
    left = start
    while left > 0 and start - left < 6:
        previous = doc[left - 1]
        if (previous.is_punct and previous.text not in {"-", "."}) or previous.is_sent_end:
            break
        if previous.dep_ in {"det"} and previous.lower_ in {"a", "an", "the"}:
            break
        if previous.pos_ in {"VERB", "AUX"}:  # "Bogotá had agreed to all of Trump's terms"
            break
        left -= 1
    return (left, start) if left < start else None


def _apposition_after(doc: Doc, mention: Mention) -> tuple[int, int] | None:
    """Where a title told after the name is: "Maria Gonzalez, the Spanish foreign minister,"
    or "X, a Finnish diplomat," (the apposition up to its head word), or as what the person
    is or became ("X became the first Chilean leader to ...")."""
    span = doc[mention.start : mention.end]
    root = span.root
    heads = [c for c in root.children if c.dep_ == "appos" and c.i >= span.end]
    if root.dep_ == "nsubj" and root.head.lemma_.lower() in COPULAS:
        heads += [c for c in root.head.children if c.dep_ == "attr" and c.i >= span.end]
    for head in heads:
        left = min(t.i for t in head.subtree)
        return left, head.i + 1
    return None


#: verbs whose complement tells what their subject is ("X is the Chilean envoy")
COPULAS = {"be", "become", "remain"}


GENERIC_ROLES = {"official", "diplomat", "lawmaker"}
#: "who heads the parliament": the verbs that make their object the office held
HEADING_VERBS = {"head", "lead", "chair", "run", "command"}


def _clause_roles(doc: Doc, mention: Mention) -> list[str]:
    """Offices told in a relative clause: "Zhao Leji, who heads the parliament"."""
    root = doc[mention.start : mention.end].root
    roles = []
    for clause in root.children:
        if clause.dep_ != "relcl":
            continue
        for verb in (clause, *clause.conjuncts):
            if verb.lemma_.lower() not in HEADING_VERBS:
                continue
            for obj in verb.children:
                if obj.dep_ == "dobj" and obj.pos_ == "NOUN":
                    roles.append(f"head of {obj.lemma_.lower()}")
    return roles


def _counterpart_of(doc: Doc, table: ActorTable, mention: Mention, left: int, right: int):
    """The person whose counterpart this one is ("his North Korean counterpart, Choe")."""
    for token in doc[left:right]:
        if token.lemma_.lower() != "counterpart":
            continue
        for child in token.children:
            if child.dep_ == "poss":
                if child.i in table.coref:
                    return table.coref[child.i][0]
                found = table.by_token.get(child.i)
                if found is not None and found.kind == "Person":
                    return found.key
    return None


def find_posts(doc: Doc, table: ActorTable, doc_id: str, text: str) -> list[Post]:
    """Posts of every person mention, as told (the state may still be unknown); gives each
    person the state their title names. ``resolve_posts`` fills in the states later."""
    posts: dict[tuple[str, str, str | None], Post] = {}
    counterparts: list[tuple[str, str, object]] = []
    for mention in table.mentions:
        if mention.kind != "Person":
            continue
        window = _context(doc, mention)
        after = _apposition_after(doc, mention)
        if window is None and after is None:
            continue
        title = owner = None
        for found in (window, after):  # the title before the name, else the one after it
            if found is not None:
                words = [t.text for t in doc[found[0] : found[1]]]
                title = title or _title_before(words, table.cues)
                owner = owner or _state_near(table, *found)
        left, right = window or after
        if owner is None and title is not None:
            owner = _state_after(doc, table, mention)
        record = table.records[mention.key]
        if owner is not None:
            owner_record = table.records[owner]
            if record.state is None and owner_record.state is not None:
                record.state = owner_record.state
        evidence = sentence_evidence(doc[mention.start].sent, doc_id, text)
        for role in _clause_roles(doc, mention):
            posts.setdefault((mention.key, role, None), Post(mention.key, role, None, evidence))
        if title is None:
            counterpart = _counterpart_of(doc, table, mention, left, right)
            if counterpart is not None:
                counterparts.append((mention.key, counterpart, evidence))
            continue
        key = (mention.key, title, owner)
        posts.setdefault(key, Post(mention.key, title, owner, evidence))
    # "X's counterpart, Y": Y holds X's office in Y's own state
    for person, other, evidence in counterparts:
        for (holder, role, _), _post in list(posts.items()):
            if holder == other and role not in GENERIC_ROLES:
                posts.setdefault((person, role, None), Post(person, role, None, evidence))
    return list(posts.values())


def resolve_posts(posts: list[Post], table: ActorTable) -> list[Post]:
    """One post per person and office; a post named without its state takes the person's
    state once known."""
    resolved: dict[tuple[str, str], Post] = {}
    for post in sorted(posts, key=lambda p: p.organization is None):
        state = table.records[post.person].state
        if post.organization is None and state is not None:
            owner = table.state_record(state, None, named=False)
            post = Post(post.person, post.role, owner, post.evidence)
        resolved.setdefault((post.person, post.role), post)
    return sorted(resolved.values(), key=lambda p: (p.person, p.role))
