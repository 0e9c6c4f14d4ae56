"""Run SPARQL with a time limit and a result cap: in worker processes (:class:`Pool`) that
are killed past the limit, or in threads that can only be abandoned (:class:`Runner`).

The server runs its queries in a :class:`Pool` (``serve --workers N``, the default) and its
updates, graph reads and writes in a :class:`Runner`. About the threads:

pyoxigraph releases the GIL while it evaluates (in ``Store.query`` and while a result is
iterated), so a query in its own thread does not stall the server's other threads. It
cannot be interrupted, though: when the time is up the request is answered with 503 and
the thread is abandoned. It stops at the next row it would take; a step that runs inside
Oxigraph (an ORDER BY, a GROUP BY, a long join before the first row) runs to its end and
keeps one CPU busy until then. The number of queries running at once, abandoned ones
included, is capped (``max_running``): past it, requests are answered with 503 at once
instead of piling up. The pool's workers are forks of the server, so they share the store's
pages until one writes; see docs/server.md.
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


class Pool:
    """Queries in worker processes forked from the server, killed and replaced on timeout.

    Each worker is a fork of the server (it sees the store as it was when forked, with no
    copy made: pages are shared until written), runs one call at a time, and has its address
    space capped at its size when forked plus ``max_memory`` MiB (``RLIMIT_AS``): a query
    that needs more fails inside the worker (Oxigraph aborts the process, Python raises
    MemoryError) and the request gets 500 while the server goes on. A call that outlives
    ``timeout`` gets 503 and its worker is killed (SIGKILL: its CPU and memory come back at
    once) and replaced. ``refresh()`` (after a write) replaces the workers forked before it,
    so queries see the write.

    ``call(name, **kwargs)`` runs ``getattr(target, name)(**kwargs)`` in a worker; what it
    returns or raises must pickle (a :class:`Refusal` comes back as itself).
    """

    def __init__(self, target: Any, *, workers: int, timeout: float, max_memory: int) -> None:
        import queue

        self.target = target
        self.timeout = timeout
        self.max_memory = max_memory
        self.size = workers
        self.generation = 0
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(workers):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        requests, to_worker = context.Pipe(duplex=False)
        from_worker, replies = context.Pipe(duplex=False)
        process = context.Process(
            target=_work,
            args=(self.target, requests, replies, self.max_memory),
            name="diplograph-query-worker",
            daemon=True,
        )
        process.start()
        requests.close()
        replies.close()
        return _Worker(process, to_worker, from_worker, self.generation)

    @property
    def running(self) -> int:
        """Workers busy with a call."""
        return self.size - self._idle.qsize()

    def refresh(self) -> None:
        """Replace every worker forked before now, as it next comes free (after a write)."""
        with self._lock:
            self.generation += 1

    def call(self, name: str, **kwargs: Any) -> Any:
        """``target.name(**kwargs)`` in a free worker; its result, or its exception re-raised.

        Raises:
            Refusal: 503 when no worker frees within 2 s (S008) or when the call runs past
                the timeout (S007, the worker killed); 500 when the worker died (S023: past
                its memory bound, or a crash of the engine).
        """
        import queue

        started = time.monotonic()
        try:
            worker = self._idle.get(timeout=min(self.timeout, 2.0))
        except queue.Empty:
            raise Refusal(503, "S008", {"Retry-After": "5"}, running=self.running) from None
        if worker.generation != self.generation or not worker.process.is_alive():
            worker.kill()
            worker = self._spawn()
        keep = True
        try:
            worker.send.send((name, kwargs))
            left = max(0.0, self.timeout - (time.monotonic() - started))
            if not worker.receive.poll(left):
                keep = False
                raise Refusal(503, "S007", seconds=self.timeout)
            outcome, value = worker.receive.recv()
        except (EOFError, OSError, BrokenPipeError):
            keep = False
            worker.process.join(1.0)
            raise Refusal(
                500, "S023", memory=self.max_memory, how=_how(worker.process.exitcode)
            ) from None
        finally:
            if not keep:
                worker.kill()
                worker = self._spawn()
            if self._closed:
                worker.kill()
            else:
                self._idle.put(worker)
        if outcome == "memory":
            raise Refusal(500, "S023", memory=self.max_memory, how="it ran out of memory")
        if outcome == "refusal":
            raise Refusal.rebuilt(*value)
        if outcome == "error":
            raise Refusal(500, "S018", detail=value)
        return value

    def close(self) -> None:
        """Stop the idle workers (a busy one stops when its call returns)."""
        import queue

        self._closed = True
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                return


def _how(exitcode: int | None) -> str:
    import signal

    if exitcode is not None and exitcode < 0:
        return f"its worker process was stopped by {signal.Signals(-exitcode).name}"
    return f"its worker process exited ({exitcode})"


@dataclass
class _Worker:
    process: Any  # multiprocessing.Process
    send: Any  # Connection to the worker
    receive: Any  # Connection from the worker
    generation: int

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5.0)
        self.send.close()
        self.receive.close()


def _work(target: Any, requests, replies, max_memory: int) -> None:
    """A worker's loop: calls on ``target`` until the server closes the pipe."""
    _leave_sockets(keep={requests.fileno(), replies.fileno()})
    _die_with_parent()
    _bound_memory(max_memory)
    while True:
        try:
            name, kwargs = requests.recv()
        except (EOFError, OSError):
            return
        try:
            reply = ("value", getattr(target, name)(**kwargs))
        except Refusal as refusal:
            reply = ("refusal", (refusal.status, refusal.code, refusal.message, refusal.headers))
        except MemoryError:
            reply = ("memory", None)
        except Exception as exc:  # handed to the server, which answers 500
            reply = ("error", " ".join(f"{type(exc).__name__}: {exc}".split())[:500])
        try:
            replies.send(reply)
        except MemoryError:
            replies.send(("memory", None))
        del reply


def _leave_sockets(keep: set[int]) -> None:
    """Close the sockets a fork inherited (the server's and its clients'): a worker answers
    no one but the server; the store's files stay open."""
    import os
    import stat

    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd in keep:
            continue
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                os.close(fd)
        except OSError:
            continue


def _die_with_parent() -> None:
    """End this process within a second of the server's end, even mid-query.

    A watching thread, not ``PR_SET_PDEATHSIG``: that fires when the *thread* that forked
    ends, and a request's thread forks the replacement of a killed worker.
    """
    import os

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="diplograph-parent-watch", daemon=True).start()


def _bound_memory(max_memory: int) -> None:
    """Cap the address space at its present size plus ``max_memory`` MiB."""
    import resource

    with open("/proc/self/status") as status:
        size = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
    limit = size + max_memory * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
