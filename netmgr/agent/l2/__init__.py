"""L2 agents: wire a host's VM ports into their networks (Open vSwitch)."""
