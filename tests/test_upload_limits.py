"""Pictures cannot exhaust memory: decoding is bounded per process, per person and by size.

A real server on a free port, real threads, real pictures made by Pillow. Concurrency is made
certain, never hoped for: the test holds the process's decoding turns itself, so an upload it
sends waits inside the server until the test lets it go.
"""

import contextlib
import http.client
import io
import json
import threading
import time
import uuid

import pytest
from PIL import Image
from sqlalchemy import func, select

from chatter.db import db
from chatter.media.admission import SLOT_TTL
from chatter.media.images import LARGE_SIDE, process_image
from chatter.models import Upload, UploadSlot, utcnow

from .conftest import Api, LiveServer


def picture(color="orange", size=(64, 48), format_="JPEG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format_)
    return buffer.getvalue()


class Person:
    """A signed-in person uploading over real HTTP to a served app."""

    def __init__(self, app, sub):
        self.api = Api(app.test_client(), sub)
        self.token = self.api.session["token"]

    def upload(self, server, data=None, key=None):
        """(status, headers, body) of POST /api/v1/uploads on `server`."""
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="p.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
            ).encode()
            + (data or picture())
            + f"\r\n--{boundary}--\r\n".encode()
        )
        host, port = server.url.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=60)
        try:
            conn.request(
                "POST",
                "/api/v1/uploads",
                body,
                {
                    "Authorization": f"Bearer {self.token}",
                    "Idempotency-Key": key or uuid.uuid4().hex,
                    "Content-Type": f"multipart/form-data; boundary={boundary}",
                },
            )
            response = conn.getresponse()
            return response.status, dict(response.headers), json.loads(response.read())
        finally:
            conn.close()

    def upload_in_thread(self, server, **kwargs):
        """Start an upload in a thread; join the returned thread, then read `.result`."""
        thread = threading.Thread(
            target=lambda: setattr(thread, "result", self.upload(server, **kwargs))
        )
        thread.start()
        return thread


@pytest.fixture
def serve():
    servers = []

    def start(app):
        servers.append(LiveServer(app))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


@contextlib.contextmanager
def all_turns_taken(app):
    """Hold every decoding turn of `app`'s process, as uploads being decoded would."""
    gate = app.extensions["chatter.decode_gate"]
    turns = [gate.turn() for _ in range(app.config["CHATTER_DECODES_PER_PROCESS"])]
    with contextlib.ExitStack() as stack:
        for turn in turns:
            stack.enter_context(turn)
        yield


def scalar(app, statement):
    with app.app_context():
        try:
            return db.session.scalar(statement)
        finally:
            db.session.rollback()


