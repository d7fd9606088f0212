"""Where the build puts what it makes in each site: one place for every name, so that what a board may
not call its folder or its pages is derived from what the build really writes.

The regional site is the published root; each board's site is the folder `<board id>/` beside it.
"""

from __future__ import annotations

LOG_PAGE = "amendments.md"
"""Every site's Amendments page."""
EDITIONS_PAGE = "editions.md"
"""Every site's Editions page; the regional site's built editions go in the folder beside it."""
PRIVACY_PAGE = "privacy.md"
"""Every site's note on privacy and cookies: what the reader's browser keeps, and that nothing is sent."""
PRIVACY_PAGE_URL = "privacy/"
ACCESSIBILITY_PAGE = "accessibility.md"
"""Every site's accessibility statement, when the manual's settings give one."""
REVIEW = "review.json"
"""Every site's chapters with their owners and review dates, as data for reminder tools."""
CHANGES_FOLDER = "changes"
"""Every site's what-changed views, one file per amendment."""
FEED = "feed.xml"
"""Every site's Atom feed."""
FEEDS_FOLDER = "feeds"
"""Every site's Atom feed of each chapter's amendments, one file per chapter."""
JSON = "amendments.json"
"""The regional site's amendments as data, read by the check page."""
REDIRECTS = "redirects.json"
"""Every old address of a moved or withdrawn page, on every site: where it leads now."""
CHECK_FOLDER = "check"
"""The regional site's check page for printed copies."""
PRINT_FOLDER = "print"
"""Every site's PDF of the whole manual, and the page it is printed from."""
SEARCH_FOLDER = "search"
"""Every site's search index (the theme's)."""
ASSETS_FOLDER = "assets"
"""The theme's styles and scripts, and ours in `assets/procedures/`."""


def _stem(name: str) -> str:
    return name.split("/", 1)[0].removesuffix(".md")


BOARD_SITE_NAMES = frozenset({_stem(LOG_PAGE), _stem(EDITIONS_PAGE), _stem(PRIVACY_PAGE), _stem(ACCESSIBILITY_PAGE),
                              REVIEW, CHANGES_FOLDER, PRINT_FOLDER, SEARCH_FOLDER, FEED, FEEDS_FOLDER})
"""What the build writes at the root of a board's site: a board's own page may not take one of these names."""
REGIONAL_SITE_NAMES = BOARD_SITE_NAMES | {JSON, REDIRECTS, CHECK_FOLDER, ASSETS_FOLDER}
"""What the build writes at the root of the regional site: no board's id may be one of these."""


def whole_manual_pdf(board: str | None) -> str:
    """Where a site's PDF of the whole manual is, from the site's root (made by `procedures pdf`)."""
    return f"{PRINT_FOLDER}/procedures-{board or 'regional'}.pdf"


def chapter_feed(chapter_id: str) -> str:
    """Where a site's feed of one chapter's amendments is, from the site's root."""
    return f"{FEEDS_FOLDER}/{chapter_id}.xml"
