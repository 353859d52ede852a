"""Host-side device names of a VIF, as Nova and the agents derive them from the port id
(Linux limits names to 15 characters; these use 14)."""

NIC_NAME_LEN = 14


def _name(prefix, port_id):
    return (prefix + port_id)[:NIC_NAME_LEN]


def tap(port_id):
    return _name('tap', port_id)


def hybrid_bridge(port_id):
    return _name('qbr', port_id)


def hybrid_bridge_end(port_id):
    """The veth end on the per-port Linux bridge."""
    return _name('qvb', port_id)


def hybrid_ovs_end(port_id):
    """The veth end on br-int."""
    return _name('qvo', port_id)
