"""The organization sees itself: interactions, people, departments, leaders, outcomes.

`rollups.py` keeps small tables by day and month, built once for each day that has ended,
the first time a read needs it; today is read from the interactions themselves. `report.py`
answers GET /insights from them (see README, Insights).
"""
