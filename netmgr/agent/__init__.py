"""Agents that run on compute and gateway hosts; they talk to the server only over RPC."""
