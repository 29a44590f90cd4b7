"""People: handles, @mentions, search and the people card."""
