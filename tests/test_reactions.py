"""Likes and promotions: idempotent, exact under concurrency, ranking by breadth."""

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from chatter.db import db
from chatter.models import Post, PostLike, Promotion

from .conftest import Api


def test_like_and_unlike_are_idempotent(alice, bob):
    post = alice.new_post("like me")
    path = f"/posts/{post['id']}/like"
    assert bob.put(path).json == {"liked": True, "like_count": 1}
    assert bob.put(path).json == {"liked": True, "like_count": 1}
    seen = bob.get(f"/posts/{post['id']}").json
    assert seen["liked_by_me"] and seen["like_count"] == 1
    assert not alice.get(f"/posts/{post['id']}").json["liked_by_me"]
    assert bob.delete(path).json == {"liked": False, "like_count": 0}
    assert bob.delete(path).json == {"liked": False, "like_count": 0}


def test_comment_likes(alice, bob):
    post = alice.new_post("p")
    comment = alice.post(f"/posts/{post['id']}/comments", json={"body": "c"}).json
    assert bob.put(f"/comments/{comment['id']}/like").json == {"liked": True, "like_count": 1}
    listing = bob.get(f"/posts/{post['id']}/comments").json["items"]
    assert listing[0]["liked_by_me"] and listing[0]["like_count"] == 1
    assert bob.delete(f"/comments/{comment['id']}/like").json["like_count"] == 0


def test_promotion_counts_departments(alice, user):
    post = alice.new_post("promote me")
    path = f"/posts/{post['id']}/promotion"
    sales = [user(department="Sales") for _ in range(3)]
    for person in sales:
        person.put(path)
    state = user(department="Legal").put(path).json
    assert state == {"promoted": True, "promotion_count": 4, "promotion_departments": 2}
    assert sales[0].delete(path).json["promotion_count"] == 3
    seen = sales[1].get(f"/posts/{post['id']}").json
    assert seen["promoted_by_me"] and seen["promotion_departments"] == 2


def test_breadth_of_promotion_outranks_volume_from_one_team(alice, user):
    one_team = alice.new_post("backed by one team")
    many = alice.new_post("backed across the company")
    for _ in range(4):
        user(department="Sales").put(f"/posts/{one_team['id']}/promotion")
    for department in ("Sales", "Legal", "IT", "Finance"):
        user(department=department).put(f"/posts/{many['id']}/promotion")
    top = [p["id"] for p in alice.get("/posts?sort=top").json["items"]]
    assert top == [many["id"], one_team["id"]]
    promoted = alice.get("/posts?promoted=true").json["items"]
    assert {p["id"] for p in promoted} == {many["id"], one_team["id"]}
    alice.new_post("not promoted")
    assert len(alice.get("/posts?promoted=true").json["items"]) == 2


def _counts(app, post_id, row_model):
    with app.app_context():
        post = db.session.get(Post, post_id)
        rows = db.session.scalar(
            select(func.count()).select_from(row_model).where(row_model.post_id == post_id)
        )
        return post.like_count if row_model is PostLike else post.promotion_count, rows


def _hammer(app, users, path, method="PUT", repeat=1, threads=8):
    def one(person):
        client = app.test_client()
        return [
            client.open(f"/api/v1{path}", method=method, headers=person.headers).status_code
            for _ in range(repeat)
        ]

    with ThreadPoolExecutor(threads) as pool:
        return [code for codes in pool.map(one, users) for code in codes]


def _people(app, count):
    client = app.test_client()
    return [Api(client, f"crowd-{n}", department=f"Dept {n % 7}") for n in range(count)]


def test_400_concurrent_likes_by_distinct_users(app, alice):
    post = alice.new_post("popular")
    codes = _hammer(app, _people(app, 400), f"/posts/{post['id']}/like")
    assert codes == [200] * 400
    assert _counts(app, post["id"], PostLike) == (400, 400)


def test_one_user_liking_twenty_times_at_once_counts_once(app, alice, bob):
    post = alice.new_post("once")
    codes = _hammer(app, [bob] * 20, f"/posts/{post['id']}/like", threads=20)
    assert codes == [200] * 20
    assert _counts(app, post["id"], PostLike) == (1, 1)
    codes = _hammer(app, [bob] * 20, f"/posts/{post['id']}/like", method="DELETE", threads=20)
    assert _counts(app, post["id"], PostLike) == (0, 0)


def test_400_concurrent_promotions_by_distinct_users(app, alice):
    post = alice.new_post("important")
    codes = _hammer(app, _people(app, 400), f"/posts/{post['id']}/promotion")
    assert codes == [200] * 400
    assert _counts(app, post["id"], Promotion) == (400, 400)
    assert alice.get(f"/posts/{post['id']}").json["promotion_departments"] == 7


def test_one_user_promoting_twenty_times_at_once_counts_once(app, alice, bob):
    post = alice.new_post("once")
    _hammer(app, [bob] * 20, f"/posts/{post['id']}/promotion", threads=20)
    assert _counts(app, post["id"], Promotion) == (1, 1)


def test_ten_concurrent_creates_with_one_key_make_one_post(app, alice):
    def create(_):
        response = app.test_client().post(
            "/api/v1/posts",
            json={"body": "exactly once"},
            headers={**alice.headers, "Idempotency-Key": "same-key"},
        )
        return response.status_code, response.json["id"]

    with ThreadPoolExecutor(10) as pool:
        results = list(pool.map(create, range(10)))
    assert {status for status, _ in results} == {201}
    assert len({post_id for _, post_id in results}) == 1
    assert len(alice.get("/posts").json["items"]) == 1
