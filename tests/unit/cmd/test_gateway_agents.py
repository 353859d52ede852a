"""netmgr-dhcp-agent's and netmgr-l3-agent's wiring: they plug into the Open vSwitch that
[OVS] names, as the host's L2 agent does (OVSDB and its ovs-vswitchd's run directory; nothing
is started: the transport is fake, no bridge is made)."""

import pytest

from netmgr.agent.linux import ovs_lib
from netmgr.cmd import dhcp_agent as dhcp_agent_cmd
from netmgr.cmd import l3_agent as l3_agent_cmd
from netmgr import conf as nm_conf
from netmgr.rpc import transport as rpc_transport


@pytest.fixture
def drivers(monkeypatch, tmp_path):
    """drivers(**overrides) -> the interface drivers of the DHCP and of the L3 agent."""
    made = []
    monkeypatch.setattr(ovs_lib.OVSDB, 'add_bridge',
                        lambda self, name, **kwargs: made.append((self, name)))

    def build(**overrides):
        conf = nm_conf.new_conf(transport_url='fake:/', state_path=str(tmp_path), **overrides)
        transport = rpc_transport.get_transport(conf)
        dhcp = dhcp_agent_cmd.build(conf, transport)
        transport.cleanup()
        l3, transport = l3_agent_cmd.build(conf)
        transport.cleanup()
        assert [name for _ovsdb, name in made] == [conf.OVS.integration_bridge]
        assert made[-1][0] is l3.driver.ovsdb
        return dhcp.devices.driver, l3.driver
    return build


def test_default_open_vswitch(drivers):
    for driver in drivers():
        assert driver.ovsdb.connection == 'unix:/var/run/openvswitch/db.sock'
        assert driver.ovsdb.ovs_rundir is None
        assert driver.integration_bridge == 'br-int'


def test_another_open_vswitch_for_ovsdb_and_its_bridges_flows(drivers):
    for driver in drivers(**{'OVS.ovsdb_connection': 'unix:/srv/h1/db.sock',
                             'OVS.ovs_rundir': '/srv/h1', 'OVS.integration_bridge': 'br-h1',
                             'OVS.datapath_type': 'netdev'}):
        assert driver.ovsdb.connection == 'unix:/srv/h1/db.sock'
        assert driver.datapath_type == 'netdev'
        bridge = driver.ovsdb.bridge(driver.integration_bridge)
        assert bridge.flows.target == 'unix:/srv/h1/br-h1.mgmt'
