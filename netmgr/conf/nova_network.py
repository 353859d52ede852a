"""nova-network's options ([DEFAULT], as in nova.conf) and the compute host's ([compute]).

How nova-network's options map onto the resource model (netmgr.managers):

- ``fixed_range`` (``fixed_range_v4``): the CIDR the managers' subnets come from. Flat and
  FlatDHCP make one subnet on all of it; Vlan gives project n the n-th ``network_size`` slice.
- ``flat_network_bridge``: the bridge name Nova's network_info shows for Linux bridge VIFs of
  the flat network (OVS VIFs always sit on the integration bridge); also the flat network's
  name.
- ``flat_interface`` / ``vlan_interface``: the host NIC carrying the traffic. With netmgr that
  NIC belongs to the L2 agent's ``bridge_mappings`` (``physical_network`` -> bridge with that
  NIC); here it is only reported in network_info as ``bridge_interface``.
- ``physical_network``: where the managers' networks live. Flat/FlatDHCP: a provider ``flat``
  network on it (a ``local`` network when unset, for one host). Vlan: provider ``vlan``
  networks on it, VLAN id ``vlan_start + n``; Vlan needs it, and the physical network must be
  allowed for VLANs in ``[l2] network_vlan_ranges`` (a bare ``physnet`` name is enough).
- ``flat_injected``: Flat only; addresses are written into the instance (no DHCP on the
  subnet). FlatDHCP and Vlan subnets have DHCP on.
- ``external_network``: name or id of an external network; when set, FlatDHCP and Vlan
  networks get a router with SNAT to it (nova-network's gateway host SNAT).
- ``multi_host``: reported in network_info; the agents already run on every host.
"""

from oslo_config import cfg

COMPUTE_GROUP = 'compute'

OPTS = [
    cfg.StrOpt('fixed_range', default='10.0.0.0/16', deprecated_name='fixed_range_v4',
               help='IPv4 range of the fixed addresses the network manager hands out.'),
    cfg.StrOpt('flat_network_bridge', default='br100',
               help='Bridge of the flat network as network_info shows it for Linux bridge '
                    'VIFs; also the flat network\'s name.'),
    cfg.StrOpt('flat_interface',
               help='Host interface of the flat network (map it in the L2 agent\'s '
                    'bridge_mappings; reported as bridge_interface).'),
    cfg.BoolOpt('flat_injected', default=True,
                help='FlatManager: write the address into the instance rather than use DHCP.'),
    cfg.IntOpt('vlan_start', default=100, min=1, max=4094,
               help='VlanManager: VLAN id of the first project network.'),
    cfg.IntOpt('network_size', default=256, min=4,
               help='VlanManager: addresses in each project network (a power of two).'),
    cfg.IntOpt('num_networks', default=1, min=1,
               help='VlanManager: how many project networks there may be.'),
    cfg.StrOpt('vlan_interface',
               help='Host interface of the VLAN networks (map it in the L2 agent\'s '
                    'bridge_mappings; reported as bridge_interface).'),
    cfg.BoolOpt('multi_host', default=False,
                help='Reported in network_info: every compute host serves its instances.'),
    cfg.StrOpt('physical_network',
               help='Physical network of the managers\' flat and VLAN networks; unset: the '
                    'flat network is local to one host (VlanManager requires it).'),
    cfg.StrOpt('external_network',
               help='Name or id of the external network FlatDHCP and Vlan networks get a '
                    'router with SNAT to; unset: no router.'),
    cfg.ListOpt('dns_nameservers', default=[],
                help='DNS servers of the managers\' subnets.'),
    cfg.StrOpt('network_manager',
               help='netmgr.managers.FlatManager, FlatDHCPManager or VlanManager: the '
                    'networks an instance gets when its boot request names none; unset: '
                    'the one network the project can see.'),
]

COMPUTE_OPTS = [
    cfg.StrOpt('state_file', default='$state_path/netmgr-compute.json',
               help='Where netmgr-compute keeps its instances.'),
    cfg.StrOpt('namespace_prefix', default='nmvm-',
               help='Instances are network namespaces named <prefix><name>.'),
    cfg.StrOpt('integration_bridge', default='br-int',
               help='The OVS integration bridge of this host, for OVS VIFs.'),
    cfg.StrOpt('ovsdb_connection', default='unix:/var/run/openvswitch/db.sock',
               help='The OVSDB server of this host\'s Open vSwitch, where OVS VIFs are '
                    'plugged (as its L2 agent\'s [OVS] ovsdb_connection).'),
    cfg.StrOpt('availability_zone', default='nova',
               help='Ports of instances get device_owner compute:<availability_zone>.'),
    cfg.StrOpt('dhcp_client', default='busybox udhcpc',
               help='DHCP client run in the instance when its subnet has DHCP; empty: '
                    'addresses are always written from network_info (a host with no DHCP '
                    'service).'),
    cfg.IntOpt('vif_plugging_timeout', default=300, min=0,
               help='Seconds to wait, after plugging, for the L2 agent to wire the ports '
                    '(ACTIVE) before the instance starts (Nova\'s option); 0: do not wait.'),
    cfg.IntOpt('dhcp_timeout', default=30, min=1,
               help='Seconds the DHCP client may take to get a lease.'),
    cfg.BoolOpt('disable_tx_checksum', default=True,
                help='Turn off TX checksum offload on the veths of lab instances (needed on '
                     'the OVS userspace datapath).'),
    cfg.StrOpt('project_id', default='demo',
               help='Project of the instances netmgr-compute boots.'),
]


def register(conf):
    conf.register_opts(OPTS)
    conf.register_opts(COMPUTE_OPTS, group=COMPUTE_GROUP)


def list_opts():
    return [(None, OPTS), (COMPUTE_GROUP, COMPUTE_OPTS)]