def wait_for(condition, what, timeout=30):
    """Wait until `condition()` holds (polling a real state), or fail saying `what`."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def slots(app):
    return scalar(app, select(func.count()).select_from(UploadSlot))


def waiting_uploads(app, server, people):
    """Start one upload per person on `server` and wait until each holds its slot."""
    threads = [person.upload_in_thread(server) for person in people]
    wait_for(lambda: slots(app) == len(people), "the uploads to be admitted")
    return threads


def uploads(app):
    return scalar(app, select(func.count()).select_from(Upload))


def test_one_upload_per_person_is_processed_the_others_get_429(make_app, serve):
    app = make_app(CHATTER_DECODES_PER_PROCESS="1", CHATTER_DECODE_WAIT_SECONDS="60")
    server, alice = serve(app), Person(app, "alice")
    with all_turns_taken(app):
        [first] = waiting_uploads(app, server, [alice])
        others = [alice.upload_in_thread(server, data=picture(c)) for c in ("red", "teal", "navy")]
        for thread in others:
            thread.join()
        assert uploads(app) == 0  # the first is still waiting for its turn
    first.join()
    assert first.result[0] == 201, first.result
    for status, headers, body in (thread.result for thread in others):
        assert (status, body["code"]) == (429, "upload_in_progress"), body
        assert int(headers["Retry-After"]) >= 1
        assert "still being processed" in body["detail"]
    assert (uploads(app), slots(app)) == (1, 0)
    assert alice.upload(server)[0] == 201  # the slot came back with the first's row


def test_beyond_the_decoding_turns_uploads_wait_for_theirs(make_app, serve):
    app = make_app(CHATTER_DECODES_PER_PROCESS="1", CHATTER_DECODE_WAIT_SECONDS="60")
    server = serve(app)
    people = [Person(app, f"waiter{n}") for n in range(4)]
    with all_turns_taken(app):
        threads = waiting_uploads(app, server, people)
        assert uploads(app) == 0
    for thread in threads:
        thread.join()
    assert [thread.result[0] for thread in threads] == [201] * 4
    assert (uploads(app), slots(app)) == (4, 0)


def test_a_busy_server_answers_503_with_retry_after_and_keeps_nothing(make_app, serve):
    app = make_app(CHATTER_DECODES_PER_PROCESS="2", CHATTER_DECODE_WAIT_SECONDS="0")
    server = serve(app)
    people = [Person(app, f"busy{n}") for n in range(5)]
    with all_turns_taken(app):
        threads = [person.upload_in_thread(server) for person in people]
        for thread in threads:
            thread.join()
    for status, headers, body in (thread.result for thread in threads):
        assert (status, body["code"]) == (503, "pictures_busy"), body
        assert int(headers["Retry-After"]) >= 1
    assert (uploads(app), slots(app)) == (0, 0)  # refused uploads give their slot back
    assert [person.upload(server)[0] for person in people] == [201] * 5


def test_the_quota_counts_uploads_in_flight_on_every_process(make_app, serve):
    """Two processes, one database: at the hourly edge two concurrent uploads cannot both pass."""
    first_app = make_app(CHATTER_UPLOADS_PER_HOUR="2", CHATTER_DECODE_WAIT_SECONDS="60")
    second_app = make_app(CHATTER_UPLOADS_PER_HOUR="2", CHATTER_DECODE_WAIT_SECONDS="60")
    first, second = serve(first_app), serve(second_app)
    carol = Person(first_app, "carol")
    assert carol.upload(first)[0] == 201  # one of two left this hour
    with all_turns_taken(first_app):
        [held] = waiting_uploads(first_app, first, [carol])
        status, _, body = carol.upload(second)  # the other process
    held.join()
    assert held.result[0] == 201
    assert (status, body["code"]) == (429, "upload_in_progress")
    assert uploads(first_app) == 2
    status, _, body = carol.upload(second)
    assert (status, body["code"]) == (429, "upload_rate_limited")


def test_a_retry_is_answered_before_any_limit(make_app, serve):
    """A known Idempotency-Key replays its answer even while the person and the server are busy."""
    app = make_app(CHATTER_DECODES_PER_PROCESS="1", CHATTER_DECODE_WAIT_SECONDS="60")
    server, dan = serve(app), Person(app, "dan")
    data = picture("gold")
    status, _, answer = dan.upload(server, data=data, key="the-first")
    assert status == 201
    with all_turns_taken(app):
        [held] = waiting_uploads(app, server, [dan])
        status, headers, replayed = dan.upload(server, data=data, key="the-first")
        assert (status, replayed, headers["Idempotent-Replayed"]) == (201, answer, "true")
    held.join()


def test_a_slot_left_by_a_dead_process_is_taken_over(app, serve):
    server, erin = serve(app), Person(app, "erin")
    with app.app_context():
        db.session.add(UploadSlot(owner_id=erin.api.user["id"], token="x" * 32, taken_at=utcnow()))
        db.session.commit()
    assert erin.upload(server)[2]["code"] == "upload_in_progress"
    with app.app_context():
        slot = db.session.get(UploadSlot, erin.api.user["id"])
        slot.taken_at = utcnow() - SLOT_TTL - SLOT_TTL
        db.session.commit()
    assert erin.upload(server)[0] == 201
    assert slots(app) == 0


def test_a_refused_picture_gives_the_slot_back(app, serve):
    server, fay = serve(app), Person(app, "fay")
    status, _, body = fay.upload(server, data=b"<svg onload=alert(1)>")
    assert (status, body["code"]) == (415, "unsupported_image")
    assert slots(app) == 0
    assert fay.upload(server)[0] == 201


def jpeg_declaring(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "JPEG", quality=50)
    return buffer.getvalue()


def test_a_large_jpeg_is_decoded_at_reduced_size():
    picture_ = process_image(jpeg_declaring(6000, 6000))  # 36 MP
    assert picture_.decoded == (3000, 3000)  # libjpeg's 1/2 scale: a quarter of the pixels
    assert (picture_.large.width, picture_.large.height) == (LARGE_SIDE, LARGE_SIDE)
    small = process_image(jpeg_declaring(1000, 800))
    assert small.decoded == (1000, 800)  # nothing to gain below the lightbox size


@pytest.mark.parametrize("format_", ["PNG", "GIF", "WEBP"])
def test_a_large_transparent_picture_is_shrunk_with_its_transparency(format_):
    """Past twice the lightbox size pictures are reduced strip by strip: colours and alpha hold."""
    image = Image.new("RGBA", (4000, 3000), (0, 0, 0, 0))
    image.paste((200, 30, 30, 255), (0, 0, 2000, 3000))  # left half opaque red
    data = io.BytesIO()
    image.save(data, format_)
    result = process_image(data.getvalue())
    assert result.decoded == (4000, 3000) and result.content_type == "image/webp"
    large = Image.open(io.BytesIO(result.large.data)).convert("RGBA")
    assert large.size == (LARGE_SIDE, 1200)
    red, clear = large.getpixel((400, 600)), large.getpixel((1200, 600))
    assert clear[3] == 0 and red[3] == 255
    assert abs(red[0] - 200) < 12 and red[1] < 45 and red[2] < 45
