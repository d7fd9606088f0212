"""`procedures digest`: a board's e-mail digest of the amendments on its site since a day or an edition.

The digest is made from the built site's `amendments.json`, the catalogue the Amendments pages are made
from, so it lists what readers of the board's site were told: the shared amendments and the board's own,
newest first, each with its chapter's page on the board's site and its what-changed view. Boards keep
their subscribers in their own mailing-list service; the digest goes to the list's address.

`digest_message` is a pure function from the catalogue to a standard message (plain text and HTML);
`send` hands it to an SMTP server named by environment variables, never by the repository.
"""

from __future__ import annotations

import datetime as dt
import json
import smtplib
import ssl
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import git
import jinja2

from mkdocs_procedures.core.amendments import uk_date
from mkdocs_procedures.core.boards import Board
from mkdocs_procedures.core.editions import EditionError, find_editions
from mkdocs_procedures.core.problems import did_you_mean
from mkdocs_procedures.core.site_layout import JSON

SMTP_VARIABLES = ("PROCEDURES_SMTP_HOST", "PROCEDURES_SMTP_PORT", "PROCEDURES_SMTP_STARTTLS",
                  "PROCEDURES_SMTP_USER", "PROCEDURES_SMTP_PASSWORD", "PROCEDURES_MAIL_FROM")
"""Where and as whom the digest is sent: set in the sending machine's environment (a CI secret)."""


class DigestError(Exception):
    """A digest that cannot be made or sent, said for the board admin running the command."""


@dataclass(frozen=True)
class Since:
    """From when a digest lists amendments: a day (that day included), or an edition (what came after it)."""

    day: dt.date
    label: str
    """As the digest says it: `1 November 2026`, or `edition 2026-11-23`."""
    after_commits: Collection[str] | None = None
    """For an edition: the commits published after it; an amendment from git is listed when it is one."""

    def includes(self, record: Mapping[str, Any]) -> bool:
        day = dt.date.fromisoformat(str(record["date"]))
        if self.after_commits is None:
            return day >= self.day
        if record.get("commit"):
            return record["commit"] in self.after_commits
        return day > self.day  # a record typed in later, about a change after the edition


@dataclass(frozen=True)
class DigestEntry:
    title: str
    details: str
    day: dt.date
    board_name: str | None
    """The board's name for a local amendment; None for a shared one."""
    page: str | None
    """The chapter on the board's site (absolute), or None for a withdrawn chapter or the board's details."""
    changes: str | None
    """Its what-changed view (absolute), where it has one."""

    @property
    def date(self) -> str:
        return uk_date(self.day)


def entries_for(records: Sequence[Mapping[str, Any]], board: Board, site_url: str, since: Since) -> list[DigestEntry]:
    """The amendments of the board's site since then, newest first (as the catalogue lists them)."""
    site_url = site_url.rstrip("/") + "/"
    entries = []
    for record in records:
        if record.get("board") not in (None, board.id) or not since.includes(record):
            continue
        page = record.get("url")
        if page is not None and record.get("board") is None:
            page = f"{board.id}/{page}"  # the board's copy of a shared chapter
        entries.append(DigestEntry(
            title=str(record.get("title") or record.get("chapter") or ""), details=str(record["details"]),
            day=dt.date.fromisoformat(str(record["date"])),
            board_name=board.name if record.get("board") else None,
            page=site_url + page if page is not None else None,
            changes=site_url + str(record["changes"]) if record.get("changes") else None,
        ))
    return entries


def digest_message(entries: Sequence[DigestEntry], board: Board, site_name: str, site_url: str, since: Since,
                   sender: str, now: dt.datetime) -> EmailMessage:
    """The digest as a standard e-mail message: plain text and HTML, to the board's mailing list."""
    if board.digest is None:
        raise DigestError(f"board `{board.id}` has no `digest` in {board.config_path or 'its board.yml'}; "
                          "expected `digest:` with `to:` (the mailing list's address)")
    board_site = site_url.rstrip("/") + f"/{board.id}/"
    count = f"{len(entries)} amendment{'' if len(entries) == 1 else 's'}" if entries else "No amendments"
    variables = {"entries": entries, "board": board, "site_name": site_name, "since": since.label,
                 "board_site": board_site, "log": board_site + "amendments/", "feed": board_site + "feed.xml",
                 "count": count, "unsubscribe": board.digest.unsubscribe}
    message = EmailMessage()
    message["Subject"] = f"{site_name}: {count} for {board.short_name} since {since.label}"
    message["From"] = sender
    message["To"] = board.digest.to
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid("procedures-digest", domain=urlsplit(site_url).hostname or None)
    message["List-Id"] = f"{board.name} procedures amendments <{board.id}.procedures-digest.{_host(site_url)}>"
    if board.digest.unsubscribe:
        message["List-Unsubscribe"] = f"<{board.digest.unsubscribe}>"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(_templates(False).get_template("digest.txt").render(**variables))
    message.add_alternative(_templates(True).get_template("digest.html").render(**variables), subtype="html")
    return message


