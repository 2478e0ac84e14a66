"""Progress reports for long runs: the algorithms call `progress(Progress(...))`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    stage: str  # "check", "cover", "round", "final", "expand", "done"
    message: str  # German, for people
    fixed: int = 0  # volunteers whose probability is final
    total: int = 0  # all volunteers
    panels: int = 0  # panels (columns) generated so far
    value: float | None = None  # current minimum probability of the unfixed volunteers
    seconds: float = 0.0  # since the start

    def __str__(self) -> str:
        parts = [f"[{self.seconds:7.1f} s] {self.message}"]
        if self.total:
            parts.append(f"festgelegt {self.fixed}/{self.total}")
        if self.panels:
            parts.append(f"{self.panels} Gremien")
        if self.value is not None:
            parts.append(f"min. Wahrscheinlichkeit {self.value:.6f}")
        return " – ".join(parts)


ProgressCallback = Callable[[Progress], None]


def no_progress(_: Progress) -> None:
    return None
