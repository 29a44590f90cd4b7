"""Pictures: accepted only by decoding, re-encoded clean, attached, served and deleted safely.

Every fixture file is made here, by Pillow or by hand; no binary file is committed.
"""

import io
import os
import struct
import time
import uuid
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image, ImageCms
from sqlalchemy import func, select

from chatter.cli import main
from chatter.db import db
from chatter.models import Upload

XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>secret-xmp</rdf:RDF></x:xmpmeta>'
GPS = {1: "N", 2: (52.0, 22.0, 1.5), 3: "E", 4: (4.0, 53.0, 2.0)}


# ---- making files ----------------------------------------------------------------------------


def encode(image, format_, **options):
    buffer = io.BytesIO()
    image.save(buffer, format_, **options)
    return buffer.getvalue()


def jpeg(size=(64, 48), color="orange", **options):
    return encode(Image.new("RGB", size, color), "JPEG", **options)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width, height):
    """A tiny PNG that declares width × height (one byte of pixel data follows)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(b"\0"))
        + png_chunk(b"IEND", b"")
    )


def webp_header_only(width, height):
    """A WebP (VP8X) header declaring width × height, which Pillow would allocate at open."""
    vp8x = bytes(4) + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    body = b"WEBP" + b"VP8X" + struct.pack("<I", len(vp8x)) + vp8x
    return b"RIFF" + struct.pack("<I", len(body)) + body


def gif_with_frames(count):
    """A 1×1 GIF with `count` frames, written by hand (Pillow would merge equal frames)."""
    header = b"GIF89a" + struct.pack("<HHBBB", 1, 1, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    frame = b"\x2c" + struct.pack("<HHHHB", 0, 0, 1, 1, 0) + b"\x02\x02\x44\x01\x00"
    return header + frame * count + b"\x3b"


def photo_with_gps_and_orientation():
    """80×40: left half red, right half blue, EXIF orientation 6 (rotate 90° clockwise)."""
    image = Image.new("RGB", (80, 40), "blue")
    image.paste((255, 0, 0), (0, 0, 40, 40))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif.get_ifd(0x8825).update(GPS)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return encode(image, "JPEG", quality=95, exif=exif, icc_profile=icc, xmp=XMP)


# ---- helpers ---------------------------------------------------------------------------------


def multipart(data, filename, field="file"):
    """(body, content type) of a browser-like form post, built here so the file name is raw
    bytes and no temporary file is left open by the test client."""
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
        f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'
    )
    body = head.encode("utf-8", "surrogateescape") + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def upload(api, data, filename="picture.jpg", key=None, field="file"):
    body, content_type = multipart(data, filename, field)
    return api.request(
        "POST",
        "/uploads",
        data=body,
        content_type=content_type,
        headers={"Idempotency-Key": key or uuid.uuid4().hex},
    )


def uploaded(api, data=None, **kwargs):
    response = upload(api, data or jpeg(), **kwargs)
    assert response.status_code == 201, response.json
    return response.json


@pytest.fixture
def media_dir(app):
    return Path(app.config["CHATTER_MEDIA_DIR"])


def media_files(media_dir):
    return sorted(p.name for p in media_dir.iterdir()) if media_dir.exists() else []


def fetch(client, url):
    return client.get(url, buffered=True)  # buffered: the file is read and closed at once


def upload_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Upload))


# ---- accepted pictures -----------------------------------------------------------------------


def test_upload_returns_sizes_and_urls(alice, client, media_dir):
    response = upload(alice, jpeg((2400, 1200)))
    assert response.status_code == 201, response.json
    body = response.json
    assert set(body) >= {"id", "width", "height", "url", "thumbnail_url"}
    assert (body["width"], body["height"]) == (1600, 800)
    assert (body["thumbnail_width"], body["thumbnail_height"]) == (480, 240)
    assert body["url"].startswith("/media/") and body["thumbnail_url"].startswith("/media/")
    assert len(media_files(media_dir)) == 2
    for url, size in ((body["url"], (1600, 800)), (body["thumbnail_url"], (480, 240))):
        served = fetch(client, url)
        assert served.status_code == 200
        assert Image.open(io.BytesIO(served.data)).size == size


def test_gps_exif_is_removed_and_orientation_applied(alice, client):
    original = photo_with_gps_and_orientation()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825) == GPS  # really there
    body = uploaded(alice, original)
    assert (body["width"], body["height"]) == (40, 80)  # turned upright
    data = fetch(client, body["url"]).data
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert not image.getexif() and not image.info.get("exif")
    assert "icc_profile" not in image.info and "xmp" not in image.info
    assert b"Exif" not in data and b"secret-xmp" not in data and b"ICC_PROFILE" not in data
    red, blue = image.convert("RGB").getpixel((20, 10)), image.convert("RGB").getpixel((20, 70))
    assert red[0] > 200 and red[2] < 60, red  # the left half is now on top
    assert blue[2] > 200 and blue[0] < 60, blue


@pytest.mark.parametrize(
    "payload",
    [
        b"<html><script>alert(document.domain)</script></html>",
        b"<script>alert(1)</script>IEND\xae\x42\x60\x82",  # a fake second IEND at the end
        b"PK\x03\x04" + b"\x00" * 40,  # a zip archive riding along
    ],
)
def test_png_with_appended_data_is_refused(app, alice, payload):
    response = upload(
        alice, encode(Image.new("RGB", (30, 30), "green"), "PNG") + payload, filename="x.png"
    )
    assert response.status_code == 422
    assert response.json["code"] == "hidden_data"
    assert upload_count(app) == 0


def test_jpeg_trailers_are_dropped_by_re_encoding(alice, client):
    payload = b"<html><script>alert(document.domain)</script></html>"
    body = uploaded(alice, jpeg() + payload, filename="motion.jpg")
    data = fetch(client, body["url"]).data
    assert b"<script" not in data and data.startswith(b"\xff\xd8")  # a fresh JPEG


def test_transparency_is_kept_as_webp(alice, client):
    image = Image.new("RGBA", (40, 40), (255, 0, 0, 0))
    image.paste((0, 0, 255, 255), (10, 10, 30, 30))
    body = uploaded(alice, encode(image, "PNG"), filename="logo.png")
    assert body["url"].endswith(".webp")
    served = fetch(client, body["url"])
    assert served.mimetype == "image/webp"
    assert Image.open(io.BytesIO(served.data)).getpixel((0, 0))[3] == 0


def test_an_animation_becomes_its_first_frame(alice, client):
    frames = [Image.new("RGB", (20, 20), color) for color in ("red", "lime", "blue")]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    body = uploaded(alice, data, filename="party.gif")
    image = Image.open(io.BytesIO(fetch(client, body["url"]).data))
    assert image.format == "JPEG" and not getattr(image, "is_animated", False)
    assert image.convert("RGB").getpixel((10, 10))[0] > 200


# A quoted multipart name decodes "..\\..\\evil.jpg" to "....evil.jpg": a harmless name.
@pytest.mark.parametrize(
    "filename", ["cat.jpg", "", "Ünïcode photo (1).JPG", "a" * 300, "..\\..\\evil.jpg"]
)
def test_the_client_file_name_is_never_used(alice, media_dir, filename):
    body = uploaded(alice, filename=filename)
    names = media_files(media_dir)
    assert len(names) == 2 and all(name.startswith(body["url"][7:29]) for name in names)
    assert not (media_dir.parent / "evil.jpg").exists()


@pytest.mark.parametrize(
    "filename", ["../../../etc/passwd.jpg", "x\x00.jpg", "/tmp/absolute.jpg", "..", "x\tb.jpg"]
)
def test_path_and_control_character_names_are_refused(app, alice, media_dir, filename):
    response = upload(alice, jpeg(), filename=filename)
    assert response.status_code == 400
    assert response.json["code"] == "bad_file_name"
    assert media_files(media_dir) == [] and upload_count(app) == 0
    assert not (media_dir.parent / "evil.jpg").exists()
    assert not Path("/tmp/absolute.jpg").exists()


# ---- refused files ---------------------------------------------------------------------------

SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>"
)
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"

REFUSED = {
    "svg-with-script-named-png": (lambda: SVG, "cat.png", 415, "unsupported_image"),
    "html-named-jpg": (lambda: HTML, "cat.jpg", 415, "unsupported_image"),
    "bmp": (lambda: encode(Image.new("RGB", (8, 8)), "BMP"), "x.jpg", 415, "unsupported_image"),
    "tiff": (lambda: encode(Image.new("RGB", (8, 8)), "TIFF"), "x.jpg", 415, "unsupported_image"),
    "pdf": (lambda: encode(Image.new("RGB", (8, 8)), "PDF"), "x.jpg", 415, "unsupported_image"),
    "random-bytes": (lambda: os.urandom(50_000), "x.jpg", 415, "unsupported_image"),
    "zero-bytes": (lambda: b"", "x.jpg", 422, "empty_file"),
    "100000x100000-png-header": (
        lambda: png_header_only(100_000, 100_000),
        "x.png",
        422,
        "image_too_large",
    ),
    "16383x16383-webp-header": (
        lambda: webp_header_only(16_383, 16_383),
        "x.webp",
        422,
        "image_too_large",
    ),
    "49-megapixels": (
        lambda: encode(Image.new("1", (7000, 7000)), "PNG"),
        "x.png",
        422,
        "image_too_large",
    ),
    "side-over-10000": (lambda: png_header_only(12_000, 100), "x.png", 422, "image_too_large"),
    "truncated-jpeg": (lambda: jpeg((400, 300), "teal")[:600], "x.jpg", 422, "image_unreadable"),
    "truncated-png": (
        lambda: encode(Image.effect_noise((300, 300), 50), "PNG")[:2000],
        "x.png",
        422,
        "image_unreadable",
    ),
    "5000-frame-gif": (lambda: gif_with_frames(5000), "x.gif", 422, "too_many_frames"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_refused_files_get_a_clear_4xx_fast_and_leave_nothing(app, alice, media_dir, case):
    make, filename, status, code = REFUSED[case]
    data = make()
    started = time.process_time()  # CPU time: a busy test machine does not make it flaky
    response = upload(alice, data, filename=filename)
    elapsed = time.process_time() - started
    assert response.status_code == status, response.json
    assert response.mimetype == "application/problem+json"
    assert response.json["code"] == code and response.json["errors"]["file"]
    assert response.json["detail"]  # a reason a person can read
    assert elapsed < 1, f"{case} took {elapsed:.2f} s of CPU"
    assert media_files(media_dir) == []
    assert upload_count(app) == 0


def test_a_body_over_10_mib_is_413(app, alice, media_dir):
    response = upload(alice, b"\xff\xd8" + os.urandom(11 * 1024 * 1024))
    assert response.status_code == 413 and response.json["code"] == "file_too_large"
    assert response.mimetype == "application/problem+json"
    assert media_files(media_dir) == [] and upload_count(app) == 0


def test_a_json_body_is_415_and_a_missing_file_422(alice):
    assert alice.post("/uploads", json={"file": "x"}).status_code == 415
    response = upload(alice, jpeg(), field="other")
    assert response.status_code == 422 and "file" in response.json["errors"]


def test_uploading_needs_a_session(client):
    body, content_type = multipart(jpeg(), "x.jpg")
    response = client.post("/api/v1/uploads", data=body, content_type=content_type)
    assert response.status_code == 401


# ---- idempotency, quota, transactions --------------------------------------------------------


def test_a_retried_upload_returns_the_first(alice, media_dir):
    data = jpeg()
    first = upload(alice, data, key="pic-1")
    again = upload(alice, data, key="pic-1", filename="other-name.jpg")
    assert again.status_code == 201 and again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(media_files(media_dir)) == 2
    different = upload(alice, jpeg(color="purple"), key="pic-1")
    assert different.status_code == 422 and different.json["code"] == "idempotency_key_reused"
    assert len(media_files(media_dir)) == 2


def test_the_upload_rate_limit_answers_429_with_retry_after(make_app):
    app = make_app(CHATTER_UPLOADS_PER_HOUR="2")
    from .conftest import Api

    carol = Api(app.test_client(), "carol")
    uploaded(carol)
    uploaded(carol)
    response = upload(carol, jpeg())
    assert response.status_code == 429 and response.json["code"] == "upload_rate_limited"
    assert 3500 <= int(response.headers["Retry-After"]) <= 3600
    assert len(media_files(Path(app.config["CHATTER_MEDIA_DIR"]))) == 4


def test_a_retry_at_the_quota_edge_gets_its_first_answer(make_app):
    """The answer of the upload that filled the quota was lost: its retry must get it back."""
    app = make_app(CHATTER_UPLOADS_PER_HOUR="1")
    from .conftest import Api

    carol = Api(app.test_client(), "carol")
    data = jpeg()
    first = upload(carol, data, key="last-one")
    assert first.status_code == 201, first.json
    again = upload(carol, data, key="last-one")
    assert (again.status_code, again.json) == (201, first.json)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert upload(carol, data).status_code == 429  # a new picture is still refused


def test_the_daily_allowance_answers_429(make_app):
    app = make_app(CHATTER_UPLOAD_MIB_PER_DAY="2")
    from .conftest import Api

    dan = Api(app.test_client(), "dan")
    noisy = encode(Image.effect_noise((1200, 1200), 90).convert("RGB"), "JPEG", quality=100)
    statuses = [upload(dan, noisy).status_code for _ in range(3)]  # about 1 MB stored each
    assert statuses == [201, 201, 429], statuses
    assert upload(dan, noisy).json["code"] == "upload_quota_exceeded"


def test_decoding_happens_outside_any_transaction(alice, monkeypatch):
    from chatter.api import uploads

    seen = []
    real = uploads.process_image

    def spy(data):
        seen.append(db.session().in_transaction())
        return real(data)

    monkeypatch.setattr(uploads, "process_image", spy)
    uploaded(alice)
    assert seen == [False]


# ---- attaching -------------------------------------------------------------------------------


def test_a_post_shows_its_pictures_in_order_with_alt(alice, bob):
    first, second = uploaded(alice), uploaded(alice, jpeg((30, 60)))
    post = alice.new_post("Coffee!", images=[second["id"], {"id": first["id"], "alt": "A mug"}])
    images = post["images"]
    assert [i["id"] for i in images] == [second["id"], first["id"]]
    assert images[0]["alt"] is None and images[1]["alt"] == "A mug"
    assert set(images[0]) == {
        "id",
        "width",
        "height",
        "url",
        "thumbnail_url",
        "thumbnail_width",
        "thumbnail_height",
        "alt",
    }
    assert (images[0]["width"], images[0]["height"]) == (30, 60)
    listed = bob.get("/posts").json["items"][0]
    assert listed["images"] == images
    assert bob.get(f"/posts/{post['id']}").json["images"] == images
    assert alice.new_post("No pictures")["images"] == []


@pytest.mark.parametrize(
    "refs, field",
    [
        (lambda mine, bobs: [bobs], "images.0"),
        (lambda mine, bobs: [mine, 999_999], "images.1"),
        (lambda mine, bobs: [mine, mine], "images.1"),
        (lambda mine, bobs: ["x"], "images.0"),
        (lambda mine, bobs: [{"id": mine, "alt": "a" * 301}], "images.0.alt"),
        (lambda mine, bobs: [mine] * 5, "images"),
    ],
)
def test_attaching_refuses_what_is_not_yours_to_attach(alice, bob, refs, field):
    mine, bobs = uploaded(alice)["id"], uploaded(bob)["id"]
    response = alice.post("/posts", json={"body": "hi", "images": refs(mine, bobs)})
    assert response.status_code == 422, response.json
    assert field in response.json["errors"], response.json
    assert alice.get("/posts").json["items"] == []


def test_a_picture_is_used_once(alice):
    picture = uploaded(alice)["id"]
    post = alice.new_post("first", images=[picture])
    again = alice.post("/posts", json={"body": "second", "images": [picture]})
    assert again.status_code == 422 and "images.0" in again.json["errors"]
    comment = alice.post(f"/posts/{post['id']}/comments", json={"body": "c", "images": [picture]})
    assert comment.status_code == 422


def test_comments_carry_pictures(alice, bob):
    post = alice.new_post("thread")
    picture = uploaded(bob)
    comment = bob.post(
        f"/posts/{post['id']}/comments",
        json={"body": "look", "images": [{"id": picture["id"], "alt": "Cat"}]},
    )
    assert comment.status_code == 201, comment.json
    assert comment.json["images"][0]["alt"] == "Cat"
    listed = alice.get(f"/posts/{post['id']}/comments").json["items"]
    assert listed[0]["images"] == comment.json["images"]


# ---- serving ---------------------------------------------------------------------------------


def test_media_is_served_immutable_sandboxed_and_typed(alice, client):
    served = fetch(client, uploaded(alice)["thumbnail_url"])
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/jpeg"
    assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


@pytest.mark.parametrize(
    "path",
    [
        "/media/../secret_key",
        "/media/..%2fsecret_key",
        "/media/%2e%2e%2fsecret_key",
        "/media/chatter.db",
        "/media/AAAAAAAAAAAAAAAAAAAAAA.jpg",
        "/media/x.jpg%00.png",
        "/media/",
        "/media/.%2e/.%2e/etc/passwd",
    ],
)
def test_media_paths_outside_our_names_are_404(client, path):
    assert client.get(path).status_code == 404


# ---- deleting and cleaning up ----------------------------------------------------------------


def test_deleting_a_post_deletes_its_and_its_comments_pictures(app, alice, bob, media_dir):
    post = alice.new_post("p", images=[uploaded(alice)["id"]])
    bob.post(f"/posts/{post['id']}/comments", json={"body": "c", "images": [uploaded(bob)["id"]]})
    kept = uploaded(alice)
    assert len(media_files(media_dir)) == 6
    assert alice.delete(f"/posts/{post['id']}").status_code == 204
    assert media_files(media_dir) == sorted([kept["url"][7:], kept["thumbnail_url"][7:]])
    assert upload_count(app) == 1


def test_deleting_a_comment_deletes_its_and_its_replies_pictures(alice, bob, media_dir):
    post = alice.new_post("p")
    comment = bob.post(
        f"/posts/{post['id']}/comments", json={"body": "c", "images": [uploaded(bob)["id"]]}
    ).json
    alice.post(
        f"/posts/{post['id']}/comments",
        json={"body": "r", "parent_id": comment["id"], "images": [uploaded(alice)["id"]]},
    )
    assert len(media_files(media_dir)) == 4
    assert bob.delete(f"/comments/{comment['id']}").status_code == 204
    assert media_files(media_dir) == []


def test_files_stay_when_the_delete_does_not_commit(app, alice, media_dir, monkeypatch):
    post = alice.new_post("p", images=[uploaded(alice)["id"]])

    def fail(*args, **kwargs):
        raise RuntimeError("event log unavailable")

    monkeypatch.setattr("chatter.conversations.record_event", fail)
    assert alice.delete(f"/posts/{post['id']}").status_code == 500
    assert len(media_files(media_dir)) == 2


def test_cleanup_removes_old_unattached_pictures_and_stray_files(
    app, alice, media_dir, monkeypatch
):
    old = uploaded(alice)
    attached = uploaded(alice)
    alice.new_post("p", images=[attached["id"]])
    fresh = uploaded(alice)
    stray = media_dir / "BBBBBBBBBBBBBBBBBBBBBB.jpg"
    stray.write_bytes(b"left by a crash")
    day_ago = time.time() - 25 * 3600
    os.utime(stray, (day_ago, day_ago))
    with app.app_context():
        for upload_ in db.session.scalars(
            select(Upload).where(Upload.id.in_([old["id"], attached["id"]]))
        ):
            upload_.created_at -= timedelta(hours=25)
        db.session.commit()
    for name, value in {
        "CHATTER_INSTANCE_DIR": app.config["CHATTER_INSTANCE_DIR"],
        "CHATTER_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "CHATTER_SECRET_KEY": app.config["SECRET_KEY"],
        "CHATTER_DEV_MODE": "1",
    }.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(main, ["media-cleanup"])
    assert result.exit_code == 0, result.output
    assert "Removed 1 unattached picture(s) and 1 stray file(s)." in result.output
    left = {url[7:] for body in (attached, fresh) for url in (body["url"], body["thumbnail_url"])}
    assert set(media_files(media_dir)) == left
    assert upload_count(app) == 2


def test_a_post_or_comment_may_be_pictures_alone(alice, bob):
    post = alice.post("/posts", json={"images": [uploaded(alice)["id"]]})
    assert post.status_code == 201, post.json
    assert post.json["body"] == "" and len(post.json["images"]) == 1
    comment = bob.post(
        f"/posts/{post.json['id']}/comments", json={"body": "  ", "images": [uploaded(bob)["id"]]}
    )
    assert comment.status_code == 201 and comment.json["body"] == ""
    empty = bob.post(f"/posts/{post.json['id']}/comments", json={"body": ""})
    assert empty.status_code == 422 and "body" in empty.json["errors"]
