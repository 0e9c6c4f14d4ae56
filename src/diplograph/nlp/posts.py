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
    for index in range(end - 1, start - 1, -1):
        mention = table.by_token.get(index)
        if mention is not None and mention.kind in {"State", "Organization"}:
            return mention.key
    return None


def _context(doc: Doc, mention: Mention) -> tuple[int, int] | None:
    """Where the title phrase of a person mention is: just before it, or its apposition head."""
    span = doc[mention.start : mention.end]
    root = span.root
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
        left -= 1
    return (left, start) if left < start else None


def read_posts(doc: Doc, table: ActorTable, doc_id: str, text: str) -> list[Post]:
    """Posts of every person mention, and the person's state when the context names it."""
    posts: dict[tuple[str, str, str | None], Post] = {}
    for mention in table.mentions:
        if mention.kind != "Person":
            continue
        window = _context(doc, mention)
        if window is None:
            continue
        left, right = window
        words = [t.text for t in doc[left:right]]
        title = _title_before(words, table.cues)
        owner = _state_near(table, left, right)
        record = table.records[mention.key]
        if owner is not None:
            owner_record = table.records[owner]
            if record.state is None and owner_record.state is not None:
                record.state = owner_record.state
        if title is None:
            continue
        evidence = sentence_evidence(doc[mention.start].sent, doc_id, text)
        key = (mention.key, title, owner)
        posts.setdefault(key, Post(mention.key, title, owner, evidence))
    # a post named without its state takes the person's state once known
    resolved: dict[tuple[str, str], Post] = {}
    for (person, title, owner), post in sorted(posts.items(), key=lambda kv: kv[0][2] is None):
        state = table.records[person].state
        if owner is None and state is not None:
            owner = table.state_record(state, None, named=False)
            post = Post(person, title, owner, post.evidence)
        resolved.setdefault((person, title), post)
    return sorted(resolved.values(), key=lambda p: (p.person, p.role))