def since(root: Path, value: str, zone: ZoneInfo) -> Since:
    """`--since`: a day (`2026-11-01`), or the name of an edition (tag `edition/<name>` or editions.yml)."""
    try:
        day = dt.date.fromisoformat(value)
        return Since(day, f"{day.day} {day.strftime('%B %Y')}")
    except ValueError:
        pass
    try:
        editions = find_editions(root)
    except EditionError as error:
        raise DigestError(str(error)) from error
    for edition in editions:
        if edition.name == value:
            after = git.Repo(root, search_parent_directories=True).git.rev_list(f"{edition.sha}..HEAD").split()
            return Since(edition.landed_at.astimezone(zone).date(), f"edition {edition.name}", frozenset(after))
    names = [edition.name for edition in editions]
    raise DigestError(f"--since `{value}`: expected a day like 2026-11-01 or an edition's name"
                      + (f"; {did_you_mean(value, names)}" if names else "; the manual has no editions"))


def read_catalogue(site: Path) -> list[dict[str, Any]]:
    """The built site's amendments (`amendments.json`), newest first."""
    source = site / JSON
    try:
        records = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise DigestError(f"{source}: not found; build the site first (`make site`), or pass --site") from error
    except (OSError, ValueError) as error:
        raise DigestError(f"{source}: cannot be read as the amendments' JSON: {error}") from error
    if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
        raise DigestError(f"{source}: expected a list of amendments, as the build writes it")
    return records


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    starttls: bool
    user: str | None
    password: str | None

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> SmtpSettings:
        host = environ.get("PROCEDURES_SMTP_HOST", "").strip()
        if not host:
            raise DigestError("PROCEDURES_SMTP_HOST is not set; expected the SMTP server's host name in the "
                              "environment (with PROCEDURES_SMTP_PORT, PROCEDURES_SMTP_STARTTLS, "
                              "PROCEDURES_SMTP_USER and PROCEDURES_SMTP_PASSWORD as needed)")
        port_text = environ.get("PROCEDURES_SMTP_PORT", "587").strip()
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise DigestError(f"PROCEDURES_SMTP_PORT is `{port_text}`; expected a port number such as 587")
        starttls_text = environ.get("PROCEDURES_SMTP_STARTTLS", "yes").strip().lower()
        if starttls_text not in ("yes", "no", "true", "false", "1", "0"):
            raise DigestError(f"PROCEDURES_SMTP_STARTTLS is `{starttls_text}`; expected `yes` or `no`")
        user = environ.get("PROCEDURES_SMTP_USER") or None
        password = environ.get("PROCEDURES_SMTP_PASSWORD") or None
        if user and not password:
            raise DigestError("PROCEDURES_SMTP_USER is set but PROCEDURES_SMTP_PASSWORD is not; expected both")
        return cls(host, int(port_text), starttls_text in ("yes", "true", "1"), user, password)


def send(message: EmailMessage, settings: SmtpSettings, timeout: float = 30) -> None:
    """Hand the message to the SMTP server: STARTTLS and log-in as set; every refusal is a `DigestError`."""
    where = f"the SMTP server {settings.host}:{settings.port}"
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=timeout) as server:
            if settings.starttls:
                server.starttls(context=ssl.create_default_context())
            if settings.user and settings.password:
                server.login(settings.user, settings.password)
            server.send_message(message)
    except smtplib.SMTPAuthenticationError as error:
        raise DigestError(f"{where} refused the user name or password (PROCEDURES_SMTP_USER, "
                          f"PROCEDURES_SMTP_PASSWORD): {error.smtp_code} {_said(error.smtp_error)}") from error
    except smtplib.SMTPNotSupportedError as error:
        raise DigestError(f"{where} does not offer what was asked ({_said(error)}); PROCEDURES_SMTP_STARTTLS=no "
                          "is only for a server on this machine or a trusted network") from error
    except smtplib.SMTPRecipientsRefused as error:
        refused = ", ".join(f"{address} ({code} {_said(said)})" for address, (code, said) in error.recipients.items())
        raise DigestError(f"{where} refused the recipient: {refused}") from error
    except smtplib.SMTPResponseException as error:
        raise DigestError(f"{where} refused the message: {error.smtp_code} {_said(error.smtp_error)}") from error
    except (smtplib.SMTPException, ssl.SSLError) as error:
        raise DigestError(f"{where} failed: {error}") from error
    except OSError as error:  # refused, unreachable, timed out
        raise DigestError(f"could not connect to {where}: {error.strerror or error}") from error


def _said(text: bytes | str | BaseException) -> str:
    if isinstance(text, bytes):
        return text.decode("utf-8", errors="replace")
    return str(text)


def _host(site_url: str) -> str:
    return urlsplit(site_url).hostname or "localhost"


def _templates(html: bool) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("procedures_tools", "templates"), autoescape=html,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True)
