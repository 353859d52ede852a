"""netmgr-ovs-agent's wiring: the [OVS] options reach the Open vSwitch it drives, OVSDB and
ovs-ofctl alike (nothing is started: bridge setup is replaced, the transport is fake)."""

import pytest

from netmgr.cmd import ovs_agent as ovs_agent_cmd
from netmgr import conf as nm_conf


@pytest.fixture
def build(monkeypatch):
    """build(**overrides) -> the OVSDB the agent was built on, and its br-int."""
    seen = []

    def setup_bridges(ovsdb, integration_bridge, mappings, datapath_type):
        seen.append(ovsdb)
        return ovsdb.bridge(integration_bridge), {}

    def setup_tunnel_bridge(ovsdb, int_br, settings, datapath_type):
        return ovsdb.bridge(settings.bridge), 7, 8

    monkeypatch.setattr(ovs_agent_cmd.ovs_bridges, 'setup_bridges', setup_bridges)
    monkeypatch.setattr(ovs_agent_cmd.ovs_bridges, 'setup_tunnel_bridge', setup_tunnel_bridge)

    def run(**overrides):
        conf = nm_conf.new_conf(transport_url='fake:/', **overrides)
        agent, transport = ovs_agent_cmd.build(conf)
        transport.cleanup()
        run.agent = agent
        return seen[-1], agent.int_br
    return run


def test_default_open_vswitch_for_ovsdb_and_flows(build):
    ovsdb, int_br = build()
    assert ovsdb.connection == 'unix:/var/run/openvswitch/db.sock'
    assert ovsdb.ovs_rundir is None
    assert int_br.flows.target == 'br-int'


def test_another_open_vswitch_gets_both_ovsdb_and_flows(build):
    ovsdb, int_br = build(**{'OVS.ovsdb_connection': 'unix:/srv/h1/db.sock',
                             'OVS.ovs_rundir': '/srv/h1', 'OVS.integration_bridge': 'br-h1'})
    assert ovsdb.connection == 'unix:/srv/h1/db.sock'
    assert int_br.flows.target == 'unix:/srv/h1/br-h1.mgmt'
    assert int_br.flows.argv('dump-flows')[-1] == 'unix:/srv/h1/br-h1.mgmt'


def test_ovs_rundir_is_not_guessed_from_ovsdb_connection(build):
    """Documented rather than derived: an OVSDB elsewhere says nothing sure about where that
    ovs-vswitchd keeps its sockets."""
    _ovsdb, int_br = build(**{'OVS.ovsdb_connection': 'unix:/srv/h1/db.sock'})
    assert int_br.flows.target == 'br-int'


def test_no_tunnel_types_no_tunnel_bridge(build):
    build()
    assert build.agent.overlay is None
    configurations = build.agent.state()['configurations']
    assert (configurations['tunnel_types'], configurations['tunneling_ip']) == ([], None)


def test_tunnel_types_get_br_tun_and_are_reported(build):
    build(**{'OVS.local_ip': '192.0.2.1', 'AGENT.tunnel_types': ['vxlan', 'gre', 'vxlan'],
             'AGENT.l2_population': False, 'OVS.tunnel_bridge': 'br-tun9'})
    overlay = build.agent.overlay
    assert (overlay.bridge.name, overlay.int_ofport, overlay.tun_ofport) == ('br-tun9', 7, 8)
    assert overlay.tunnel_types == ('vxlan', 'gre')
    assert overlay.settings.vxlan_udp_port == 4789
    configurations = build.agent.state()['configurations']
    assert configurations['tunnel_types'] == ['vxlan', 'gre']
    assert configurations['tunneling_ip'] == '192.0.2.1'
    assert configurations['l2_population'] is False


@pytest.mark.parametrize('local_ip, message', [
    ('', '[AGENT] tunnel_types vxlan needs [OVS] local_ip'),
    ('192.0.2', "[OVS] local_ip '192.0.2' is not an IP address")])
def test_tunnel_types_need_a_local_ip(build, local_ip, message):
    with pytest.raises(ValueError) as error:
        build(**{'OVS.local_ip': local_ip, 'AGENT.tunnel_types': ['vxlan']})
    assert str(error.value) == message


def test_tunnel_types_are_checked():
    with pytest.raises(ValueError):
        nm_conf.new_conf(**{'AGENT.tunnel_types': ['vlan']}).AGENT.tunnel_types
