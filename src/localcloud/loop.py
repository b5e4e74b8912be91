"""A step repeated on a daemon thread until stopped: the shape of the poller and the lister."""

from __future__ import annotations

import threading
from typing import Self

from localcloud import console


class BackgroundLoop:
    """Runs step() every `interval` seconds (0: back to back) until stop()."""

    name = "loop"
    interval = 0.0
    failure = "step failed"

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def step(self) -> None:
        raise NotImplementedError

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.step()
            except Exception as exc:  # the endpoint went away for a moment: keep going
                console.say(f"{self.name}: {self.failure} ({type(exc).__name__})")
                self._stop.wait(1)  # and do not spin while it is away
