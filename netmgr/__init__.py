"""netmgr: an embedded, Nova-side network manager with the Quantum v2.0 resource model."""
