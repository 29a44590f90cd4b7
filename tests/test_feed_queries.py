"""The feed costs a constant number of SQL queries, whatever the page and thread sizes."""


def test_feed_query_count_is_constant(alice, user, count_queries):
    fans = [user(department=f"D{n}") for n in range(3)]
    for n in range(30):
        post = alice.new_post(f"post {n}", context=f"page:{n % 4}")
        for fan in fans[: n % 4]:
            fan.put(f"/posts/{post['id']}/like")
            fan.put(f"/posts/{post['id']}/promotion")
            fan.post(f"/posts/{post['id']}/comments", json={"body": "nice"})
    costs = {}
    for sort in ("latest", "active", "top"):
        for limit in (1, 5, 30):
            path = f"/posts?sort={sort}&limit={limit}"
            response, queries = count_queries(lambda path=path: alice.get(path))
            assert len(response.json["items"]) == limit
            costs[(sort, limit)] = queries
    assert len(set(costs.values())) == 1, costs
    assert next(iter(costs.values())) <= 4, costs
    with_context, queries = count_queries(lambda: alice.get("/posts?context=page:1&limit=30"))
    assert queries <= 5


def test_comment_listing_query_count_is_constant(alice, bob, count_queries):
    post = alice.new_post("thread")
    for n in range(40):
        comment = bob.post(f"/posts/{post['id']}/comments", json={"body": f"c{n}"}).json
        alice.put(f"/comments/{comment['id']}/like")
    small = count_queries(lambda: alice.get(f"/posts/{post['id']}/comments?limit=2"))[1]
    large = count_queries(lambda: alice.get(f"/posts/{post['id']}/comments?limit=40"))[1]
    assert small == large
