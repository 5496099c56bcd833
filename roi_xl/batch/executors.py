"""Where each workbook's work runs: in this process, in a local process pool, or on Dask.

Every executor is an iterator of (input index, FileResult) that is also a context manager: leaving
the `with` block early (Ctrl-C, an error) cancels what has not started and stops what is running.
Results come in completion order; the batch puts its report back in input order. Each result's
`output`, when the workbook succeeded, is the finished file in the staging folder (Task.staged).

Each worker keeps its own ModelCache, so a formula fingerprint is compiled at most once per worker
process (per worker thread on Dask, where threads would otherwise share a compiled model's state).
"""
from __future__ import annotations

import math
import os
import secrets
import signal
import tempfile
import threading
import time
from collections import deque
from multiprocessing import connection
from pathlib import Path

from ..engine import ModelCache
from ..errors import ExecutorError
from ..memory import limit_this_process
from .work import FileResult, Options, Task, out_of_memory, process, warm_up

_DIED = "the worker process died while recalculating it (out of memory, or a crash)"


def make(kind: str, tasks: list[Task], options: Options, *, jobs: int = 1,
         scheduler: str | None = None, timeout: float | None = None):
    """`timeout`: seconds one workbook may take (None or 0: no limit). With a limit, local work
    runs in worker processes even for --jobs 1, since only a process can be stopped safely."""
    if kind == "dask":
        return DaskExecutor(tasks, options, scheduler)
    if kind != "local":
        raise ExecutorError(f"unknown executor {kind!r}")
    if not timeout and (jobs <= 1 or len(tasks) <= 1):
        return InProcess(tasks, options)
    return LocalPool(tasks, options, max(1, min(jobs, len(tasks))), timeout)


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


def _pool_work(path: Path, staged: Path, options: Options) -> FileResult:
    global _worker_cache
    if _worker_cache is None:
        _worker_cache = ModelCache()
    try:
        return process(path, staged, _worker_cache, options)
    except (MemoryError, SystemError):
        # Past the budget even while reporting it (CPython then fails in odd places: "error return
        # without exception set"). Once this unwinds the memory is back; the compiled models go too.
        _worker_cache = None
        return out_of_memory(path, options)


def _worker_main(conn) -> None:
    """A worker process: (path, staged, options) from `conn`, its FileResult back; None ends it."""
    # Ctrl-C reaches the whole process group: the parent decides, workers do not print tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parent = os.getppid()
    budget = None  # the memory cap set on this process (roi_xl.memory)
    while True:
        try:
            # Forked siblings hold copies of the batch's pipe ends, so the batch being killed
            # outright may never show as end-of-file here: watch for it instead.
            while not conn.poll(0.5):
                if os.getppid() != parent:
                    return
            work = conn.recv()
        except (EOFError, OSError):  # the batch is gone: so are we
            return
        if work is None:
            return
        path, staged, options = work
        if options.max_memory and budget != options.max_memory:
            budget = options.max_memory if limit_this_process(options.max_memory) else None
        result = _pool_work(path, staged, options)
        try:
            conn.send(result)
        except (BrokenPipeError, EOFError, OSError):
            return
        except Exception as exc:  # noqa: BLE001 - a result that cannot be pickled
            conn.send(FileResult(path, None, False, f"unexpected failure: {type(exc).__name__}: {exc}"))


class _Worker:
    """One worker process and the task it is working on (None: idle)."""

    def __init__(self, ctx):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child,), daemon=True)
        self.process.start()
        child.close()
        self.task: Task | None = None
        self.deadline = math.inf

    def start(self, task: Task, options: Options, timeout: float | None) -> None:
        self.conn.send((task.path, task.staged, options))
        self.task = task
        self.deadline = time.monotonic() + timeout if timeout else math.inf

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(timeout=5)
        self.kill()


class LocalPool(_Stream):
    """`jobs` worker processes, each with its own ModelCache, each given one workbook at a time,
    each within the memory budget `options.max_memory` (set in the worker, roi_xl.memory).

    A worker over the time limit (`timeout` seconds for one workbook) is killed: its workbook is
    reported as timed out and the others go on. A worker that dies (killed, out of memory, a
    crash) fails only the workbook it was working on. Either way a fresh worker takes its place.
    """

    def __init__(self, tasks, options, jobs: int, timeout: float | None = None):
        super().__init__(tasks, options)
        self.jobs = jobs
        self.timeout = timeout or None

    def _run(self):
        import multiprocessing

        ctx = multiprocessing.get_context()
        if ctx.get_start_method() == "fork":
            warm_up()  # once here rather than once in every worker
        queue = deque(self.tasks)
        workers: list[_Worker] = []
        try:
            while queue or workers:
                for w in [w for w in workers if w.task is None]:
                    if not queue:
                        break
                    task = queue.popleft()
                    try:
                        w.start(task, self.options, self.timeout)
                    except OSError:  # it died while idle: a fresh one takes the task
                        w.kill()
                        workers.remove(w)
                        queue.appendleft(task)
                while queue and len(workers) < self.jobs:
                    workers.append(_Worker(ctx))
                    workers[-1].start(queue.popleft(), self.options, self.timeout)
                busy = [w for w in workers if w.task is not None]
                if not busy:
                    break
                wait_for = min(w.deadline for w in busy) - time.monotonic()
                connection.wait([w.conn for w in busy] + [w.process.sentinel for w in busy],
                                timeout=None if wait_for == math.inf else max(0.0, wait_for))
                for w in busy:
                    result, healthy = self._collect(w)
                    if result is None:
                        continue
                    task, w.task = w.task, None
                    if not healthy:
                        w.kill()
                        workers.remove(w)  # a fresh worker takes the next task
                    yield task.index, result
        finally:
            for w in workers:
                if w.task is not None:
                    # Running work is stopped, not awaited: a worker killed while writing leaves
                    # at most a temporary file in the staging folder, which the batch removes.
                    w.kill()
                else:
                    w.stop()

    def _collect(self, w: _Worker) -> tuple[FileResult | None, bool]:
        """(the worker's result, True); (a failure, False) when it died or ran out of time;
        (None, True) while it is still working, or idle."""
        task = w.task
        if task is None:
            return None, True
        if w.conn.poll():
            try:
                return w.conn.recv(), True
            except (EOFError, OSError):
                return _failure(task, _DIED), False
        if not w.process.is_alive():
            return _failure(task, _DIED), False
        if time.monotonic() >= w.deadline:
            return _failure(task, f"took longer than the time limit of {self.timeout:g} s "
                                    "for one workbook (stopped; raise it with --timeout)"), False
        return None, True


# --------------------------------------------------------------------------- Dask

_local = threading.local()


def dask_work(name: str, data: bytes, options: Options) -> tuple[FileResult, bytes | None]:
    """One workbook's work on a Dask worker, files in and out as bytes: the cluster's machines
    need roi-xl installed, not a file system shared with the client."""
    cache = getattr(_local, "cache", None)
    if cache is None:
        cache = _local.cache = ModelCache()
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
