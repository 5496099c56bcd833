"""Where each workbook's work runs: in this process, in a local process pool, or on Dask.

Every executor is an iterator of (input index, FileResult) that is also a context manager: leaving
the `with` block early (Ctrl-C, an error) cancels what has not started and stops what is running.
Results come in completion order; the batch puts its report back in input order. Each result's
`output`, when the workbook succeeded, is the finished file in the staging folder (Task.staged).

Each worker keeps its own ModelCache, so a formula fingerprint is compiled at most once per worker
process (per worker thread on Dask, where threads would otherwise share a compiled model's state).
"""
from __future__ import annotations

import secrets
import signal
import tempfile
import threading
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from .batch import ExecutorError, FileResult, Options, Task, process, warm_up
from .engine import ModelCache

_DIED = "the worker process died while recalculating it (out of memory, or a crash)"


def make(kind: str, tasks: list[Task], options: Options, *, jobs: int = 1,
         scheduler: str | None = None):
    if kind == "dask":
        return DaskExecutor(tasks, options, scheduler)
    if kind != "local":
        raise ExecutorError(f"unknown executor {kind!r}")
    if jobs <= 1 or len(tasks) <= 1:
        return InProcess(tasks, options)
    return LocalPool(tasks, options, min(jobs, len(tasks)))


class _Stream:
    def __init__(self, tasks: list[Task], options: Options):
        self.tasks = list(tasks)
        self.options = options
        self._iter = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        interrupted = exc_type is not None and issubclass(exc_type, KeyboardInterrupt)
        if interrupted and threading.current_thread() is threading.main_thread():
            # a second Ctrl-C must not cut the clean-up short
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, signal.SIG_IGN)
        if self._iter is not None:
            self._iter.close()  # runs the generator's own clean-up
        return False

    def __iter__(self):
        if self._iter is None:
            self._iter = self._run()
        return self._iter

    def _run(self):
        raise NotImplementedError


def _failure(task: Task, error: str) -> FileResult:
    return FileResult(task.path, None, False, error)


# --------------------------------------------------------------------------- in this process

class InProcess(_Stream):
    """One workbook after another in this process (--jobs 1, or a single file)."""

    def _run(self):
        cache = ModelCache()
        for task in self.tasks:
            yield task.index, process(task.path, task.staged, cache, self.options)


# --------------------------------------------------------------------------- local process pool

_worker_cache: ModelCache | None = None


def _init_worker() -> None:
    # Ctrl-C reaches the whole process group: the parent decides, workers do not print tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    global _worker_cache
    _worker_cache = ModelCache()
    from .engine.bind import quiet_formulas
    quiet_formulas()


def _pool_work(path: Path, staged: Path, options: Options) -> FileResult:
    global _worker_cache
    if _worker_cache is None:
        _worker_cache = ModelCache()
    return process(path, staged, _worker_cache, options)


class LocalPool(_Stream):
    """A concurrent.futures process pool of `jobs` workers, each with its own ModelCache.

    At most a few tasks per worker are queued at a time, so an interruption has little to cancel.
    A worker that dies (killed, out of memory) breaks the pool: the tasks then in flight are
    retried one by one, each in a fresh single-worker pool, so only the culprit fails.
    """

    def __init__(self, tasks, options, jobs: int):
        super().__init__(tasks, options)
        self.jobs = jobs

    def _pool(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, initializer=_init_worker)

    def _run(self):
        import multiprocessing

        if multiprocessing.get_start_method() == "fork":
            warm_up()  # once here rather than once in every worker
        queue = deque(self.tasks)
        suspects: deque[Task] = deque()
        while queue or suspects:
            if suspects:
                task = suspects.popleft()
                yield task.index, self._isolated(task)
                continue
            yield from self._round(queue, suspects)

    def _isolated(self, task: Task) -> FileResult:
        pool = self._pool(1)
        finished = False
        try:
            future = pool.submit(_pool_work, task.path, task.staged, self.options)
            try:
                result = future.result()
            except BrokenProcessPool:
                result = _failure(task, _DIED)
            finished = True
            return result
        finally:
            _stop(pool, {}, kill=not finished)

    def _round(self, queue: deque, suspects: deque):
        pool = self._pool(self.jobs)
        pending: dict = {}
        finished = False
        try:
            broken = False
            while (queue or pending) and not broken:
                while queue and len(pending) < self.jobs * 4:
                    task = queue.popleft()
                    try:
                        future = pool.submit(_pool_work, task.path, task.staged, self.options)
                    except BrokenProcessPool:
                        queue.appendleft(task)
                        broken = True
                        break
                    pending[future] = task
                if not pending:
                    break
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=lambda f: pending[f].index):
                    task = pending.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        broken = True
                        suspects.append(task)
                        continue
                    except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled
                        result = _failure(task, f"unexpected failure: {type(exc).__name__}: {exc}")
                    yield task.index, result
            if broken:
                suspects.extend(sorted(pending.values(), key=lambda t: t.index))
                pending.clear()
            finished = True
        finally:
            _stop(pool, pending, kill=not finished)


