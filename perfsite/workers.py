"""Where the render stage's work runs: in this process, in a pool of local processes,
or on a Dask distributed cluster (``build --scheduler ADDRESS``).

Each kind of worker offers the same two calls, and every task is a pure function of
what it is handed (a chart's spec, a page's template set and context), so the bytes
written are the same wherever the work ran: tested with one process, a local pool and
a Dask ``LocalCluster``.

vl-convert must never be forked after it has run, so the local pool *spawns* its
processes, and each warms its own chart engine once. Dask's worker processes are
spawned too (its default).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any, Optional, TypeVar

from .i18n import N_, Message

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many tasks one process is quicker than handing them out (charts: ~15 ms each,
# a worker process's start and chart engine ~0.5 s).
POOL_THRESHOLD = 150
TASKS_PER_WORKER = 8  # a pool's work is cut into this many pieces a worker, to even out their ends
# The local pool's processes run at a lower priority (a Unix niceness) than the building
# process: it has the longest chain of work (every page, file and the search index, and the
# indicator pages only once their charts are drawn), so it is given a core whenever it can
# use one, and the charts take every moment it leaves. At equal priority the processes
# shared the cores alike, the charts were drawn first and the build ended with one core
# writing pages and the other idle (docs/benchmarks.md, eighth pass).
WORKER_NICENESS = 10


def _apply(function: Callable, shared: Any, items: Sequence) -> list:
    return function(shared, items)


def _apply_each(function: Callable, items: Sequence) -> list:
    return [function(item) for item in items]


def _lower_priority() -> None:
    """A pool process's start: below the building process (WORKER_NICENESS)."""
    if hasattr(os, "nice"):  # Unix; elsewhere the processes keep the build's priority
        os.nice(WORKER_NICENESS)


def _pieces(items: Sequence, count: int) -> list[Sequence]:
    size = max(1, -(-len(items) // count))
    return [items[start:start + size] for start in range(0, len(items), size)]


class Pending:
    """Work handed out and not yet collected: ``result()`` waits for it (in this process,
    it is done then), so that this process can go on with other work meanwhile, and
    ``ready()`` says, without waiting, whether ``result()`` would wait."""

    def __init__(self, collect: Callable[[], list], ready: Callable[[], bool] = lambda: True) -> None:
        self._collect = collect
        self._ready = ready

    def result(self) -> list:
        return self._collect()

    def ready(self) -> bool:
        return self._ready()


class InlineWorkers:
    """Everything in this process."""

    description = "this process"

    def map(self, function: Callable[[Item], Result], items: Sequence[Item]) -> list[Result]:
        return self.start_map(function, items).result()

    def start_map(self, function: Callable[[Item], Result], items: Sequence[Item]) -> Pending:
        """``map``, begun: the results come from ``result()``, in order."""
        return Pending(lambda: [function(item) for item in items])

    def map_shared(self, function: Callable[[Any, Sequence[Item]], list[Result]], shared: Any,
                   items: Sequence[Item]) -> list[Result]:
        """``function(shared, batch)`` over batches of ``items``, flattened in order."""
        return function(shared, items) if items else []

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class ProcessWorkers(InlineWorkers):
    """Charts in a pool of spawned local processes (started on first use, kept for the
    build); pages in this process, where the templates are compiled already."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.description = f"{count} local processes"
        self._pool: Optional[Any] = None

    def start_map(self, function, items):
        if self.count <= 1 or len(items) < POOL_THRESHOLD:
            return super().start_map(function, items)
        if self._pool is None:
            self._pool = multiprocessing.get_context("spawn").Pool(self.count, initializer=_lower_priority)
        chunksize = max(1, len(items) // (self.count * TASKS_PER_WORKER))
        handed_out = self._pool.map_async(function, items, chunksize=chunksize)
        return Pending(handed_out.get, handed_out.ready)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None


class DaskWorkers(InlineWorkers):
    """Charts and pages on a Dask distributed cluster: ``address`` is its scheduler
    (``tcp://host:8786``), or a ``distributed.Client`` already connected. The workers
    need the same perfsite installed; the site's own templates travel with the tasks."""

    def __init__(self, address: Any, timeout: str = "10s") -> None:
        try:
            from distributed import Client
        except ImportError:
            raise WorkersError(Message.of(N_("Rendering on a Dask cluster needs the distributed package: "
                                             "%(install)s (or %(other)s)."),
                                          install="pip install 'perfsite[dask]'", other="pip install distributed")
                               ) from None
        if isinstance(address, Client):
            self.client, self._owned = address, False
        else:
            try:
                self.client, self._owned = Client(address, timeout=timeout), True
            except OSError as error:
                raise WorkersError(Message.of(N_("Could not reach the Dask scheduler at %(address)s (%(reason)s). "
                                                 "Check the address and that the scheduler is running."),
                                              address=address, reason=error)) from None
        self.count = max(1, sum(w.get("nthreads", 1) for w in self.client.scheduler_info()["workers"].values()))
        self.description = f"the Dask cluster at {self.client.scheduler.address} ({self.count} threads)"
        self._shared: dict[int, tuple[Any, Any]] = {}  # id -> (the value, kept alive; its future)

    def start_map(self, function, items):
        if not items:
            return Pending(list)
        pieces = _pieces(items, self.count * TASKS_PER_WORKER)
        futures = self.client.map(_apply_each, [function] * len(pieces), pieces, pure=False)
        return Pending(lambda: [result for piece in self.client.gather(futures) for result in piece],
                       lambda: all(future.done() for future in futures))

    def map_shared(self, function, shared, items):
        if not items:
            return []
        # sent to every worker once a build (the template set), kept until the workers close
        known = self._shared.get(id(shared))
        if known is None or known[0] is not shared:
            [future] = self.client.scatter([shared], broadcast=True, hash=False)
            known = self._shared[id(shared)] = (shared, future)
        shared_future = known[1]
        pieces = _pieces(items, self.count * TASKS_PER_WORKER)
        futures = self.client.map(_apply, [function] * len(pieces), [shared_future] * len(pieces), pieces,
                                  pure=False)
        return [result for piece in self.client.gather(futures) for result in piece]

    def close(self) -> None:
        self._shared.clear()
        if self._owned:
            self.client.close()


class WorkersError(Exception):
    """The workers asked for cannot be had (a usage error, said in a sentence: an i18n.Message,
    whose str() is its English)."""


def workers_for(count: Optional[int], scheduler: Optional[Any] = None) -> InlineWorkers:
    """The workers a build asked for: a Dask cluster, a local pool, or this process."""
    if scheduler is not None:
        return DaskWorkers(scheduler)
    if count is not None and count > 1:
        return ProcessWorkers(count)
    return InlineWorkers()
