"""The agents' only door to the host: commands, netlink (pyroute2) and OVSDB (ovsdbapp)."""
