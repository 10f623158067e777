"""Limits on the work one document may cause: time and memory.

The coder checks its own deadline between sentences; ``alarm`` is the
backstop for stages that cannot (an HTML parser on a hostile page), and
``capped_memory`` turns a document that would exhaust the machine into a
``MemoryError`` that the pipeline records against that document."""

from __future__ import annotations

import resource
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ._errors import AccordError


class TimeLimit(AccordError):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"took longer than the time limit of {seconds:g} s per document (--time-limit)")
        self.seconds = seconds


@contextmanager
def alarm(seconds: float | None) -> Iterator[None]:
    """Raise ``TimeLimit`` in the block after ``seconds``.  Only the main
    thread can take a signal; elsewhere (the API's worker threads) the block
    runs without this backstop."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def ring(_signum, _frame):
        raise TimeLimit(seconds)

    previous = signal.signal(signal.SIGALRM, ring)
    # And again every second after: a library that catches every exception
    # (some HTML parsers do) cannot swallow the limit for good.
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def capped_memory(megabytes: int | None) -> Iterator[None]:
    """Limit this process's address space to ``megabytes`` (never above a
    hard limit already set) within the block, so that an allocation past it
    raises ``MemoryError`` instead of waking the kernel's OOM killer; the
    limit before is restored after (the process may go on to other work,
    such as a test run that starts a browser)."""
    if not megabytes:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def memory_reason(megabytes: int | None) -> str:
    limit = f"the memory limit of {megabytes:,} MB (--max-memory)" if megabytes else "the memory there is"
    return f"needed more than {limit}"
