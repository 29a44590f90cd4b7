"""Pictures: images.py decodes and re-encodes, uploads.py records and attaches them,
storage.py keeps and serves their files. Shared by all three: the formats pictures are
stored in, and where they are served.
"""

# The types pictures are re-encoded to, and their files' extensions: the one map between them.
EXTENSIONS = {"image/jpeg": "jpg", "image/webp": "webp"}
CONTENT_TYPES = {extension: content_type for content_type, extension in EXTENSIONS.items()}


def media_url(name):
    """The URL of a stored file: a path on the Chatter server, which clients resolve."""
    return f"/media/{name}"
