"""The libvirt <interface> of VIFs."""

from xml.etree import ElementTree

from netmgr import devnames
from nova_integration.vif import libvirt_xml

PORT_ID = 'a1b2c3d4-2222-4a2b-8c3d-000000000002'


def test_ovs_interface_has_a_virtualport():
    xml = libvirt_xml.interface('fa:16:3e:00:00:01', 'br-int', devnames.tap_name(PORT_ID),
                                ovs_interfaceid=PORT_ID, mtu=1450)
    root = ElementTree.fromstring(xml)
    assert root.get('type') == 'bridge'
    assert root.find('mac').get('address') == 'fa:16:3e:00:00:01'
    assert root.find('source').get('bridge') == 'br-int'
    assert root.find('virtualport').get('type') == 'openvswitch'
    assert root.find('virtualport/parameters').get('interfaceid') == PORT_ID
    assert root.find('target').get('dev') == 'tapa1b2c3d4-22'
    assert root.find('model').get('type') == 'virtio'
    assert root.find('mtu').get('size') == '1450'


def test_bridge_interface_has_no_virtualport():
    root = ElementTree.fromstring(libvirt_xml.interface(
        'fa:16:3e:00:00:01', devnames.hybrid_bridge_name(PORT_ID), devnames.tap_name(PORT_ID)))
    assert root.find('virtualport') is None and root.find('mtu') is None
    assert root.find('source').get('bridge') == 'qbra1b2c3d4-22'
