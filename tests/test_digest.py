"""The e-mail digest per board: made from the catalogue (a pure function), written to a file, and sent to a
real SMTP server listening on the loopback address."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope

from mkdocs_procedures.core.boards import Board, DigestSettings, board_from_text
from procedures_tools.cli import main
from procedures_tools.digest import DigestError, Since, digest_message, entries_for

from .conftest import SITE_URL, Project, chapter

NORTH = ("name: North Partnership\nshort_name: North\nwebsite: https://north.example.org/\n"
         "contacts:\n  front_door:\n    label: Door\n    phone: 01632 960111\n"
         "admins:\n  - name: North lead\n    email: lead@north.example.org\n"
         "digest:\n  to: updates@lists.north.example.org\n  unsubscribe: mailto:leave@lists.north.example.org\n")
SOUTH = NORTH.replace("North", "South").replace("north", "south").replace("960111", "960222")
NOW = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)


def board(text: str = NORTH, board_id: str = "north") -> Board:
    found, problems = board_from_text(board_id, f"boards/{board_id}/board.yml", text)
    assert found is not None, problems
    return found


def record(day: str, details: str, chapter: str = "referrals", board: str | None = None, commit: str | None = "c1",
           url: str | None = "responding/referrals/", changes: str | None = "changes/c1-referrals.html") -> dict[str, Any]:
    return {"date": day, "chapter": chapter, "title": chapter.title(), "path": f"docs/{chapter}.md",
            "details": details, "board": board, "commit": commit, "source": "git" if commit else "record",
            "withdrawn": False, "url": url, "changes": changes}


CATALOGUE = [
    record("2026-04-20", "South's own route", board="south", url="south/referrals/", changes="south/changes/c4.html"),
    record("2026-04-10", "North's own route", board="north", url="north/referrals/", changes="north/changes/c3.html"),
    record("2026-04-01", "Refer <b>at once</b> & record why", commit="c2"),
    record("2026-03-31", "Older wording", commit="c0"),
    record("2026-04-05", "Typed in from the old log", commit=None, changes=None),
]


def test_a_boards_digest_lists_shared_and_its_own_amendments_since_a_day() -> None:
    entries = entries_for(CATALOGUE, board(), SITE_URL, Since(dt.date(2026, 4, 1), "1 April 2026"))
    assert [(e.details, e.date, e.board_name) for e in entries] == [
        ("North's own route", "10-04-2026", "North Partnership"),
        ("Refer <b>at once</b> & record why", "01-04-2026", None),
        ("Typed in from the old log", "05-04-2026", None),
    ]
    # Each chapter on the board's own site; what changed where the build published it.
    assert [(e.page, e.changes) for e in entries] == [
        (SITE_URL + "north/referrals/", SITE_URL + "north/changes/c3.html"),
        (SITE_URL + "north/responding/referrals/", SITE_URL + "changes/c1-referrals.html"),
        (SITE_URL + "north/responding/referrals/", None),
    ]


def test_since_an_edition_lists_what_was_published_after_it() -> None:
    since = Since(dt.date(2026, 4, 1), "edition spring", frozenset({"c1", "c3"}))
    entries = entries_for(CATALOGUE, board(), SITE_URL, since)
    assert [e.details for e in entries] == ["North's own route", "Typed in from the old log"]


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def test_the_digest_is_a_standard_message_with_text_and_html() -> None:
    entries = entries_for(CATALOGUE, board(), SITE_URL, Since(dt.date(2026, 4, 1), "1 April 2026"))
    message = digest_message(entries, board(), "Test Procedures", SITE_URL, Since(dt.date(2026, 4, 1), "1 April 2026"),
                             "Procedures <procedures@example.org>", NOW)
    assert message["Subject"] == "Test Procedures: 3 amendments for North since 1 April 2026"
    assert message["To"] == "updates@lists.north.example.org"
    assert message["From"] == "Procedures <procedures@example.org>"
    assert message["List-Unsubscribe"] == "<mailto:leave@lists.north.example.org>"
    assert message["Date"] == "Fri, 01 May 2026 09:00:00 +0000"
    text, html = parts(message)
    assert "Refer <b>at once</b> & record why" in text
    assert text.index("North's own route") < text.index("Refer <b>at once</b>")
    assert f"What changed: {SITE_URL}north/changes/c3.html" in text
    assert "Refer &lt;b&gt;at once&lt;/b&gt; &amp; record why" in html and "<b>at once</b>" not in html
    assert f'<a href="{SITE_URL}north/responding/referrals/">Referrals</a>' in html
    assert f'<a href="{SITE_URL}north/amendments/">Every amendment</a>' in html


def test_a_board_without_an_unsubscribe_address_sends_no_unsubscribe_header() -> None:
    quiet = board(NORTH.replace("  unsubscribe: mailto:leave@lists.north.example.org\n", ""))
    message = digest_message([], quiet, "T", SITE_URL, Since(dt.date(2026, 4, 1), "1 April 2026"), "a@example.org", NOW)
    assert message["List-Unsubscribe"] is None
    assert message["Subject"] == "T: No amendments for North since 1 April 2026"
    no_digest = Board("east", "East", "East", "https://east.example.org/", {}, (), config_path="boards/east/board.yml")
    with pytest.raises(DigestError, match=re.escape("board `east` has no `digest` in boards/east/board.yml; expected `digest:`")):
        digest_message([], no_digest, "T", SITE_URL, Since(dt.date(2026, 4, 1), "x"), "a@example.org", NOW)
    assert DigestSettings("a@example.org").unsubscribe is None


@pytest.mark.parametrize(
    ("digest", "expected"),
    [
        ("digest:\n  to: not-an-address\n", "field `digest.to`: expected the mailing list's e-mail address, found `not-an-address`"),
        ("digest:\n  to: a@example.org\n  unsubscribe: javascript:alert(1)\n",
         "field `digest.unsubscribe`: expected a `mailto:` address or a web address starting https://"),
        ("digest:\n  unsubscribe: mailto:a@example.org\n", "field `digest.to`: is required"),
        ("digest: yes\n", "field `digest`: expected `to` (the mailing list's address)"),
    ],
)
def test_a_wrong_digest_setting_names_the_field(digest: str, expected: str) -> None:
    text = NORTH.split("digest:")[0] + digest
    found, problems = board_from_text("north", "boards/north/board.yml", text)
    assert found is None and any(expected in str(problem) for problem in problems), problems


@dataclass
class Mailbox:
    """What a real SMTP server on 127.0.0.1 received."""

    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        self.messages.append(email.message_from_bytes(content, policy=email.policy.default))  # type: ignore[arg-type]
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def smtp_server(**options: Any) -> Iterator[Mailbox]:
    mailbox = Mailbox(free_port())
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port, **options)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    yield from smtp_server()


def accept_only(user: bytes, password: bytes) -> Any:
    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        return AuthResult(success=(auth_data.login, auth_data.password) == (user, password), handled=False)
    return authenticator


@pytest.fixture
def manual(project: Project) -> Project:
    project.config["nav"] = [{"Home": "index.md"}, {"Contents": "contents.md"}, {"Part": ["referrals.md", "help.md"]}]
    project.plugin_config().update({"boards_dir": "boards"})
    project.write("boards/north/board.yml", NORTH)
    project.write("boards/south/board.yml", SOUTH)
    project.write_pages({"referrals.md": chapter("Referrals", "## When to refer\n\nRefer when worried.\n"),
                         "help.md": chapter("Early Help", "## Early help\n\nOffer help.\n")})
    project.commit("Publish the manual", "2026-01-05T10:00:00+00:00")
    project.git("tag", "edition/launch")
    project.write_pages({"referrals.md": chapter("Referrals", "## When to refer\n\nRefer at once when worried.\n")})
    project.commit("Amendment: Refer at once", "2026-03-02T11:00:00+00:00")
    project.write("boards/north/overlays/referrals.md", "::: end\nNorth's route.\n:::\n")
    project.commit("Amendment: North's own route", "2026-04-01T09:00:00+00:00")
    project.write("boards/south/overlays/help.md", "::: end\nSouth's offer.\n:::\n")
    project.commit("Amendment: South's own offer", "2026-04-02T09:00:00+00:00")
    project.build()
    return project


def digest(manual: Project, capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    status = main(["--root", str(manual.root), "digest", "--site", str(manual.site), *arguments])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def smtp_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("PROCEDURES_SMTP_USER", "PROCEDURES_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PROCEDURES_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("PROCEDURES_SMTP_STARTTLS", "no")  # the test's server on the loopback address has no TLS
    monkeypatch.setenv("PROCEDURES_MAIL_FROM", "Procedures <procedures@example.org>")
    return monkeypatch


def test_the_digest_reaches_the_boards_list_through_a_real_smtp_server(
    manual: Project, capsys: pytest.CaptureFixture[str], mailbox: Mailbox, smtp_environment: pytest.MonkeyPatch,
) -> None:
    smtp_environment.setenv("PROCEDURES_SMTP_PORT", str(mailbox.port))
    status, out, err = digest(manual, capsys, "--board", "north", "--since", "2026-03-01", "--send")
    assert (status, err) == (0, "")
    assert out == "sent 2 amendments for North to updates@lists.north.example.org\n"
    [message] = mailbox.messages
    assert mailbox.recipients == [["updates@lists.north.example.org"]]
    assert message["Subject"] == "Test Procedures: 2 amendments for North since 1 March 2026"
    assert message["List-Unsubscribe"] == "<mailto:leave@lists.north.example.org>"
    text, html = parts(message)  # type: ignore[arg-type]
    assert text.index("North's own route") < text.index("Refer at once")
    assert "South" not in text and "Publish the manual" not in text
    assert f"{SITE_URL}north/referrals/" in html


def test_since_an_edition_and_to_a_file(manual: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "south.eml"
    status, out, _ = digest(manual, capsys, "--board", "south", "--since", "launch", "--output", str(target))
    assert (status, out) == (0, f"wrote 2 amendments for South to {target}\n")
    message = email.message_from_bytes(target.read_bytes(), policy=email.policy.default)
    assert message["Subject"] == "Test Procedures: 2 amendments for South since edition launch"
    text, _ = parts(message)  # type: ignore[arg-type]
    assert "South's own offer" in text and "Refer at once" in text and "North" not in text
    status, _, err = digest(manual, capsys, "--board", "south", "--since", "lunch", "--output", str(target))
    assert status == 1 and "--since `lunch`: expected a day like 2026-11-01 or an edition's name; did you mean `launch`" in err


def test_nothing_new_is_not_sent_unless_asked(
    manual: Project, capsys: pytest.CaptureFixture[str], mailbox: Mailbox, smtp_environment: pytest.MonkeyPatch,
) -> None:
    smtp_environment.setenv("PROCEDURES_SMTP_PORT", str(mailbox.port))
    status, out, _ = digest(manual, capsys, "--board", "north", "--since", "2026-05-01", "--send")
    assert (status, out) == (0, "nothing new for North since 1 May 2026: no digest (--even-if-empty makes one anyway)\n")
    assert mailbox.messages == []
    assert digest(manual, capsys, "--board", "north", "--since", "2026-05-01", "--send", "--even-if-empty")[0] == 0
    assert [m["Subject"] for m in mailbox.messages] == ["Test Procedures: No amendments for North since 1 May 2026"]


def test_a_refused_connection_is_a_clear_error(
    manual: Project, capsys: pytest.CaptureFixture[str], smtp_environment: pytest.MonkeyPatch,
) -> None:
    port = free_port()  # nothing listens there
    smtp_environment.setenv("PROCEDURES_SMTP_PORT", str(port))
    status, _, err = digest(manual, capsys, "--board", "north", "--since", "2026-03-01", "--send")
    assert status == 1
    assert f"procedures: could not connect to the SMTP server 127.0.0.1:{port}: Connection refused" in err


def test_a_server_without_starttls_is_refused_unless_told(
    manual: Project, capsys: pytest.CaptureFixture[str], mailbox: Mailbox, smtp_environment: pytest.MonkeyPatch,
) -> None:
    smtp_environment.setenv("PROCEDURES_SMTP_PORT", str(mailbox.port))
    smtp_environment.setenv("PROCEDURES_SMTP_STARTTLS", "yes")
    status, _, err = digest(manual, capsys, "--board", "north", "--since", "2026-03-01", "--send")
    assert status == 1 and mailbox.messages == []
    assert (f"the SMTP server 127.0.0.1:{mailbox.port} does not offer what was asked (STARTTLS extension not "
            "supported by server.)") in err


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # the loopback test server only
def test_a_refused_password_is_a_clear_error(
    manual: Project, capsys: pytest.CaptureFixture[str], smtp_environment: pytest.MonkeyPatch,
) -> None:
    for mailbox in smtp_server(authenticator=accept_only(b"digest", b"right"), auth_require_tls=False,
                               auth_required=True):
        smtp_environment.setenv("PROCEDURES_SMTP_PORT", str(mailbox.port))
        smtp_environment.setenv("PROCEDURES_SMTP_USER", "digest")
        smtp_environment.setenv("PROCEDURES_SMTP_PASSWORD", "wrong")
        status, _, err = digest(manual, capsys, "--board", "north", "--since", "2026-03-01", "--send")
        assert status == 1
        assert (f"procedures: the SMTP server 127.0.0.1:{mailbox.port} refused the user name or password "
                "(PROCEDURES_SMTP_USER, PROCEDURES_SMTP_PASSWORD): 535") in err
        smtp_environment.setenv("PROCEDURES_SMTP_PASSWORD", "right")
        assert digest(manual, capsys, "--board", "north", "--since", "2026-03-01", "--send")[0] == 0
        assert len(mailbox.messages) == 1


def test_the_command_names_what_is_missing(manual: Project, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PROCEDURES_SMTP_HOST", raising=False)
    status, _, err = digest(manual, capsys, "--board", "north", "--since", "2026-03-01", "--send")
    assert status == 1 and "PROCEDURES_SMTP_HOST is not set" in err
    status, _, err = digest(manual, capsys, "--board", "nort", "--since", "2026-03-01", "--send")
    assert status == 1 and "no board `nort`; did you mean `north`" in err
    status, _, err = digest(manual, capsys, "--board", "north", "--since", "2026-03-01")
    assert status == 2 and "expected --output FILE, --send, or both" in err
    status = main(["--root", str(manual.root), "digest", "--site", str(tmp_path), "--board", "north", "--since",
                   "2026-03-01", "--output", str(tmp_path / "x.eml")])
    assert status == 1 and "amendments.json: not found; build the site first" in capsys.readouterr().err
