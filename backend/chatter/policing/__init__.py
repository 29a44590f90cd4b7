"""Self-policing: colleagues flag, the community hides, moderators review, everyone sees the log.

Flags and the hiding rule (hiding.py), review and the public log (moderation.py), edit history
(revisions.py) and personal mutes (mutes.py). Hidden items stay in the shared pages as
placeholders; what only some readers may see is spliced per reader (read/feed.py).
"""
