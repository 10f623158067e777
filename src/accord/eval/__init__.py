"""Evaluation in the repo: scorers for PLOVER gold records and for real
articles with gold labels, and a gate against tracked floors."""
