"""From articles to extractions: run the spaCy pipeline once over a stream, read each doc."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from diplograph.gazetteer import Gazetteer
from diplograph.model import Article, Extraction
from diplograph.nlp.actors import ActorTable
from diplograph.nlp.chrome import mask_chrome
from diplograph.nlp.events import EventReader
from diplograph.nlp.lexicon import Lexicon, load_lexicon
from diplograph.nlp.posts import find_posts, resolve_posts


def read_doc(
    doc: Doc,
    article: Article,
    lexicon: Lexicon | None = None,
    gazetteer: Gazetteer | None = None,
) -> Extraction:
    """Everything diplograph reads from one parsed article."""
    lexicon = lexicon or load_lexicon()
    gazetteer = gazetteer or Gazetteer.load()
    table = ActorTable(doc, gazetteer, lexicon.cues, article.source, article.text)
    table.resolve()
    told = find_posts(doc, table, article.id, article.text)  # titles give people states
    reader = EventReader(doc, table, lexicon, article)
    events = reader.events()
    _hosts_belong_to_the_place(events, table)
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
    mentions = {key: table.records[key].count for key in sorted(keys & involved)}
    return Extraction(article, actors, tuple(events), tuple(posts), mentions)


def _hosts_belong_to_the_place(events, table: ActorTable) -> None:
    """A visitor meets a titled person in a state: the person of unknown state is the host
    ("Kim traveled to Russia for a summit with President Putin")."""
    for event in events:
        if event.category != "CONSULT" or event.location is None:
            continue
        place = table.records.get(event.location)
        host_state = place.state if place is not None else None
        if host_state is None:
            continue
        people = [table.records[k] for k in (*event.source, *event.target)]
        unknown = [p for p in people if p.kind == "Person" and p.state is None]
        known = {p.state for p in people if p.state is not None}
        if len(unknown) == 1 and known and host_state not in known:
            unknown[0].state = host_state


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
    stream = ((mask_chrome(article.text), article) for article in articles)
    for doc, article in nlp.pipe(
        stream, as_tuples=True, batch_size=batch_size, n_process=n_process
    ):
        yield read_doc(doc, article, lexicon, gazetteer)
