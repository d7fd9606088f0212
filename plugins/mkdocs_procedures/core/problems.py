"""Problems found in manual content, reported as `path:line: message` for people and editors."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file, at one line when the line is known."""

    path: str
    line: int | None
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class ContentError(Exception):
    """Manual content that cannot be published; carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def raise_errors(problems: Iterable[Problem]) -> list[Problem]:
    """Raise `ContentError` if any problem is an error; otherwise return the warnings."""
    found = list(problems)
    errors = [problem for problem in found if problem.severity is Severity.ERROR]
    if errors:
        raise ContentError(errors)
    return found


def did_you_mean(wanted: str, choices: Iterable[str], limit: int = 3) -> str:
    """A hint naming the nearest valid choices, or the first few when none is close."""
    options = sorted(set(choices))
    if not options:
        return "there are none to choose from"
    ratios = {option: difflib.SequenceMatcher(None, wanted, option).ratio() for option in options}
    best = max(ratios.values())
    # Name only the nearest few: those about as close as the closest one.
    close = sorted((option for option in options if ratios[option] >= max(0.6, best - 0.05)),
                   key=lambda option: -ratios[option])[:limit]
    if close:
        return "did you mean " + " or ".join(f"`{choice}`" for choice in close) + "?"
    shown = ", ".join(f"`{choice}`" for choice in options[:8])
    more = f" (and {len(options) - 8} more)" if len(options) > 8 else ""
    return f"expected one of {shown}{more}"
