"""Run SPARQL with a time limit and a result cap, in threads that can be abandoned.

pyoxigraph releases the GIL while it evaluates (in ``Store.query`` and while a result is
iterated), so a query in its own thread does not stall the server's other threads. It
cannot be interrupted, though: when the time is up the request is answered with 503 and
the thread is abandoned. It stops at the next row it would take; a step that runs inside
Oxigraph (an ORDER BY, a GROUP BY, a long join before the first row) runs to its end and
keeps one CPU busy until then. The number of queries running at once, abandoned ones
included, is capped (``max_running``): past it, requests are answered with 503 at once
instead of piling up. A stronger limit would run each query in a process that can be
killed, at the cost of a second copy of a memory store and of updates that no longer
share one store; see docs/server.md.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from diplograph.server.errors import Refusal


@dataclass
class Answer:
    """A query's result, taken up to the cap: ``kind`` is solutions, boolean or triples."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool = False
    triples: list[ox.Triple] = field(default_factory=list)
    truncated: bool = False


class Cancelled(Exception):
    """Raised inside an abandoned job when it next checks in."""


class Job:
    """What a running job can see: whether it was abandoned."""

    def __init__(self) -> None:
        self.abandoned = threading.Event()

    def check(self) -> None:
        if self.abandoned.is_set():
            raise Cancelled


class Runner:
    """Runs jobs one thread each, at most ``max_running`` at a time, for ``timeout`` s each."""

    def __init__(self, *, timeout: float, max_rows: int, max_running: int = 4) -> None:
        self.timeout = timeout
        self.max_rows = max_rows
        self.max_running = max_running
        self._slots = threading.BoundedSemaphore(max_running)
        self._running = 0
        self._lock = threading.Lock()

    @property
    def running(self) -> int:
        """Jobs still running, abandoned ones included."""
        with self._lock:
            return self._running

    def call(self, function: Callable[[Job], Any]) -> Any:
        """``function(job)`` in its own thread; its result, or its exception re-raised.

        Raises:
            Refusal: 503 when no slot frees within the timeout (S008) or when the job
                runs past the timeout (S007).
        """
        started = time.monotonic()
        if not self._slots.acquire(timeout=min(self.timeout, 2.0)):
            raise Refusal(503, "S008", {"Retry-After": "5"}, running=self.running)
        job = Job()
        outcome: dict[str, Any] = {}
        done = threading.Event()

        def work() -> None:
            try:
                outcome["value"] = function(job)
            except BaseException as exc:  # handed to the waiting thread
                # Oxigraph's result iterators must be dropped on the thread that made
                # them: clear the locals the traceback keeps alive, here and now
                traceback.clear_frames(exc.__traceback__)
                outcome["error"] = exc
            finally:
                with self._lock:
                    self._running -= 1
                self._slots.release()
                done.set()

        with self._lock:
            self._running += 1
        threading.Thread(target=work, name="diplograph-query", daemon=True).start()
        if not done.wait(max(0.0, self.timeout - (time.monotonic() - started))):
            job.abandoned.set()
            raise Refusal(503, "S007", seconds=self.timeout)
        if "error" in outcome:
            raise outcome["error"]
        return outcome["value"]

    def take(self, job: Job, result) -> Answer:
        """Iterate a pyoxigraph result up to the cap, checking for abandonment per row."""
        if isinstance(result, ox.QueryBoolean):
            return Answer("boolean", boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            answer = Answer("solutions", variables=variables)
            for solution in result:
                job.check()
                if len(answer.rows) == self.max_rows:
                    answer.truncated = True
                    break
                answer.rows.append(tuple(solution[i] for i in range(len(variables))))
            return answer
        answer = Answer("triples")
        for triple in result:
            job.check()
            if len(answer.triples) == self.max_rows:
                answer.truncated = True
                break
            answer.triples.append(triple)
        return answer
