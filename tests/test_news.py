"""What's new for a delegation (model.news, service.news) and the e-mail digest
(service.digest, ``drafting digest``), received by a real local SMTP server (aiosmtpd)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import subprocess
from pathlib import Path

import pytest

from conftest import run_cli
from drafting.model.errors import DraftingError
from drafting.model.news import Seen, seen, whats_new
from drafting.service import app_queries as q
from drafting.service.digest import message, send_digests, settings
from drafting.service.inputs import decide, submit_data
from drafting.service.news import Visits, records, state_folder, tell
from drafting.service.versions import compose
from drafting.store.workspace import Workspace

DOC, ROUND = "action-plan", "zero-draft-inputs"
JULY_20 = dt.datetime(2026, 7, 20, 12, tzinfo=dt.UTC)  # after the example's deadlines
JULY_10 = dt.datetime(2026, 7, 10, 12, tzinfo=dt.UTC)  # five days before them


def news_of(root: Path, code: str, last: Seen | None, now=JULY_20):
    ws = Workspace(root)
    return ws, whats_new(records(ws), code, last, now)


# ---------------------------------------------------------------------------- the model


def test_a_first_visit_tells_where_things_stand(example):
    _ws, news = news_of(example, "MEX", None)
    assert news.since is None
    assert not news.versions  # the zero drafts are no news; a revision would be
    decided = {d.proposal: d.status for d in news.decisions}
    assert "MEX-4" not in decided  # still open: nothing to tell
    assert decided["MEX-2"] == "accepted" and decided["MEX-5"] == "noted"
    assert not news.deadlines  # the rounds closed on 15 July


def test_a_first_visit_after_a_revision_says_it_is_out(example):
    compose(Workspace(example), DOC, "zero-draft", "rev1", allow_open=True)
    _, news = news_of(example, "BEL", None)
    assert [(v.document, v.version) for v in news.versions] == [(DOC, "rev1")]


def test_news_since_a_visit_are_what_changed(example):

    ws = Workspace(example)
    last = seen(records(ws), "ESP", JULY_20)
    _, nothing = news_of(example, "ESP", last)
    assert not nothing and nothing.count == 0
    # the Presidency decides on MEX-4 (Mexico's) and on MEX-1, which Spain co-sponsors
    decide(Workspace(example), "MEX-1", "rejected", note="out of scope", document=DOC)
    # Mexico names Spain as co-sponsor of a new proposal
    ws = Workspace(example)
    data = q.contribution_with(
        ws,
        DOC,
        ROUND,
        "MEX",
        [q.new_proposal("comment", paragraph="clr-1", text="Also mapping.")],
        co_sponsors=["ESP", "SEN"],
    )
    submit_data(ws, data, delegation="MEX", source="test")
    compose(Workspace(example), DOC, "zero-draft", "rev1", allow_open=True)
    ws, news = news_of(example, "ESP", last)
    assert [(v.document, v.version, v.label) for v in news.versions] == [(DOC, "rev1", "Revision 1")]
    assert [(d.proposal, d.before, d.status, d.co_sponsor) for d in news.decisions] == [
        ("MEX-1", "accepted", "rejected", True)
    ]
    assert [(r.by, r.proposals) for r in news.cosponsor_requests] == [("MEX", ("MEX-9",))]
    said = [i.text for i in tell(ws, news)]
    assert said[0].startswith("Revision 1 of the Vientiane Action Plan is out (")
    assert any(
        "Mexico's proposal MEX-1, which you co-sponsor, (amendment to Action 11) was not retained." in s for s in said
    )
    assert any(s.startswith("Mexico named Spain as a co-sponsor of 1 comment on the zero draft (MEX-9)") for s in said)
    for s in said:
        assert "rejected" not in s and "zero-draft" not in s and "clr-1" not in s, s
    # each piece of news links to the place it is about
    assert [i.href.split("?")[0] for i in tell(ws, news)] == ["draft", "draft", "my-inputs"]
    assert tell(ws, news)[1].href == "draft?doc=action-plan&v=zero-draft&p=clr-2&proposal=MEX-1"


def test_deadlines_approach_while_a_round_is_open(example):
    ws, news = news_of(example, "MEX", seen(records(Workspace(example)), "MEX", JULY_10), now=JULY_10)
    assert {d.round for d in news.deadlines} == {ROUND, "pd-zero-draft-inputs"}
    mine = next(d for d in news.deadlines if d.round == ROUND)
    assert mine.left == dt.timedelta(days=5, hours=11, minutes=59, seconds=59) and "amend" in mine.sent
    said = next(i.text for i in tell(ws, news) if i.kind == "deadline" and i.document == DOC)
    assert said.startswith("Inputs on the zero draft of the Vientiane Action Plan close on 15 July 2026, 23:59")
    assert "in 5 days" in said and "Mexico has sent 4 proposals and 1 comment" in said
    _, bel = news_of(example, "BEL", None, now=JULY_10)
    assert "Belgium has not sent any yet" in " ".join(i.text for i in tell(ws, bel))
    # not yet open, and already closed: nothing
    _, early = news_of(example, "MEX", None, now=dt.datetime(2026, 6, 20, tzinfo=dt.UTC))
    _, late = news_of(example, "MEX", None, now=JULY_20)
    assert not early.deadlines and not late.deadlines


def test_a_snapshot_round_trips_and_junk_is_a_first_visit():
    snap = Seen("2026-07-20T12:00:00Z", frozenset({("a", "b")}), {"MEX-1": "accepted"}, frozenset({"X-1"}))
    assert Seen.from_json(json.loads(json.dumps(snap.to_json()))) == snap
    for junk in (None, [], {"at": 3}, {"at": "x", "versions": [1, 2, 3]}, "text"):
        assert Seen.from_json(junk) is None


def test_last_visits_are_kept_by_the_server_outside_the_repository(example, tmp_path):
    folder = state_folder(example)
    assert folder == example / ".git" / "drafting-state"
    store = Visits(folder)
    snap = seen(records(Workspace(example)), "MEX", JULY_20)
    store.save("MEX", snap)
    assert store.load("MEX") == snap and store.load("FRA") is None
    status = subprocess.run(["git", "status", "--porcelain"], cwd=example, capture_output=True, text=True).stdout
    assert status == ""  # nothing in the workspace changed
    with pytest.raises(DraftingError):
        store.save("../../evil", snap)
    (folder / "visits" / "FRA.json").write_text("{not json")
    assert store.load("FRA") is None  # a damaged file is a first visit, not a failure
    elsewhere = state_folder(example, str(tmp_path / "state"))
    assert elsewhere.parent == tmp_path / "state" and elsewhere.name.startswith("example-")


# ----------------------------------------------------------------------------- e-mail


def test_settings_come_from_the_environment_and_the_servers_secrets():
    secrets = {
        "drafting": {
            "smtp": {
                "host": "smtp.example.org",
                "user": "u",
                "password": "s3cr3t",
                "from": "Secretariat <s@example.org>",
            },
            "users": {"focal.point@sre.gob.mx": "MEX", "lao": "LAO"},
            "notify": {"MEX": ["mission@sre.gob.mx"], "FRA": "ccm@diplomatie.gouv.fr"},
            "public_url": "https://drafting.example.org/",
        }
    }
    s = settings({}, secrets)
    assert s.smtp.host == "smtp.example.org" and s.smtp.port == 587 and s.smtp.security == "starttls"
    assert s.recipients == {"MEX": ("focal.point@sre.gob.mx", "mission@sre.gob.mx"), "FRA": ("ccm@diplomatie.gouv.fr",)}
    assert s.smtp.password == "s3cr3t" and "s3cr3t" not in repr(s.smtp)  # the password is never printed

    env = settings({"DRAFTING_SMTP_HOST": "relay", "DRAFTING_SMTP_PORT": "465"}, secrets)
    assert (env.smtp.host, env.smtp.port, env.smtp.security) == ("relay", 465, "ssl")
    with pytest.raises(DraftingError, match="not a number"):
        settings({"DRAFTING_SMTP_HOST": "relay", "DRAFTING_SMTP_PORT": "many"}, {})
    assert settings({}, {}).smtp is None


def test_the_digest_reads_as_a_delegate_would_read_it(example):
    decide(Workspace(example), "MEX-4", "rejected", note="outside the scope of the Action Plan", document=DOC)
    ws = Workspace(example)
    last = seen(records(ws), "MEX", JULY_20)
    compose(Workspace(example), DOC, "zero-draft", "rev1", allow_open=True)
    ws, news = news_of(
        example, "MEX", Seen(last.at, last.versions, {**last.statuses, "MEX-4": "open"}, last.cosponsored)
    )
    msg = message(
        conference=ws.config.conference,
        delegation="Mexico",
        items=tell(ws, news),
        titles={DOC: "Vientiane Action Plan"},
        since=news.since,
        public_url="https://drafting.example.org",
        sender="Secretariat <s@example.org>",
        to=["focal.point@sre.gob.mx"],
    )
    assert msg["Subject"] == (
        "Third Review Conference of the Convention on Cluster Munitions: Revision 1 is out; 1 decision on your proposals"
    )
    text = msg.get_body(("plain",)).get_content()
    assert text.startswith("News for the delegation of Mexico since 20 July 2026.")
    assert "- Revision 1 of the Vientiane Action Plan is out" in text
    assert (
        "- Your proposal MEX-4 (amendment to Action 19) was not retained. "
        "The Presidency's note: “outside the scope of the Action Plan”" in text
    )
    assert "  https://drafting.example.org/draft?doc=action-plan&v=zero-draft&p=" in text
    assert msg.get_body(("html",)).get_content().count("<li>") == 2


@pytest.fixture
def smtp_server():
    """A real SMTP server on localhost (aiosmtpd) that keeps what it receives."""
    controller_mod = pytest.importorskip("aiosmtpd.controller")
    from shell import free_port

    received: list = []

    class Keep:
        async def handle_DATA(self, server, session, envelope):
            received.append(
                (
                    envelope.mail_from,
                    list(envelope.rcpt_tos),
                    email.message_from_bytes(envelope.content, policy=email.policy.default),
                )
            )
            return "250 OK"

    port = free_port()
    controller = controller_mod.Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, received
    finally:
        controller.stop()


def test_drafting_digest_sends_each_delegation_its_news_once(example, tmp_path, smtp_server):
    port, received = smtp_server
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        '[drafting]\npublic_url = "https://drafting.example.org"\n'
        '[drafting.users]\n"focal.point@sre.gob.mx" = "MEX"\n'
        '[drafting.notify]\nMEX = ["mission@sre.gob.mx"]\nFRA = ["ccm@diplomatie.gouv.fr"]\n'
    )
    env = {
        "DRAFTING_SMTP_HOST": "127.0.0.1",
        "DRAFTING_SMTP_PORT": str(port),
        "DRAFTING_SMTP_SECURITY": "none",
        "DRAFTING_SMTP_FROM": "Conference Secretariat <secretariat@example.org>",
    }
    ws_args = ("--workspace", str(example), "digest", "--secrets", str(secrets))
    preview = run_cli(*ws_args, env=env)
    assert preview.returncode == 0, preview.stderr
    assert "A preview: nothing was sent" in preview.stdout and not received
    sent = run_cli(*ws_args, "--send", "--json", env=env)
    assert sent.returncode == 0, sent.stderr
    assert {s["delegation"] for s in json.loads(sent.stdout) if s["sent"]} == {"MEX", "FRA"}
    by_to = {tuple(to): msg for _, to, msg in received}
    mex = by_to[("focal.point@sre.gob.mx", "mission@sre.gob.mx")]
    assert mex["From"] == "Conference Secretariat <secretariat@example.org>"
    body = mex.get_body(("plain",)).get_content()
    assert (
        "News for the delegation of Mexico" in body
        and "Your proposal MEX-2 (amendment to Action 1) was accepted." in body
    )
    assert "https://drafting.example.org/draft?doc=action-plan&v=zero-draft&p=uni-1&proposal=MEX-2" in body
    assert "rejected" not in body and "zero-draft-inputs" not in body
    # again: nothing new, nothing sent; then a decision on Mexico's proposal, and only Mexico hears of it
    received.clear()
    assert run_cli(*ws_args, "--send", env=env).returncode == 0 and not received
    decide(Workspace(example), "MEX-8", "deferred", document="political-declaration")
    assert run_cli(*ws_args, "--send", env=env).returncode == 0
    assert [to for _, to, _ in received] == [["focal.point@sre.gob.mx", "mission@sre.gob.mx"]]
    assert "Your proposal MEX-8 (" in received[0][2].get_body(("plain",)).get_content()
    assert ") was deferred." in received[0][2].get_body(("plain",)).get_content()

    # nothing of this is in the workspace
    status = subprocess.run(["git", "status", "--porcelain"], cwd=example, capture_output=True, text=True).stdout
    assert status == ""


def test_without_an_smtp_server_sending_is_one_clear_line(example, tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[drafting.notify]\nMEX = ["a@example.org"]\n')
    r = run_cli("--workspace", str(example), "digest", "--send", "--secrets", str(secrets))
    assert r.returncode == 2 and r.stderr.startswith("drafting: no SMTP server configured"), r.stderr
    with pytest.raises(DraftingError, match="refused"):
        send_digests(
            Workspace(example),
            settings(
                {"DRAFTING_SMTP_HOST": "127.0.0.1", "DRAFTING_SMTP_PORT": "9", "DRAFTING_SMTP_SECURITY": "none"},
                {"drafting": {"notify": {"MEX": ["a@example.org"]}}},
            ),
            JULY_20,
        )
    assert Visits(state_folder(example), "digests").load("MEX") is None  # not sent: not remembered
