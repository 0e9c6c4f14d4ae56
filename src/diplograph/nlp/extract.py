"""From articles to extractions: run the spaCy pipeline once over a stream, read each doc."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from diplograph.errors import error
from diplograph.gazetteer import Gazetteer
from diplograph.model import Article, Event, Extraction, Post
from diplograph.nlp.actors import ActorTable
from diplograph.nlp.chrome import mask_chrome
from diplograph.nlp.classify import EventClassifier, applied, classify_events, load_classifier
from diplograph.nlp.events import EventReader
from diplograph.nlp.lexicon import Lexicon, load_lexicon
from diplograph.nlp.posts import find_posts, resolve_posts


def read_doc(
    doc: Doc,
    article: Article,
    lexicon: Lexicon | None = None,
    gazetteer: Gazetteer | None = None,
    classifier: EventClassifier | None = None,
    *,
    classify: bool | None = None,
) -> Extraction:
    """Everything diplograph reads from one parsed article. With ``classify`` (by default
    ``DIPLOGRAPH_EVENT_CLASSIFIER=1``, off) the trained event classifier (the shipped
    one unless given) vetoes candidates the rules keep; without it the rules' confidence
    stays (what the classifier is trained on)."""
    if classify is None:
        classify = applied()
    lexicon = lexicon or load_lexicon()
    gazetteer = gazetteer or Gazetteer.load()
    table = ActorTable(doc, gazetteer, lexicon.cues, article.source, article.text)
    table.resolve()
    told = find_posts(doc, table, article.id, article.text)  # titles give people states
    _states_from_dictionary(table, gazetteer, told, article)  # then what is known of them
    reader = EventReader(doc, table, lexicon, article)
    events = reader.events()
    if classify:
        kinds = {key: record.kind for key, record in table.records.items()}
        events = classify_events(doc, events, kinds, classifier or load_classifier())
    _states_from_lead(table, told, events)  # what is only likely, once events are read
    posts = resolve_posts(told, table)
    wanted = (
        reader.participants
        | {p.person for p in posts}
        | {p.organization for p in posts if p.organization}
    )
    actors = tuple(
        actor for actor in table.actors() if table.records[actor.key].named or actor.key in wanted
    )
    for actor in actors:  # every state a kept actor belongs to is described too
        if actor.state and f"state/{actor.state}" not in {a.key for a in actors}:
            table.state_record(actor.state, None, named=False)
    keys = {a.key for a in actors} | {
        f"state/{a.state}" for a in actors if a.state and f"state/{a.state}" in table.records
    }
    actors = tuple(a for a in table.actors() if a.key in keys)
    involved = {a.key for a in table.actors() if table.records[a.key].named} | wanted
    mentions = {  # what the text names (a post's state it never names is described only)
        key: table.records[key].count for key in sorted(keys & involved) if table.records[key].count
    }
    return Extraction(article, actors, tuple(events), tuple(posts), mentions)


def _states_from_dictionary(
    table: ActorTable, gazetteer: Gazetteer, told: list[Post], article: Article
) -> None:
    """A person the text gives no state serves the one the actor dictionary knows on the
    article's day (by their fullest name, else another full name the article uses), never
    the state of a place where they acted; one the text gives a post in a body keeps none."""
    in_bodies = {post.person for post in told if post.organization}
    for record in table.records.values():
        if record.kind == "Person" and record.state is None and record.key not in in_bodies:
            names = sorted(record.forms - {record.label}, key=lambda f: (-len(f.split()), f))
            for name in (record.label, *names):
                record.state = gazetteer.person_state(name, article.published)
                if record.state is not None:
                    break


def _states_from_lead(table: ActorTable, told: list[Post], events: list[Event]) -> None:
    """A person still of no state (no title, no dictionary entry) is of the state the
    article names first, the one its lead is about (a lawyer named only by a role in a
    story that opens on one country), unless they act on or with that state or one of its
    people ("X imposed tariffs on Colombia", "X met Colombia's foreign minister": X is not
    Colombian) or hold a post in a body. Read after the events, so that what is only
    likely never steers who did what."""
    first = min(
        (m for m in table.mentions if m.kind == "State" and table.records[m.key].state),
        key=lambda m: m.start,
        default=None,
    )
    if first is None:
        return
    lead = table.records[first.key]
    facing = {
        key
        for event in events
        for one, other in ((event.source, event.target), (event.target, event.source))
        if any(
            k == lead.key or getattr(table.records.get(k), "state", None) == lead.state
            for k in other
        )
        for key in one
    }
    in_bodies = {post.person for post in told if post.organization}
    for record in table.records.values():
        if record.kind == "Person" and record.state is None:
            if record.key not in in_bodies and record.key not in facing:
                record.state = lead.state


def _within(articles: Iterable[Article], nlp: Language) -> Iterator[Article]:
    """The articles, each checked against the pipeline's ``max_length`` before it is parsed
    (spaCy refuses a longer text; E048 names the article and the limit)."""
    for article in articles:
        if len(article.text) > nlp.max_length:
            raise error(
                "E048",
                where=article.origin or article.id,
                id=article.id,
                length=len(article.text),
                limit=nlp.max_length,
            )
        yield article


def extract_articles(
    articles: Iterable[Article],
    nlp: Language,
    *,
    batch_size: int = 16,
    n_process: int = 1,
) -> Iterator[Extraction]:
    """Parse a stream of articles with one ``nlp.pipe`` call and read each doc in order."""
    lexicon = load_lexicon()
    gazetteer = Gazetteer.load()
    classifier = load_classifier() if applied() else None
    stream = ((mask_chrome(article.text), article) for article in _within(articles, nlp))
    for doc, article in nlp.pipe(
        stream, as_tuples=True, batch_size=batch_size, n_process=n_process
    ):
        yield read_doc(doc, article, lexicon, gazetteer, classifier)
