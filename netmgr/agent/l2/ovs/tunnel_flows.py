"""The OpenFlow rules of the tunnel bridge (br-tun), as data; Neutron's table layout.

br-tun is patched to br-int. Frames of a tunnel network leave br-int on the patch tagged with
the network's local VLAN and enter the overlay with its segmentation id (VNI or key) as the
tunnel id; frames from a tunnel come back with the local VLAN of the network their tunnel id
belongs to. br-int takes frames from the patch only with a known local VLAN.

    table 0   classify: from the patch -> 2; from a tunnel port -> the table of its type;
              anything else is dropped
    table 2   from br-int: unicast -> 20, broadcast and multicast -> 22
    3, 4, 6   gre, vxlan, geneve: tunnel id of a network here -> its local VLAN, then 10;
              other ids are dropped
    table 10  learn where the sender is (into 20: VLAN + destination MAC -> tunnel id and the
              tunnel port the frame came in on), then out to br-int
    table 20  unicast: the L2 population entries (VLAN + MAC -> that host's tunnel port), the
              learned ones (lower priority); unknown -> 22
    table 22  flood: a network's frames to the tunnel ports of the hosts that have ports on it
              (every tunnel of its type without L2 population); nothing else
    table 23  the canary (as on br-int)
"""

from netmgr.agent.l2.ovs import flows
from netmgr import constants as const

CLASSIFY = 0
FROM_PATCH = 2
FROM_TUNNEL = {const.TYPE_GRE: 3, const.TYPE_VXLAN: 4, const.TYPE_GENEVE: 6}
LEARN = 10
UNICAST = 20
FLOOD = 22
CANARY_TABLE = flows.CANARY_TABLE

LEARNED_PRIORITY = 1            # below the L2 population entries of table 20
POPULATED_PRIORITY = 2
UNICAST_ADDRESSES = '00:00:00:00:00:00/01:00:00:00:00:00'
GROUP_ADDRESSES = '01:00:00:00:00:00/01:00:00:00:00:00'
# Learn the sender's place: frames to its MAC on its VLAN leave by the tunnel port (and with
# the tunnel id) it came in with.
LEARN_ACTION = ('learn(table=%d,priority=%d,hard_timeout=300,NXM_OF_VLAN_TCI[0..11],'
                'NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],'
                'load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:OXM_OF_IN_PORT[])'
                % (UNICAST, LEARNED_PRIORITY))

Flow = flows.Flow


def resubmit(table):
    return 'resubmit(,%d)' % table


def tunnel_base(patch_ofport, tunnel_types):
    """The flows of br-tun that depend on no network or remote host (and the canary)."""
    base = [Flow(CLASSIFY, 0, (), 'drop'),
            Flow(CLASSIFY, 1, (('in_port', patch_ofport),), resubmit(FROM_PATCH)),
            Flow(FROM_PATCH, 0, (('dl_dst', UNICAST_ADDRESSES),), resubmit(UNICAST)),
            Flow(FROM_PATCH, 0, (('dl_dst', GROUP_ADDRESSES),), resubmit(FLOOD)),
            Flow(LEARN, 1, (), '%s,output:%d' % (LEARN_ACTION, patch_ofport)),
            Flow(UNICAST, 0, (), resubmit(FLOOD)),
            Flow(FLOOD, 0, (), 'drop'),
            flows.canary()]
    base += [Flow(FROM_TUNNEL[t], 0, (), 'drop') for t in tunnel_types]
    return base


def from_tunnel_port(ofport, tunnel_type):
    """Table 0: what comes in by this tunnel port goes to its type's table."""
    return Flow(CLASSIFY, 1, (('in_port', ofport),), resubmit(FROM_TUNNEL[tunnel_type]))


def inbound(mapping):
    """br-tun: this network's tunnel id -> its local VLAN, then learning."""
    return Flow(FROM_TUNNEL[mapping.network_type], 1,
                (('tun_id', mapping.segmentation_id),),
                'mod_vlan_vid:%d,%s' % (mapping.vlan, resubmit(LEARN)))


def integration_inbound(int_ofport, mapping):
    """br-int: this network's frames coming up from br-tun (already in its local VLAN)."""
    return Flow(0, 3, (('in_port', int_ofport), ('dl_vlan', mapping.vlan)), 'NORMAL')


def _to_tunnels(mapping, ofports):
    return 'strip_vlan,set_tunnel:%d,%s' % (
        mapping.segmentation_id, ','.join('output:%d' % p for p in sorted(ofports)))


def flood(mapping, ofports):
    """Table 22: the network's broadcast to the tunnel ports ``ofports``; None for none (the
    table's default drops it)."""
    if not ofports:
        return None
    return Flow(FLOOD, 1, (('dl_vlan', mapping.vlan),), _to_tunnels(mapping, ofports))


def unicast(mapping, mac, ofport):
    """Table 20: frames to ``mac`` on this network go to one host's tunnel port."""
    return Flow(UNICAST, POPULATED_PRIORITY, (('dl_vlan', mapping.vlan), ('dl_dst', mac)),
                _to_tunnels(mapping, [ofport]))


def network_matches(mapping):
    """Matches of every br-tun flow of the network, learned ones included (to delete them when
    the network leaves this host: its VLAN may serve another network next)."""
    return [Flow(FROM_TUNNEL[mapping.network_type], 1, (('tun_id', mapping.segmentation_id),)),
            Flow(UNICAST, 0, (('dl_vlan', mapping.vlan),)),
            Flow(FLOOD, 1, (('dl_vlan', mapping.vlan),))]
