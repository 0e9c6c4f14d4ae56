"""Parse and read articles in worker processes, each running the pipeline and the extraction.

The parent only reads articles, hands them out a batch at a time and gets back what each one
says (``Extraction`` records with their N-Triples, small to send); the parse, the extraction
and the RDF, nearly all of the work, run in the workers, so ``jobs`` processes keep ``jobs``
cores busy. Results come back in input order, and at most a few batches per worker are in
flight: memory stays flat however long the stream.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice

from spacy.language import Language

from diplograph.model import Article, Extraction

#: articles a worker parses in one ``nlp.pipe`` call: the parse is as fast per article with 2
#: as with 32, and small batches end the stream with the workers busy alike (with 8, one
#: worker sat idle for about 0.2 s at the end of each build: 3-4 % of 96 articles)
BATCH_SIZE = 4
#: batches in flight per worker: one being parsed, the next ones waiting (16 articles)
IN_FLIGHT = 4

_nlp = None


def batched(items: Iterable, size: int) -> Iterator[list]:
    """Lists of ``size`` items (the last may be shorter), read lazily."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def extract_in_processes(
    articles: Iterable[Article], model: str, *, jobs: int, batch_size: int = BATCH_SIZE
) -> Iterator[Extraction]:
    """What each article says, read by ``jobs`` worker processes, yielded in input order.

    The workers start at this call (before the caller opens a store or starts threads): on
    systems with ``fork`` they share the pipeline the parent has loaded, elsewhere each loads
    ``model`` once. An error in a worker is raised here; the workers stop with the stream.
    """
    from diplograph.gazetteer import Gazetteer
    from diplograph.nlp.lexicon import load_lexicon
    from diplograph.nlp.pipeline import load_pipeline

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods:  # the children inherit what is loaded here
        load_pipeline(model), load_lexicon(), Gazetteer.load()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    # a worker that dies (killed, out of memory) breaks the pool: an error here, not a hang
    pool = ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_start_worker, initargs=(model,)
    )
    for _ in range(jobs):  # start the workers now, not at the first batch
        pool.submit(int)
    return _results(pool, articles, jobs * IN_FLIGHT, batch_size)


def _results(pool: ProcessPoolExecutor, articles: Iterable[Article], limit: int, size: int):
    with pool:
        try:
            pending: deque = deque()
            for batch in batched(articles, size):
                pending.append(pool.submit(_extract_batch, batch))
                while pending and (len(pending) >= limit or pending[0].done()):
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _start_worker(model: str) -> None:
    global _nlp
    from diplograph.nlp.pipeline import load_pipeline

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # no BLAS thread limits: the parse never calls OpenBLAS (thinc multiplies with blis, one
    # thread), and in a forked worker setting a limit starts an OpenBLAS thread of its own,
    # which cost about 0.05 s of CPU per worker and 1-2 % of the build (benchmarks/README.md)
    _nlp = load_pipeline(model)


def _extract_batch(batch: list[Article]) -> list[Extraction]:
    return read_batch(batch, _nlp)


def read_batch(batch: list[Article], nlp: Language) -> list[Extraction]:
    """What a worker sends back for one batch: each record with its N-Triples, made there."""
    from diplograph.nlp.extract import extract_articles
    from diplograph.rdf.build import with_ntriples

    return [with_ntriples(e) for e in extract_articles(batch, nlp, batch_size=len(batch))]


__all__ = ["BATCH_SIZE", "batched", "extract_in_processes", "read_batch"]
