"""L2 drivers: how networks are segmented on the wire and how ports attach (see base.py)."""
