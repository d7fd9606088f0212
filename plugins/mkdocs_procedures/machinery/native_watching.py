"""`mkdocs serve` hearing of changes from the system rather than by polling.

Imported only when serving: `mkdocs build` has no use for watchdog, and every module imported is memory
held by MkDocs' process to the end of the build.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import watchdog.observers
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from watchdog.events import (
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers.api import ObservedWatch
from watchdog.observers.polling import PollingObserver

QUIET_BEFORE_REBUILD = 0.05
"""Seconds without a change before `mkdocs serve` rebuilds, when it hears of changes from the system."""


class _ChangesObserver(watchdog.observers.Observer):  # type: ignore[misc,valid-type]
    """The system's observer, telling only of changes. Inotify also tells of a file opened or closed
    unwritten, and MkDocs rebuilds on any event: the rebuild reading the files would start the next one."""

    CHANGES: ClassVar[list[type[FileSystemEvent]]] = [FileCreatedEvent, FileModifiedEvent, FileDeletedEvent,
                                                      FileMovedEvent, FileClosedEvent]

    def schedule(self, event_handler: FileSystemEventHandler, path: str | Path, *, recursive: bool = False,
                 event_filter: list[type[FileSystemEvent]] | None = None, follow_symlink: bool = False,
                 ) -> ObservedWatch:
        watch: ObservedWatch = super().schedule(event_handler, path, recursive=recursive, follow_symlink=follow_symlink,
                                                event_filter=event_filter or self.CHANGES)
        return watch


def watch_natively(server: LiveReloadServer, config: MkDocsConfig) -> None:
    """Have `server` hear of changes from the system (inotify on Linux) rather than by reading every watched
    folder each half second, as MkDocs' polling observer does: an edit waited a quarter of a second, on
    average, before its rebuild began. Runs before any other plugin's `on_serve` adds a path."""
    if watchdog.observers.Observer is PollingObserver or not isinstance(server.observer, PollingObserver) \
            or server.observer.is_alive():
        return  # no native observer here, or the server's observer is not the one MkDocs makes
    # Every path MkDocs watches before `on_serve`: the docs, the configuration file and (with
    # `--watch-theme`) the theme's folders. Each is unwatched as often as it was watched, then watched again.
    candidates = [config.docs_dir, config.config_file_path, *config.theme.dirs]
    watched: list[str] = []
    for path in dict.fromkeys(candidate for candidate in candidates if candidate):
        while True:
            try:
                server.unwatch(path)
            except KeyError:
                break
            watched.append(path)
    server.observer = _ChangesObserver()
    for path in watched:
        server.watch(path)
    # MkDocs starts a rebuild once no change has come for `build_delay` (0.1 s), so that a burst of changes
    # (a checkout) makes one rebuild. The system tells of a saved file's changes within milliseconds of
    # each other: a twentieth of a second without one is ample, and half the wait before each rebuild.
    server.build_delay = min(server.build_delay, QUIET_BEFORE_REBUILD)
