"""The MkDocs adapter: thin glue between MkDocs' build events and one build of the manual (`SiteBuild`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from .config import ProceduresConfig
from .machinery.serving import DirtyServe
from .machinery.site_build import SiteBuild, project_root

if TYPE_CHECKING:  # imported when serving (`on_serve`): a build has no use for the server or watchdog
    from mkdocs.livereload import LiveReloadServer


class ProceduresPlugin(BasePlugin[ProceduresConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        # MkDocs keeps a plugin with `on_startup` for every build in the process (all of `mkdocs serve`'s
        # rebuilds): what lasts is set here, what belongs to one build is the `SiteBuild` made in on_config.
        self.command = "build"
        self.serving_dirty = False
        self.serving: DirtyServe | None = None
        self.build: SiteBuild | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Having this event keeps one plugin instance through all of `mkdocs serve`'s rebuilds.
        self.command = command
        self.serving_dirty = command == "serve" and dirty

    # Runs before every other plugin's `on_config`: under `mkdocs serve --dirty`, the theme's templates are
    # compiled once for all the rebuilds, and Material's search plugin renders some in its `on_config`.
    @event_priority(100)
    def _keep_serving(self, config: MkDocsConfig) -> None:
        if not self.config.enabled or not self.serving_dirty:
            self.serving = None
            return
        root = project_root(config)
        if self.serving is None or self.serving.root != root:
            self.serving = DirtyServe(root)
        self.serving.list_theme_once(config.theme)

    def _start_build(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self.build = None
        if not self.config.enabled:
            return None
        self.build = SiteBuild(self.config, config, self.command, self.serving)
        self.build.configure(config)
        return config

    on_config = CombinedEvent(_keep_serving, _start_build)

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled or self.build is None:
            return
        self.build.start(config.site_dir, config.docs_dir)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self.build is None:
            return None
        return self.build.add_files(files, config)

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        if not self.config.enabled or self.build is None:
            return None
        self.build.start_helper(nav, config.site_dir)
        return nav

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment | None:
        if not self.config.enabled or self.build is None:
            return None
        return self.build.environment(env, config, files)

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled or self.build is None:
            return None
        return self.build.page_markdown(markdown, page, config, files)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled or self.build is None:
            return None
        return self.build.rendered_content(page)

    # Runs after Material's search plugin (default priority) has indexed the page's content: what the
    # plugin adds to every page (stamp, board picker, amendments, citation) would be found by every search.
    @event_priority(-50)
    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        if not self.config.enabled or self.build is None:
            return None
        page.content = self.build.decorated_content(page)
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self.config.enabled or self.build is None:
            return None
        return self.build.written_page(output, page, config.site_dir)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str | None:
        if not self.config.enabled or self.build is None:
            return None
        return self.build.written_template(output_content, template_name)

    # Runs after Material's search plugin (default priority) has written the combined index.
    @event_priority(-50)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled or self.build is None:
            return
        self.build.finish(config.site_dir, config.plugins)

    # Runs before other plugins' `on_serve`, so that the paths they watch are watched the new way.
    @event_priority(100)
    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer | None:
        if self.config.enabled and self.build is not None:
            from .machinery.native_watching import watch_natively

            watch_natively(server, config)
            for place in self.build.history_moves():  # the amendments are made from the history
                server.watch(str(place))
        return server

    def on_build_error(self, *, error: Exception) -> None:
        if self.build is not None:
            self.build.abandon()