def _stop(pool: ProcessPoolExecutor, pending: dict, kill: bool) -> None:
    if kill:
        for future in pending:
            future.cancel()
        # Running work is stopped, not awaited: a worker killed while writing leaves at most a
        # temporary file in the staging folder, which the batch removes.
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
            try:
                proc.terminate()
            except Exception:  # noqa: BLE001 - already gone
                pass
    pool.shutdown(wait=True, cancel_futures=True)


# --------------------------------------------------------------------------- Dask

_local = threading.local()


def dask_work(name: str, data: bytes, options: Options) -> tuple[FileResult, bytes | None]:
    """One workbook's work on a Dask worker, files in and out as bytes: the cluster's machines
    need roi-xl installed, not a file system shared with the client."""
    cache = getattr(_local, "cache", None)
    if cache is None:
        cache = _local.cache = ModelCache()
    from .engine.bind import quiet_formulas
    quiet_formulas()
    with tempfile.TemporaryDirectory(prefix="roi-xl-") as tmp:
        src = Path(tmp) / "in" / name
        dst = Path(tmp) / "out" / name
        src.parent.mkdir()
        dst.parent.mkdir()
        src.write_bytes(data)
        result = process(src, dst, cache, options)
        output = dst.read_bytes() if result.ok else None
        if not result.ok:
            result.error = result.error.replace(str(src), name).replace(tmp, "")
    result.path, result.output = Path(name), None
    return result, output


class DaskExecutor(_Stream):
    """The same per-workbook work on a Dask distributed cluster (`--scheduler ADDRESS`).

    Inputs are read here and sent as bytes; outputs come back as bytes and are written into the
    staging folder here. A few tasks per worker thread are in flight at a time.
    """

    def __init__(self, tasks, options, scheduler: str | None):
        super().__init__(tasks, options)
        self.scheduler = scheduler

    def _run(self):
        try:
            from distributed import Client, as_completed
        except ImportError:
            raise ExecutorError("--executor dask needs Dask: pip install 'roi-xl[dask]'") from None
        try:
            # connect timeout: dask's own setting (distributed.comm.timeouts.connect, 30 s)
            client = Client(self.scheduler, set_as_default=False)
        except Exception as exc:  # noqa: BLE001 - OSError, TimeoutError, a bad address...
            raise ExecutorError(f"cannot reach the Dask scheduler at {self.scheduler}: {exc}") from None
        futures: dict = {}
        finished = False
        try:
            threads = sum(client.nthreads().values()) or 1
            limit = 2 * threads + 2
            local_cache = ModelCache()
            token = secrets.token_hex(4)
            stream = as_completed(loop=client.loop)
            queue = deque(self.tasks)
            while queue or futures:
                while queue and len(futures) < limit:
                    task = queue.popleft()
                    try:
                        data = task.path.read_bytes()
                    except OSError:  # missing, a folder, unreadable: the usual message, from here
                        yield task.index, process(task.path, None, local_cache, self.options)
                        continue
                    future = client.submit(dask_work, task.path.name, data, self.options, pure=False,
                                           key=f"roi-xl-{token}-{task.index}")
                    futures[future] = task
                    stream.add(future)
                if not futures:
                    continue
                future = next(stream)
                task = futures.pop(future)
                try:
                    result, output = future.result()
                except Exception as exc:  # noqa: BLE001 - a worker lost, a task that failed to run
                    result, output = _failure(task, f"unexpected failure on the Dask cluster: "
                                                    f"{type(exc).__name__}: {exc}"), None
                result.path = task.path
                if result.ok and output is not None:
                    task.staged.write_bytes(output)
                    result.output = task.staged
                elif result.ok:
                    result = _failure(task, "the Dask worker returned no output")
                yield task.index, result
            finished = True
        finally:
            if not finished and futures:
                try:
                    client.cancel(list(futures))
                except Exception:  # noqa: BLE001
                    pass
            client.close()
