"""Memory a build has let go of is handed back to the system every so many pages."""

from __future__ import annotations

import sys

import pytest

from mkdocs_procedures.machinery import freed_memory
from mkdocs_procedures.machinery.freed_memory import FreedMemory


def test_what_was_let_go_is_handed_back_every_so_many_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(freed_memory, "_malloc_trim", lambda: calls.append)
    memory = FreedMemory(every=3)
    for _ in range(7):
        memory.page_made()
    assert calls == [0, 0]  # after the third page and the sixth


def test_nothing_is_done_where_the_c_library_cannot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(freed_memory, "_malloc_trim", lambda: None)
    memory = FreedMemory(every=1)
    memory.page_made()
    assert memory.made == 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim is Linux's")
def test_glibcs_malloc_trim_is_found_on_linux() -> None:
    trim = freed_memory._malloc_trim()
    assert trim is not None and trim(0) in (0, 1)
