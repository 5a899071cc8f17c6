"""Reads remembered for the rest of one safe (GET or HEAD) request.

A page about a customer asks the same question several times from different apps
(their active lock, what is withheld about them); a GET changes none of it, so the
first answer stands for the request. Outside such a request (services, commands,
tests) every call reads afresh."""

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")
_memo: ContextVar[dict[Hashable, object] | None] = ContextVar("cma_memo", default=None)


@contextmanager
def remembering() -> Iterator[None]:
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    found = _memo.get()
    if found is None:
        return compute()
    if key not in found:
        found[key] = compute()
    return found[key]  # type: ignore[return-value]


def remember(key: Hashable, value: object) -> None:
    """Record an answer another read already found (ignored outside a safe request)."""
    found = _memo.get()
    if found is not None:
        found.setdefault(key, value)
