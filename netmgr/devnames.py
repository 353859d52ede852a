"""Names of host devices and namespaces, made from the ids of what they serve.

Linux keeps an interface name to MAX_LEN characters. A device named after a port or network is
a three-character prefix and the first ID_PREFIX_LEN characters of the id, NAME_LEN in all (one
spare, as Nova makes them). The server finds the port of a Linux bridge tap from those
characters alone (``tap<port-id[:11]>`` is all the agent sends).
"""

import hashlib
import ipaddress

from netmgr import constants as const

MAX_LEN = 15            # IFNAMSIZ (16) less the terminating NUL
NAME_LEN = 14
ID_PREFIX_LEN = 11

TAP = 'tap'                     # an instance's port; a DHCP port in its namespace
ROUTER_INTERFACE = 'qr-'
ROUTER_GATEWAY = 'qg-'
HYBRID_BRIDGE = 'qbr'           # the per-port Linux bridge of hybrid OVS plugging
HYBRID_BRIDGE_END = 'qvb'       # the veth end on that bridge
HYBRID_OVS_END = 'qvo'          # the veth end on br-int
NETWORK_BRIDGE = 'brq'          # the Linux bridge agent's bridge of a network
VXLAN = 'vxlan-'
# OVS tunnel ports of br-tun, one per remote host and type (Neutron's names)
TUNNEL_PORT = {const.TYPE_VXLAN: 'vxlan-', const.TYPE_GRE: 'gre-', const.TYPE_GENEVE: 'gnv-'}
INT_PATCH = 'int-'              # OVS patch port on br-int towards a physical bridge
PHYS_PATCH = 'phy-'             # its peer on the physical bridge
DHCP_NAMESPACE = 'qdhcp-'
ROUTER_NAMESPACE = 'qrouter-'


def device_name(prefix, resource_id):
    """``prefix`` and the start of ``resource_id``, NAME_LEN characters in all."""
    return (prefix + resource_id)[:NAME_LEN]


def tap_name(port_id):
    return device_name(TAP, port_id)


def is_tap(name):
    return name.startswith(TAP)


def port_id_prefix(tap):
    """The start of the port id a tap is named after."""
    return tap[len(TAP):]


def router_interface_name(port_id):
    return device_name(ROUTER_INTERFACE, port_id)


def router_gateway_name(port_id):
    return device_name(ROUTER_GATEWAY, port_id)


def hybrid_bridge_name(port_id):
    return device_name(HYBRID_BRIDGE, port_id)


def hybrid_bridge_end_name(port_id):
    return device_name(HYBRID_BRIDGE_END, port_id)


def hybrid_ovs_end_name(port_id):
    return device_name(HYBRID_OVS_END, port_id)


def network_bridge_name(network_id):
    return device_name(NETWORK_BRIDGE, network_id)


def vxlan_name(vni):
    return '%s%d' % (VXLAN, int(vni))


def tunnel_port_name(tunnel_type, remote_ip):
    """``vxlan-c0000202`` for 192.0.2.2: the type's prefix and the remote IPv4 address in 8 hex
    digits; for IPv6, 8 hex digits of its digest."""
    address = ipaddress.ip_address(remote_ip)
    if address.version == 4:
        digits = '%08x' % int(address)
    else:
        digits = hashlib.sha1(address.packed).hexdigest()[:8]
    return TUNNEL_PORT[tunnel_type] + digits


def patch_name(prefix, bridge):
    """``int-br-eth1``; a digest of the bridge name when that would exceed MAX_LEN
    (interface names are global in OVSDB, so they must stay distinct)."""
    name = prefix + bridge
    if len(name) <= MAX_LEN:
        return name
    digest = hashlib.sha1(bridge.encode()).hexdigest()
    return prefix + digest[:MAX_LEN - len(prefix)]


def peer_name(device):
    """The host-side end of a namespace's veth ``device``: the same name with its first
    letter changed, so it stays within MAX_LEN and maps one to one ('tap1..' -> 'oap1..')."""
    return ('p' if device.startswith('o') else 'o') + device[1:MAX_LEN]


def dhcp_namespace(network_id):
    return DHCP_NAMESPACE + network_id


def network_of_dhcp_namespace(namespace):
    """The network id of a ``qdhcp-`` namespace; None for any other namespace."""
    return _id_after(DHCP_NAMESPACE, namespace)


def router_namespace(router_id):
    return ROUTER_NAMESPACE + router_id


def router_of_namespace(namespace):
    """The router id of a ``qrouter-`` namespace; None for any other namespace."""
    return _id_after(ROUTER_NAMESPACE, namespace)


def _id_after(prefix, name):
    return name[len(prefix):] if name.startswith(prefix) else None
