"""Every limit a person meets when writing, in one place; the widget learns them from the session.

Validation (schemas), picture decoding (media) and the session answer all read these: a limit
changed here changes everywhere, the pane included.
"""

POST_BODY = 5000  # code points in a conversation's text
COMMENT_BODY = 2000  # code points in a comment's text
IMAGES_PER_ITEM = 4  # pictures on one post or comment
UPLOAD_BYTES = 10 * 1024 * 1024  # one picture file
ALT_TEXT = 300  # code points in a picture's description
PAGE_SIZE = 50  # most conversations in one GET /posts page
THREAD_PAGE_SIZE = 250  # most comments in one GET /posts/{id}/comments page
OUTCOME_SUMMARY = 1000  # code points in a conversation's outcome
HANDLE = 30  # characters in a person's @handle (a-z, 0-9, _ . -)
PEOPLE_PAGE_SIZE = 20  # most people in one GET /people answer
REACTORS_PAGE_SIZE = 50  # most people in one page of who liked or promoted something
ID_MAX = 2**63 - 1  # the largest id a BIGINT column holds: anything larger is no id of ours


def client_limits():
    """The limits as the session answer sends them to the widget."""
    return {
        "post_body": POST_BODY,
        "comment_body": COMMENT_BODY,
        "images_per_item": IMAGES_PER_ITEM,
        "upload_bytes": UPLOAD_BYTES,
        "alt_text": ALT_TEXT,
        "page_size": PAGE_SIZE,
        "thread_page_size": THREAD_PAGE_SIZE,
    }
