"""Agent RPC over oslo.messaging: versioned client classes; the server's endpoints live in
netmgr.services.rpc (one module per agent kind) and the agents' in netmgr.agent."""
