"""`procedures check`: everything a strict build would reject, found without building the site."""

from __future__ import annotations

from mkdocs_procedures.core.chapters import split_front_matter
from mkdocs_procedures.core.links import check_links
from mkdocs_procedures.core.problems import Problem, did_you_mean

from .manual import Manual

# Pages the plugin writes itself, which the nav and links may name.
GENERATED_PAGES = frozenset({"amendments.md", "editions.md"})


def check_manual(manual: Manual) -> list[Problem]:
    """Every problem in front matter, links, boards, overlays, board values and amendment records."""
    problems = list(manual.problems)
    _, record_problems = manual.records()
    problems.extend(record_problems)
    problems.extend(_nav_problems(manual))
    problems.extend(_link_problems(manual))
    return sorted(problems, key=lambda problem: (problem.path, problem.line or 0))


def _nav_problems(manual: Manual) -> list[Problem]:
    known = {chapter.src_uri for chapter in manual.chapters} | GENERATED_PAGES
    problems = []
    lines = (manual.root / "mkdocs.yml").read_text(encoding="utf-8").split("\n")
    for path in manual.nav_paths():
        if path in known or "://" in path:
            continue
        line = next((number for number, text in enumerate(lines, 1) if text.rstrip().endswith(path)), None)
        problems.append(Problem("mkdocs.yml", line, f"nav names `{path}`, which is not a page in "
                                f"{manual.docs_dir}/; {did_you_mean(path, known)}"))
    return problems


def _link_problems(manual: Manual) -> list[Problem]:
    docs = manual.root / manual.docs_dir
    regional = {chapter.src_uri: chapter.body for chapter in manual.chapters}

    def exists_in_docs(uri: str) -> bool:
        return (docs / uri).exists() or uri in GENERATED_PAGES

    # A board's site is the regional tree plus its own pages, so its links may point at either.
    board_sites = {board: {**regional, **{page.src_uri: split_front_matter(page.text).body for page in pages}}
                   for board, pages in manual.region.pages.items()}
    problems = []
    for chapter in manual.chapters:
        problems.extend(check_links(chapter.chapter.path, chapter.body, chapter.body_line, chapter.src_uri,
                                    regional, exists_in_docs))
    for board, pages in manual.region.pages.items():
        for page in pages:
            front = split_front_matter(page.text)
            problems.extend(check_links(page.path, front.body, front.body_line, page.src_uri, board_sites[board],
                                        exists_in_docs))
    by_id = {chapter.chapter.id: chapter for chapter in manual.chapters}
    for chapter_id, overlays in manual.region.overlays.items():
        target = by_id[chapter_id]
        for overlay in overlays:
            site = board_sites.get(overlay.board, regional)
            for block in overlay.blocks:
                # A block is published inside its chapter, so its links are relative to the chapter.
                problems.extend(check_links(overlay.path, block.markdown, block.line + 1, target.src_uri,
                                            site, exists_in_docs))
    return problems
