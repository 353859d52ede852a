"""VIF driver selection, the libvirt XML each driver renders, and the one error type."""

from unittest import mock
from xml.etree import ElementTree

import pytest

from netmgr import exceptions
from nova_integration import nw_info
from nova_integration.vif import base
from nova_integration.vif import linuxbridge
from nova_integration.vif import ovs
from nova_integration.vif import registry

PORT_ID = 'a1b2c3d4-2222-4a2b-8c3d-000000000002'
NET_ID = '5e6f7a8b-1111-4a2b-8c3d-000000000001'
MAC = 'fa:16:3e:00:00:02'


def make_vif(vif_type='ovs', hybrid=None, mtu=1450):
    port = {'id': PORT_ID, 'mac_address': MAC, 'tenant_id': 't1', 'fixed_ips': [],
            'binding:vif_type': vif_type, 'status': 'DOWN',
            'binding:vif_details': {} if hybrid is None else {'ovs_hybrid_plug': hybrid}}
    return nw_info.vif(port, {'id': NET_ID, 'name': 'net', 'mtu': mtu}, {})


@pytest.mark.parametrize('vif_type, hybrid, expected', [
    ('ovs', None, ovs.OvsVifDriver),
    ('ovs', False, ovs.OvsVifDriver),
    ('ovs', True, ovs.OvsHybridVifDriver),
    ('bridge', None, linuxbridge.LinuxBridgeVifDriver),
    ('bridge', True, linuxbridge.LinuxBridgeVifDriver),
])
def test_driver_is_chosen_by_type_and_hybrid_detail(vif_type, hybrid, expected):
    driver = registry.driver_for(make_vif(vif_type, hybrid), executor=mock.Mock())
    assert type(driver) is expected


@pytest.mark.parametrize('vif_type', ['unbound', 'binding_failed', 'vhostuser', None])
def test_unknown_vif_type_is_a_vif_plug_error(vif_type):
    vif = make_vif()
    vif['type'] = vif_type
    with pytest.raises(exceptions.VifPlugError, match='which no VIF driver plugs'):
        registry.driver_for(vif)


def _xml(driver_class, vif):
    return ElementTree.fromstring(driver_class(executor=mock.Mock()).config_xml(vif))


def test_ovs_xml_has_the_virtualport_on_the_network_bridge():
    root = _xml(ovs.OvsVifDriver, make_vif('ovs'))
    assert root.find('source').get('bridge') == 'br-int'
    assert root.find('virtualport').get('type') == 'openvswitch'
    assert root.find('virtualport/parameters').get('interfaceid') == PORT_ID
    assert root.find('target').get('dev') == 'tapa1b2c3d4-22'
    assert root.find('mac').get('address') == MAC
    assert root.find('mtu').get('size') == '1450'


def test_hybrid_xml_is_a_plain_bridge_on_qbr():
    root = _xml(ovs.OvsHybridVifDriver, make_vif('ovs', True, mtu=None))
    assert root.find('source').get('bridge') == 'qbra1b2c3d4-22'
    assert root.find('virtualport') is None and root.find('mtu') is None
    assert root.find('target').get('dev') == 'tapa1b2c3d4-22'


def test_linuxbridge_xml_is_on_the_networks_brq():
    root = _xml(linuxbridge.LinuxBridgeVifDriver, make_vif('bridge'))
    assert root.find('source').get('bridge') == 'brq5e6f7a8b-11'
    assert root.find('virtualport') is None


def test_ovs_external_ids_name_port_mac_and_instance():
    instance = base.Instance(uuid='vm-1')
    assert ovs.OvsVifDriver.external_ids(make_vif('ovs'), instance) == {
        'iface-id': PORT_ID, 'attached-mac': MAC, 'vm-uuid': 'vm-1', 'iface-status': 'active'}


def test_any_failure_underneath_becomes_vif_plug_error():
    ovsdb = mock.Mock()
    ovsdb.bridge.return_value.add_port.side_effect = exceptions.OVSDBOperationError(
        connection='unix:x', reason='down')
    driver = ovs.OvsVifDriver(executor=mock.Mock(), ovsdb=ovsdb)
    with pytest.raises(exceptions.VifPlugError) as caught:
        driver.plug(make_vif('ovs'), base.Instance(uuid='vm-1'))
    assert str(caught.value) == ('Could not plug VIF %s with OvsVifDriver: OVSDB at unix:x: '
                                 'down.' % PORT_ID)
    assert isinstance(caught.value.__cause__, exceptions.OVSDBOperationError)


def test_plain_ovs_without_namespace_only_records_the_ovs_port():
    ovsdb = mock.Mock()
    driver = ovs.OvsVifDriver(executor=mock.Mock(), ovsdb=ovsdb)
    with mock.patch.object(base.ip_lib, 'add_veth') as add_veth:
        driver.plug(make_vif('ovs'), base.Instance(uuid='vm-1'))
    add_veth.assert_not_called()
    ovsdb.bridge.assert_called_once_with('br-int')
    ovsdb.bridge.return_value.add_port.assert_called_once_with(
        'tapa1b2c3d4-22', external_ids=ovs.OvsVifDriver.external_ids(
            make_vif('ovs'), base.Instance(uuid='vm-1')))
