"""The read model: what panes read, built once per version of the data and shared by readers.

feed.py has one function per read; rows.py the SQL and the rows -> API dicts; page_cache.py
the shared pages and the byte splice that closes them for each reader.
"""

from .page_cache import PageCache


def init_app(app):
    app.extensions["chatter.pages"] = PageCache()
