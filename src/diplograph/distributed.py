"""Scale-out on an existing Dask cluster: batches of articles go to its workers, each of which
loads the spaCy pipeline once and parses and reads its batches; what each article says comes
back here in input order, to be written to a graph file or a store as on one machine.

    dask scheduler                                  # on one machine: tcp://HOST:8786
    dask worker tcp://HOST:8786 --nworkers 2 --nthreads 1   # on each worker machine
    diplograph build news.jsonl --store graphs/store --scheduler tcp://HOST:8786

Every worker needs diplograph and its spaCy pipeline installed (the same versions as here).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable, Iterator

from diplograph.errors import error
from diplograph.model import Article, Extraction
from diplograph.nlp.parallel import BATCH_SIZE, batched, read_batch

#: batches in flight per worker thread of the cluster: one being parsed, one waiting
IN_FLIGHT = 2
#: seconds to wait for the scheduler to answer
CONNECT_TIMEOUT = 10

_loading = threading.Lock()


def extract_on_dask(
    articles: Iterable[Article],
    model: str,
    scheduler: str,
    *,
    batch_size: int | None = None,
) -> Iterator[Extraction]:
    """What each article says, read by the workers of the Dask cluster at ``scheduler``
    (``tcp://HOST:PORT``), ``batch_size`` articles a task, yielded in input order.

    The scheduler is reached at this call. Only a few batches per worker thread are in flight:
    memory stays flat however long the stream. An error on a worker is raised here.

    Raises:
        DiplographError: E041 the scheduler does not answer, E042 Dask is not installed.
    """
    try:
        from distributed import Client
    except ImportError as exc:
        raise error("E042", detail=exc) from None
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        detail = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise error("E041", address=scheduler, detail=detail) from None
    return _results(client, articles, model, batch_size or BATCH_SIZE)


def _results(client, articles: Iterable[Article], model: str, batch_size: int):
    try:
        threads = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values())
        limit = IN_FLIGHT * max(1, threads)
        pending: deque = deque()
        for batch in batched(articles, batch_size):
            pending.append(client.submit(extract_batch, batch, model, pure=False))
            while pending and (len(pending) >= limit or pending[0].done()):
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        client.close()


def extract_batch(batch: list[Article], model: str) -> list[Extraction]:
    """Run on a worker: parse and read one batch with the worker's pipeline (loaded once per
    worker process, on its first batch), each record with its N-Triples."""
    from diplograph.nlp.pipeline import load_pipeline

    with _loading:  # two threads of one worker load it once
        nlp = load_pipeline(model)
    return read_batch(batch, nlp)


__all__ = ["extract_batch", "extract_on_dask"]
