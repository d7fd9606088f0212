"""`procedures`: tools for editors and board admins, run in the manual's folder.

Exit codes: 0 all well; 1 problems found (check errors, drift, an out-of-date CODEOWNERS, a refused
commit, an existing file); 2 the command was used wrongly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from mkdocs_procedures.core.boards import BOARD_ID, find_board_folders
from mkdocs_procedures.core.history import HistoryError, read_history
from mkdocs_procedures.core.problems import Severity, did_you_mean
from mkdocs_procedures.core.site_layout import REGIONAL_SITE_NAMES

from . import amend, drift, owners, review, scaffold
from .check import check_manual
from .manual import Manual, ManualError

OK, PROBLEMS, USAGE = 0, 1, 2


def run_check(arguments: argparse.Namespace, manual: Manual) -> int:
    problems = check_manual(manual)
    if arguments.format == "json":
        print(json.dumps([{"path": p.path, "line": p.line, "severity": p.severity.value, "message": p.message}
                          for p in problems], indent=2))
    else:
        for problem in problems:
            print(f"{problem}" + (" (warning)" if problem.severity is Severity.WARNING else ""))
    return PROBLEMS if problems else OK


def run_new_chapter(arguments: argparse.Namespace, manual: Manual) -> int:
    target = scaffold.new_chapter(manual, arguments.part, arguments.title, _today(arguments))
    print(f"created {target.relative_to(manual.root).as_posix()} and added it to `{arguments.part}` in mkdocs.yml")
    return OK


def run_new_board(arguments: argparse.Namespace, manual: Manual) -> int:
    for path in scaffold.new_board(manual, arguments.id, arguments.name):
        print(f"created {path.relative_to(manual.root).as_posix()}")
    print("next: replace the example values in board.yml, then run `procedures owners`")
    return OK


def run_amend(arguments: argparse.Namespace, manual: Manual) -> int:
    touched = amend.staged_changes(manual)
    if not touched:
        print("nothing is staged: `git add` the files you changed first", file=sys.stderr)
        return PROBLEMS
    print("This change touches:")
    for item in touched:
        print(f"  {item.path}: {item.chapter}" + (f" (board {item.board})" if item.board else " (shared)"))
    errors = [p for p in check_manual(manual) if p.severity is Severity.ERROR]
    if errors:
        for problem in errors:
            print(problem, file=sys.stderr)
        print("not committed: `procedures check` found the problems above", file=sys.stderr)
        return PROBLEMS
    details = None if arguments.editorial else arguments.details
    subject = arguments.message or (details or "Editorial change")
    if arguments.dry_run:
        print(f"would commit: {subject!r} with `Amendment: {details or 'none'}`")
        return OK
    sha = amend.commit(manual, subject, details)
    print(f"committed {sha[:12]} with `Amendment: {details or 'none'}`")
    return OK


def run_review_report(arguments: argparse.Namespace, manual: Manual) -> int:
    due = review.due_reviews(manual, _today(arguments), arguments.within)
    sys.stdout.write(review.as_csv(due) if arguments.format == "csv" else review.as_table(due))
    return OK


def run_owners(arguments: argparse.Namespace, manual: Manual) -> int:
    target = manual.root / arguments.output
    wanted = owners.codeowners(manual)
    if arguments.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != wanted:
            print(f"{arguments.output} is out of date with the boards' admins: run `procedures owners`",
                  file=sys.stderr)
            return PROBLEMS
        print(f"{arguments.output} is up to date")
        return OK
    target.write_text(wanted, encoding="utf-8")
    print(f"wrote {arguments.output}")
    return OK


def run_drift(arguments: argparse.Namespace, manual: Manual) -> int:
    roots = [manual.docs_dir, manual.boards_dir or "boards"]
    found = drift.find_drift(manual, read_history(manual.root, roots), arguments.board)
    for item in found:
        print(item)
    if not found:
        print("no local block needs re-checking")
    return PROBLEMS if found else OK


def run_as_at(arguments: argparse.Namespace, manual: Manual) -> int:
    from . import as_at  # with what it builds: only this command pays for its imports

    day = as_at.parse_day(arguments.date)
    zone = ZoneInfo(manual.time_zone)
    version = as_at.version_at(manual, day, zone, _today(arguments))
    output = Path(arguments.output or manual.root / f"site-as-at-{day.isoformat()}")
    page = as_at.build_as_at(manual, day, version, output, arguments.board)
    print(f"built the manual as it stood at the end of {day.strftime('%d-%m-%Y')} (version {version.sha[:12]}, "
          f"{version.landed_at.astimezone(zone).strftime('%d-%m-%Y %H:%M')}) into {output}")
    print(f"open {page}")
    return OK


def run_editions(arguments: argparse.Namespace, manual: Manual) -> int:
    from . import editions  # imports the PDF printer: only this command pays for it

    built = editions.build_editions(manual, Path(arguments.site).resolve(), ZoneInfo(manual.time_zone),
                                    print_pdfs=not arguments.no_pdf)
    for target in built:
        print(f"edition {target.name}: {target}")
    if not built:
        print("no editions: tag a published version `edition/<name>` or list it in editions.yml")
    return OK


def run_mark_edition(arguments: argparse.Namespace, manual: Manual) -> int:
    from . import editions

    edition = editions.mark_edition(manual, arguments.name, arguments.version)
    day = edition.landed_at.astimezone(ZoneInfo(manual.time_zone)).strftime("%d-%m-%Y")
    print(f"marked edition {edition.name}: version {edition.sha[:12]} of {day}, in editions.yml")
    print("commit editions.yml to publish it (procedures amend --editorial -m \"Mark edition ...\")")
    return OK


def run_pdf(arguments: argparse.Namespace, manual: Manual) -> int:
    moment = dt.datetime.now(ZoneInfo(manual.time_zone))
    from . import pdf  # Playwright and the PDF reader: only this command pays for their imports

    for made in pdf.make_pdfs(manual, Path(arguments.site), moment, arguments.board or None):
        print(f"{os.path.relpath(made.file)}: {made.pages} pages, {len(made.chapter_pages)} chapters")
    return OK


def run_digest(arguments: argparse.Namespace, manual: Manual) -> int:
    from . import digest

    if not arguments.output and not arguments.send:
        print("procedures digest: expected --output FILE, --send, or both", file=sys.stderr)
        return USAGE
    board = manual.region.boards.get(arguments.board)
    if board is None:
        boards_dir = manual.root / (manual.boards_dir or "boards")
        known = [folder.name for folder in find_board_folders(boards_dir)] if boards_dir.is_dir() else []
        if arguments.board in known:
            print(f"procedures: board `{arguments.board}` has errors; run `procedures check`", file=sys.stderr)
        else:
            print(f"procedures: no board `{arguments.board}`; {did_you_mean(arguments.board, known)}", file=sys.stderr)
        return PROBLEMS
    zone = ZoneInfo(manual.time_zone)
    try:
        since = digest.since(manual.root, arguments.since, zone)
        entries = digest.entries_for(digest.read_catalogue(Path(arguments.site)), board, manual.site_url, since)
        if not entries and not arguments.even_if_empty:
            print(f"nothing new for {board.short_name} since {since.label}: no digest "
                  "(--even-if-empty makes one anyway)")
            return OK
        sender = os.environ.get("PROCEDURES_MAIL_FROM") or f"{board.admins[0].name} <{board.admins[0].email}>"
        message = digest.digest_message(entries, board, manual.site_name, manual.site_url, since, sender,
                                        dt.datetime.now(zone))
        if arguments.output:
            Path(arguments.output).write_bytes(bytes(message))
            print(f"wrote {len(entries)} amendment{'' if len(entries) == 1 else 's'} for {board.short_name} to "
                  f"{arguments.output}")
        if arguments.send:
            digest.send(message, digest.SmtpSettings.from_environment(os.environ))
            print(f"sent {len(entries)} amendment{'' if len(entries) == 1 else 's'} for {board.short_name} to "
                  f"{message['To']}")
    except digest.DigestError as error:
        print(f"procedures: {error}", file=sys.stderr)
        return PROBLEMS
    return OK


def run_preview_amendments(arguments: argparse.Namespace, manual: Manual) -> int:
    from . import preview

    found = preview.preview_amendments(manual, arguments.base)
    print(preview.as_json(found) if arguments.format == "json" else preview.as_markdown(found), end="")
    return OK


def _today(arguments: argparse.Namespace) -> dt.date:
    return dt.date.fromisoformat(arguments.today) if arguments.today else dt.date.today()


def _text(expected: str) -> Callable[[str], str]:
    """An argument that must hold words: an empty one is wrong use (exit 2), not an empty log line."""
    def text(value: str) -> str:
        if not value.strip():
            raise argparse.ArgumentTypeError(f"is empty; expected {expected}")
        return value.strip()
    return text


def _chapter_title(value: str) -> str:
    title = _text("the chapter's title")(value)
    if not scaffold.slug(title):
        raise argparse.ArgumentTypeError(f"`{title}` has no letters or digits to make the chapter's file name from")
    return title


def _board_id(value: str) -> str:
    """A board id the build accepts: its folder name, and its site's address."""
    if not BOARD_ID.match(value):
        raise argparse.ArgumentTypeError(f"`{value}` cannot be a board id; expected lower-case letters, digits "
                                         "and hyphens, such as `telford-wrekin`")
    if value in REGIONAL_SITE_NAMES:
        raise argparse.ArgumentTypeError(f"`{value}` is taken by the site's own `/{value}/`; a board may not be "
                                         f"called any of {', '.join(sorted(REGIONAL_SITE_NAMES))}")
    return value


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(
        prog="procedures",
        description="Tools for editors and board admins of the procedures manual.",
        epilog="Exit codes: 0 all well, 1 problems found, 2 wrong use of the command.",
    )
    main_parser.add_argument("--root", default=".", help="the manual's folder, holding mkdocs.yml (default: .)")
    commands = main_parser.add_subparsers(dest="command", required=True, metavar="command")

    check = commands.add_parser("check", help="report what a strict build would reject, without building",
                                description="Report every problem a strict build would reject, one "
                                "`path:line: message` a line. Exit 1 if there is any.")
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.set_defaults(run=run_check)

    chapter = commands.add_parser("new-chapter", help="create a chapter and add it to the navigation",
                                  description="Create docs/<part folder>/<title>.md from a template and add "
                                  "it to the part in mkdocs.yml's nav. Never overwrites.")
    chapter.add_argument("part", help="the part's title as the nav shows it, e.g. 'Specific circumstances'")
    chapter.add_argument("title", type=_chapter_title, help="the chapter's title")
    chapter.add_argument("--today", help=argparse.SUPPRESS)
    chapter.set_defaults(run=run_new_chapter)

    board = commands.add_parser("new-board", help="create a board's folder with board.yml",
                                description="Create boards/<id>/ with board.yml and a local contacts page. "
                                "Never overwrites.")
    board.add_argument("id", type=_board_id, help="the board's id: lower-case letters, digits and hyphens")
    board.add_argument("name", type=_text("the board's full name"), help="the board's full name")
    board.set_defaults(run=run_new_board)

    amend_parser = commands.add_parser("amend", help="commit the staged change with its Amendment trailer",
                                       description="Show which chapters and boards the staged change touches, "
                                       "run check, and commit with `Amendment: <details>` (or "
                                       "`Amendment: none` with --editorial). Refuses when check finds errors.")
    kind = amend_parser.add_mutually_exclusive_group(required=True)
    kind.add_argument("--details", type=_text("what changed, as readers will see it in the amendments log (for a "
                                              "typo or formatting fix, --editorial)"),
                      help="what changed, as readers will see it in the amendments log")
    kind.add_argument("--editorial", action="store_true", help="a typo or formatting fix, left out of the log")
    amend_parser.add_argument("-m", "--message", help="the commit's first line (default: the details)")
    amend_parser.add_argument("--dry-run", action="store_true", help="show what would be committed")
    amend_parser.set_defaults(run=run_amend)

    report = commands.add_parser("review-report", help="chapters due for review, by owner",
                                 description="Chapters (and board pages) whose next_review has passed or "
                                 "falls within --within days, by owner.")
    report.add_argument("--within", type=int, default=30, help="days ahead to look (default: 30)")
    report.add_argument("--format", choices=["table", "csv"], default="table")
    report.add_argument("--today", help="the date to report as of, YYYY-MM-DD (default: today)")
    report.set_defaults(run=run_review_report)

    owners_parser = commands.add_parser("owners", help="write CODEOWNERS from the boards' admins",
                                        description="Write CODEOWNERS: each board's admins own boards/<id>/, "
                                        "the procedures group owns the rest. --check fails if it is out of date.")
    owners_parser.add_argument("--check", action="store_true", help="only check; exit 1 if out of date")
    owners_parser.add_argument("--output", default=owners.CODEOWNERS, help="where to write (default: CODEOWNERS)")
    owners_parser.set_defaults(run=run_owners)

    drift_parser = commands.add_parser("drift", help="local blocks to re-check after regional changes",
                                       description="List local blocks whose regional section changed after "
                                       "the block was last changed, with the regional amendment. Exit 1 if any.")
    drift_parser.add_argument("--board", help="only this board")
    drift_parser.set_defaults(run=run_drift)

    as_at_parser = commands.add_parser("as-at", help="build the manual as it stood at the end of a day",
                                       description="Build the manual (every board) as it stood at the end of a "
                                       "day, from the last version of the published branch on or before it, with "
                                       "a banner on every page saying so. For review panels.")
    as_at_parser.add_argument("date", help="the day, YYYY-MM-DD")
    as_at_parser.add_argument("--board", help="open this board's site (all boards are built)")
    as_at_parser.add_argument("--output", help="the folder to build into (default: site-as-at-<date>)")
    as_at_parser.add_argument("--today", help=argparse.SUPPRESS)
    as_at_parser.set_defaults(run=run_as_at)

    editions_parser = commands.add_parser("editions", help="build every edition into site/editions/",
                                          description="Build each edition (git tag `edition/<name>` or a line "
                                          "`<name>: <commit>` in editions.yml) from its own tree into "
                                          "<site>/editions/<name>/, with one PDF per board, once: built "
                                          "editions are kept under .cache/.")
    editions_parser.add_argument("--site", default="site", help="the built current site (default: site)")
    editions_parser.add_argument("--no-pdf", action="store_true",
                                 help="do not print the editions' PDFs (printed once by default, with Chromium)")
    editions_parser.set_defaults(run=run_editions)

    mark_parser = commands.add_parser("mark-edition", help="mark a published version as an edition",
                                      description="Add `<name>: <commit>` to editions.yml: the version is then "
                                      "built as an edition by `procedures editions`. The version must be on the "
                                      "published branch and the name new. Commit editions.yml to publish it.")
    mark_parser.add_argument("name", help="the edition's name, as in its address (for example 2026-11-23)")
    mark_parser.add_argument("--version", default="HEAD", help="the commit to mark (default: HEAD)")
    mark_parser.set_defaults(run=run_mark_edition)

    preview_parser = commands.add_parser(
        "preview-amendments", help="the amendments a branch will add to the log",
        description="List the amendments the commits on this branch (and not on the published branch) will add "
        "to the log once merged: chapter, board, details and date, newest first, as Markdown for a pull or "
        "merge request's summary, or as JSON.")
    preview_parser.add_argument("--base", default="origin/main",
                                help="the published branch to compare with (default: origin/main)")
    preview_parser.add_argument("--format", choices=["markdown", "json"], default="markdown")
    preview_parser.set_defaults(run=run_preview_amendments)

    digest_parser = commands.add_parser(
        "digest", help="write or send a board's e-mail digest of amendments",
        description="Make the e-mail digest of the amendments on a board's site (shared and the board's own, "
        "newest first, with links to each chapter and what changed) from the built site's amendments.json, "
        "and write it to a file (.eml) or send it to the board's mailing list (`digest.to` in its board.yml) "
        "through the SMTP server named by PROCEDURES_SMTP_HOST, PROCEDURES_SMTP_PORT (587), "
        "PROCEDURES_SMTP_STARTTLS (yes), PROCEDURES_SMTP_USER and PROCEDURES_SMTP_PASSWORD; the sender is "
        "PROCEDURES_MAIL_FROM, or the board's first admin. Nothing is made when nothing is new.")
    digest_parser.add_argument("--board", required=True, help="the board's id (its folder under boards/)")
    digest_parser.add_argument("--since", required=True,
                               help="a day (2026-11-01, included) or an edition's name (what came after it)")
    digest_parser.add_argument("--site", default="site", help="the built site (default: site)")
    digest_parser.add_argument("--output", help="write the message to this file")
    digest_parser.add_argument("--send", action="store_true", help="send it to the board's mailing list")
    digest_parser.add_argument("--even-if-empty", action="store_true",
                               help="make a digest even when nothing is new")
    digest_parser.set_defaults(run=run_digest)

    pdf_parser = commands.add_parser("pdf", help="print the whole manual to one PDF per site, in Chromium",
                                     description="Print each site's whole manual (regional and every board) to "
                                     "<site>/[<board>/]print/procedures-<board>.pdf: a cover, contents with page "
                                     "numbers, every chapter with its local content, the stamp on every page and "
                                     "bookmarks. Needs the built site and Debian's Chromium.")
    pdf_parser.add_argument("--site", default="site", help="the built site (default: site)")
    pdf_parser.add_argument("--board", action="append", help="only this site (a board's id, or 'regional'); "
                            "may be given more than once")
    pdf_parser.set_defaults(run=run_pdf)
    return main_parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    try:
        manual = Manual.load(Path(arguments.root))
        status: int = arguments.run(arguments, manual)
    except (ManualError, HistoryError) as error:
        print(f"procedures: {error}", file=sys.stderr)
        return PROBLEMS
    return status


if __name__ == "__main__":
    sys.exit(main())
