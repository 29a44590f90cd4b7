"""`chatter digest --period daily|weekly`: ranked digests, sent once per period."""

from click.testing import CliRunner
from flask.cli import ScriptInfo

from chatter.cli import main

from .conftest import Api
from .mail_support import parts
from .test_mail_delivery import people, thread


def digest(app, period="weekly"):
    info = ScriptInfo(create_app=lambda: app)
    return CliRunner().invoke(main, ["digest", "--period", period], obj=info)


def test_the_digest_ranks_replies_then_followed_then_promoted_and_sends_once(mail_app, smtp):
    alice, bob = people(mail_app)
    carol = Api(mail_app.test_client(), "carol", name="Carol", email="carol@example.com")
    _asked, _answers = thread(alice, bob, replies=["Your answer is here"])
    followed = bob.new_post("Lunch plans for Friday")
    alice.post(f"/posts/{followed['id']}/comments", json={"body": "Count me in"})
    carol.post(f"/posts/{followed['id']}/comments", json={"body": "Me too"})
    promoted = carol.new_post("The new travel policy is out")
    bob.put(f"/posts/{promoted['id']}/promotion")
    result = digest(mail_app)
    assert result.exit_code == 0, result.output
    assert "Sent 3 weekly digest(s)." in result.output
    (to_alice,) = smtp.inbox.to("alice@example.com")
    assert to_alice["Subject"] == "Your weekly Chatter digest"
    assert to_alice["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = parts(to_alice)
    order = [text.index(s) for s in ("For you", "Conversations you follow", "Promoted")]
    assert order == sorted(order)
    assert text.index("Your answer is here") < text.index("Lunch plans") < text.index("travel")
    assert "Carol's conversation: 1 promotion" in text and "escape" not in html
    again = digest(mail_app)
    assert again.exit_code == 0 and "Sent 0 weekly digest(s)." in again.output
    assert len(smtp.inbox.to("alice@example.com")) == 1


def test_nothing_to_say_or_another_period_means_no_digest_for_that_person(mail_app, smtp):
    alice, bob = people(mail_app)
    bob.patch("/me/preferences", json={"email_digest": "daily"})
    alice.new_post("Only my own words")
    assert "Sent 0 weekly" in digest(mail_app).output
    thread(alice, bob)
    alice.patch("/me/preferences", json={"email_digest": "off"})
    assert "Sent 0 weekly" in digest(mail_app).output
    assert smtp.inbox.messages == []
    # Bob, daily, follows the conversation he answered in: his digest, and only his.
    assert "Sent 1 daily" in digest(mail_app, "daily").output
    assert [m.envelope_to for m in smtp.inbox.messages] == [["bob@example.com"]]
    assert "Conversations you follow" in parts(smtp.inbox.messages[0])[0]


def test_the_digest_command_needs_e_mail_on(app):
    result = CliRunner().invoke(
        main, ["digest", "--period", "daily"], obj=ScriptInfo(create_app=lambda: app)
    )
    assert result.exit_code != 0 and "E-mail is off" in result.output
    bad = CliRunner().invoke(
        main, ["digest", "--period", "monthly"], obj=ScriptInfo(create_app=lambda: app)
    )
    assert bad.exit_code != 0


def test_followed_means_the_follows_table_muted_stays_out(mail_app, smtp):
    alice, bob = people(mail_app)
    carol = Api(mail_app.test_client(), "carol", name="Carol", email="carol@example.com")
    watched = bob.new_post("Watched without a word")
    alice.put(f"/posts/{watched['id']}/follow")  # followed explicitly, never commented
    muted = bob.new_post("Taken part in, then muted")
    alice.post(f"/posts/{muted['id']}/comments", json={"body": "Noted"})
    alice.delete(f"/posts/{muted['id']}/follow")
    for post in (watched, muted):
        carol.post(f"/posts/{post['id']}/comments", json={"body": "News"})
    alice.post("/notifications/read", json={"all": True})
    assert digest(mail_app).exit_code == 0
    (to_alice,) = smtp.inbox.to("alice@example.com")
    text, html = parts(to_alice)
    assert "Watched without a word" in text and "Taken part in" not in text
    assert f'href="{watched["link"]}"' in html  # the permalink: {PUBLIC}/c/{id}
