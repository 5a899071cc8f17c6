"""Run one callable in several threads at once, each on its own database connection
(PostgreSQL races: a real connection per racer)."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections, connection


def race(
    fn: Callable[[], Any], racers: int, refused: tuple[type[BaseException], ...]
) -> tuple[list[Any], int]:
    """Start `racers` threads together on `fn`; return the winners' results and how many
    were refused with one of `refused`. Any other exception fails the test."""
    barrier = threading.Barrier(racers)
    won: list[Any] = []
    lost: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            won.append(fn())
        except refused:
            lost.append(1)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(racers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    close_old_connections()
    assert not errors, errors
    return won, len(lost)
