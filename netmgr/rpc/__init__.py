"""Agent RPC over oslo.messaging: versioned client classes; the server's endpoints live in
netmgr.services.rpc.endpoints and the agents' in netmgr.agent."""
