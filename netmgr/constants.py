"""Wire strings and fixed values shared by every layer."""

API_VERSION = 'v2.0'

NET_STATUS_ACTIVE = 'ACTIVE'
NET_STATUS_DOWN = 'DOWN'
PORT_STATUS_ACTIVE = 'ACTIVE'
PORT_STATUS_DOWN = 'DOWN'
PORT_STATUS_BUILD = 'BUILD'

DEVICE_OWNER_PREFIX_NETWORK = 'network:'
DEVICE_OWNER_PREFIX_COMPUTE = 'compute:'
DEVICE_OWNER_DHCP = 'network:dhcp'
DEVICE_OWNER_ROUTER_INTF = 'network:router_interface'
DEVICE_OWNER_ROUTER_GW = 'network:router_gateway'
DEVICE_OWNER_FLOATINGIP = 'network:floatingip'
# Ports whose owner may take a subnet's gateway address.
GATEWAY_OWNERS = frozenset([DEVICE_OWNER_ROUTER_INTF, DEVICE_OWNER_ROUTER_GW])

# Network (segment) types: provider:network_type values and agents' tunnel_types.
TYPE_FLAT = 'flat'
TYPE_VLAN = 'vlan'
TYPE_VXLAN = 'vxlan'
TYPE_LOCAL = 'local'
TYPE_GRE = 'gre'
TYPE_GENEVE = 'geneve'
TUNNEL_TYPES = (TYPE_VXLAN, TYPE_GRE, TYPE_GENEVE)

IP_VERSION_4 = 4
IP_VERSION_6 = 6

IPV6_SLAAC = 'slaac'
IPV6_DHCPV6_STATEFUL = 'dhcpv6-stateful'
IPV6_DHCPV6_STATELESS = 'dhcpv6-stateless'
IPV6_MODES = (IPV6_SLAAC, IPV6_DHCPV6_STATEFUL, IPV6_DHCPV6_STATELESS)
# Address modes where addresses come from the MAC (EUI-64), not from IPAM pools.
IPV6_AUTO_ADDRESS_MODES = (IPV6_SLAAC, IPV6_DHCPV6_STATELESS)

UUID_LENGTH = 36
NAME_MAX_LEN = 255
DESCRIPTION_MAX_LEN = 255
DEVICE_ID_MAX_LEN = 255
DEVICE_OWNER_MAX_LEN = 255

SORT_ASC = 'asc'
SORT_DESC = 'desc'

AUTH_NOAUTH = 'noauth'
AUTH_KEYSTONE = 'keystone'

# Agent RPC: topics (agents -> server) and fanout topics (server -> agents of one kind).
TOPIC_PLUGIN = 'netmgr-plugin'
TOPIC_REPORTS = 'netmgr-reports'
TOPIC_L2_AGENT = 'netmgr-l2-agent'
TOPIC_DHCP_AGENT = 'netmgr-dhcp-agent'
TOPIC_L3_AGENT = 'netmgr-l3-agent'
TOPIC_DHCP_PLUGIN = 'netmgr-dhcp-plugin'
TOPIC_L3_PLUGIN = 'netmgr-l3-plugin'
CONTROL_EXCHANGE = 'netmgr'

# L2 population: the pseudo FDB entry [mac, ip] meaning "this host has a port on the network:
# flood its broadcast there" (Neutron's value; on the wire it is a list).
FLOODING_ENTRY = ('00:00:00:00:00:00', '0.0.0.0')

# Agent types as Neutron names them (clients filter on these strings).
AGENT_TYPE_OVS = 'Open vSwitch agent'
AGENT_TYPE_LINUXBRIDGE = 'Linux bridge agent'
AGENT_TYPE_DHCP = 'DHCP agent'
AGENT_TYPE_L3 = 'L3 agent'

# Security groups (Neutron's wire values).
DEFAULT_SECURITY_GROUP = 'default'
INGRESS = 'ingress'
EGRESS = 'egress'
IPV4 = 'IPv4'
IPV6 = 'IPv6'
