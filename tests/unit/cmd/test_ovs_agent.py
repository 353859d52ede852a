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

    monkeypatch.setattr(ovs_agent_cmd.ovs_bridges, 'setup_bridges', setup_bridges)

    def run(**overrides):
        conf = nm_conf.new_conf(transport_url='fake:/', **overrides)
        agent, transport = ovs_agent_cmd.build(conf)
        transport.cleanup()
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
