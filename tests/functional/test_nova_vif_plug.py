"""VIF drivers on the real Open vSwitch (userspace datapath) and kernel, through the netlab.

VIF ids embed the lab's random prefix, so every device a driver derives from them (tap, qbr,
qvb, qvo, brq) is unique to the run; the fixture deletes those names whatever happened.
"""

import secrets
import uuid

import pytest

from netmgr.agent.linux import bridge_lib
from netmgr.agent.linux import ip_lib
from netmgr import devnames
from netmgr import exceptions
from nova_integration.vif import base
from nova_integration.vif import linuxbridge
from nova_integration.vif import ovs
from nova_integration.vif import registry
from tests.fixtures import netlab

TAG = 7


class Lab:
    def __init__(self, lab):
        self.lab = lab
        self.run = secrets.token_hex(3)
        self.vif_ids = []
        self.linux_bridges = []

    def vif(self, bridge, vif_type='ovs', hybrid=False, mtu=None, net_id=None):
        vif_id = '%s%02d-%s' % (self.run, len(self.vif_ids), str(uuid.uuid4())[9:])
        self.vif_ids.append(vif_id)
        return {'id': vif_id, 'address': 'fa:16:3e:%s:%02x' % (
                    ':'.join(self.run[i:i + 2] for i in (0, 2)), len(self.vif_ids)),
                'type': vif_type, 'devname': devnames.tap_name(vif_id),
                'ovs_interfaceid': vif_id if vif_type == 'ovs' else None,
                'details': {'ovs_hybrid_plug': hybrid, 'port_filter': hybrid},
                'network': {'id': net_id or str(uuid.uuid4()), 'bridge': bridge,
                            'meta': {'mtu': mtu, 'should_create_bridge': vif_type == 'bridge'}}}

    def instance(self):
        return base.Instance(uuid=str(uuid.uuid4()), name='vm', namespace=self.lab.namespace())

    def device_names(self):
        return [n for vif_id in self.vif_ids for n in (
            devnames.tap_name(vif_id), devnames.hybrid_bridge_name(vif_id),
            devnames.hybrid_bridge_end_name(vif_id), devnames.hybrid_ovs_end_name(vif_id))
        ] + self.linux_bridges

    def leftovers(self):
        present = set(ip_lib.list_devices())
        ports = {p for b in self.lab.ovsdb.list_bridges()
                 for p in self.lab.ovsdb.bridge(b).port_names()}
        return sorted(n for n in self.device_names() if n in present or n in ports)

    def cleanup(self):
        for name in self.device_names():
            self.lab.ovsdb.run([self.lab.ovsdb.api.del_port(name, if_exists=True)])
            ip_lib.IPDevice(name).delete(if_exists=True)


@pytest.fixture
def vlab():
    with netlab.open_lab() as lab:
        vifs = Lab(lab)
        try:
            yield vifs
        finally:
            vifs.cleanup()


def _external_ids(lab, port):
    return lab.ovsdb.execute(lab.ovsdb.api.db_get('Interface', port, 'external_ids'))


def _inside(vif, instance):
    name = base.instance_interface(vif, instance)
    assert name is not None and name.startswith('eth')
    return ip_lib.IPDevice(name, instance.namespace)


def _plug_pair(vlab, hybrid, driver):
    bridge = vlab.lab.bridge(fail_mode=None)         # standalone: NORMAL switching, no agent
    vifs = [vlab.vif(bridge.name, hybrid=hybrid) for _ in range(2)]
    instances = [vlab.instance() for _ in vifs]
    for vif, instance in zip(vifs, instances):
        driver.plug(vif, instance)
    return bridge, vifs, instances


def _address_and_tag(vlab, bridge, vifs, instances, ports):
    for number, (vif, instance, port) in enumerate(zip(vifs, instances, ports)):
        _inside(vif, instance).add_address('10.%d.0.%d/24' % (TAG, number + 1))
        bridge.set_port_tag(port, TAG)


def test_plain_ovs_plug_ping_replug_unplug(vlab):
    driver = registry.driver_for(vlab.vif('x'), executor=vlab.lab.executor, ovsdb=vlab.lab.ovsdb)
    assert isinstance(driver, ovs.OvsVifDriver)
    bridge, vifs, instances = _plug_pair(vlab, False, driver)
    taps = [v['devname'] for v in vifs]
    assert set(taps) <= set(bridge.port_names())
    assert _external_ids(vlab.lab, taps[0]) == {
        'iface-id': vifs[0]['id'], 'attached-mac': vifs[0]['address'],
        'vm-uuid': instances[0].uuid, 'iface-status': 'active'}
    assert _inside(vifs[0], instances[0]).link()['address'] == vifs[0]['address']

    _address_and_tag(vlab, bridge, vifs, instances, taps)
    assert vlab.lab.ping_within(instances[0].namespace, '10.7.0.2')
    bridge.set_port_tag(taps[1], TAG + 1)               # the path really is the tagged port
    assert not vlab.lab.ping(instances[0].namespace, '10.7.0.2')
    bridge.set_port_tag(taps[1], TAG)

    driver.plug(vifs[0], instances[0])                  # again: same state, traffic kept
    assert bridge.port_names().count(taps[0]) == 1
    assert bridge.get_port_tag(taps[0]) == TAG
    assert ip_lib.list_devices(instances[0].namespace) == ['eth0', 'lo']
    assert vlab.lab.ping_within(instances[0].namespace, '10.7.0.2')

    for vif, instance in zip(vifs, instances):
        driver.unplug(vif, instance)
        driver.unplug(vif, instance)                    # nothing left to remove: fine
        assert ip_lib.list_devices(instance.namespace) == ['lo']
    assert vlab.leftovers() == []
    assert bridge.port_names() == []


def test_hybrid_ovs_plug_ping_replug_unplug(vlab):
    vif = vlab.vif('x', hybrid=True)
    driver = registry.driver_for(vif, executor=vlab.lab.executor, ovsdb=vlab.lab.ovsdb)
    assert isinstance(driver, ovs.OvsHybridVifDriver)
    bridge, vifs, instances = _plug_pair(vlab, True, driver)
    qvos = [devnames.hybrid_ovs_end_name(v['id']) for v in vifs]
    assert sorted(bridge.port_names()) == sorted(qvos)
    assert _external_ids(vlab.lab, qvos[1]) == {
        'iface-id': vifs[1]['id'], 'attached-mac': vifs[1]['address'],
        'vm-uuid': instances[1].uuid, 'iface-status': 'active'}
    for vif in vifs:
        qbr = bridge_lib.LinuxBridge(devnames.hybrid_bridge_name(vif['id']))
        assert qbr.exists()
        assert qbr.interfaces() == sorted([vif['devname'],
                                           devnames.hybrid_bridge_end_name(vif['id'])])
    assert _inside(vifs[1], instances[1]).link()['address'] == vifs[1]['address']

    _address_and_tag(vlab, bridge, vifs, instances, qvos)
    assert vlab.lab.ping_within(instances[1].namespace, '10.7.0.1')

    driver.plug(vifs[1], instances[1])
    qbr = bridge_lib.LinuxBridge(devnames.hybrid_bridge_name(vifs[1]['id']))
    assert qbr.interfaces() == sorted(
        [vifs[1]['devname'], devnames.hybrid_bridge_end_name(vifs[1]['id'])])
    assert bridge.get_port_tag(qvos[1]) == TAG
    assert vlab.lab.ping_within(instances[1].namespace, '10.7.0.1')

    for vif, instance in zip(vifs, instances):
        driver.unplug(vif, instance)
        driver.unplug(vif, instance)
    assert vlab.leftovers() == []
    assert bridge.port_names() == []


def test_hybrid_without_namespace_prepares_the_host_side_only(vlab):
    bridge = vlab.lab.bridge()
    vif = vlab.vif(bridge.name, hybrid=True, mtu=1400)
    driver = ovs.OvsHybridVifDriver(executor=vlab.lab.executor, ovsdb=vlab.lab.ovsdb)
    instance = base.Instance(uuid=str(uuid.uuid4()))
    driver.plug(vif, instance)
    qbr = devnames.hybrid_bridge_name(vif['id'])
    assert bridge_lib.LinuxBridge(qbr).interfaces() == [devnames.hybrid_bridge_end_name(vif['id'])]
    assert not ip_lib.device_exists(vif['devname'])     # libvirt makes the tap
    assert ip_lib.IPDevice(devnames.hybrid_ovs_end_name(vif['id'])).link()['mtu'] == 1400
    driver.unplug(vif, instance)
    assert vlab.leftovers() == []


def test_linuxbridge_plug_ping_unplug(vlab):
    net_id = '%s-%s' % (vlab.run, str(uuid.uuid4())[7:])
    brq = 'brq' + net_id[:11]
    vlab.linux_bridges.append(brq)
    vifs = [vlab.vif(brq, vif_type='bridge', net_id=net_id) for _ in range(2)]
    driver = registry.driver_for(vifs[0], executor=vlab.lab.executor)
    assert isinstance(driver, linuxbridge.LinuxBridgeVifDriver)
    instances = [vlab.instance() for _ in vifs]
    for vif, instance in zip(vifs, instances):
        driver.plug(vif, instance)
        driver.plug(vif, instance)
    assert bridge_lib.LinuxBridge(brq).interfaces() == sorted(v['devname'] for v in vifs)
    for number, (vif, instance) in enumerate(zip(vifs, instances)):
        _inside(vif, instance).add_address('10.8.0.%d/24' % (number + 1))
    assert vlab.lab.ping_within(instances[0].namespace, '10.8.0.2')
    for vif, instance in zip(vifs, instances):
        driver.unplug(vif, instance)
    assert bridge_lib.LinuxBridge(brq).interfaces() == []   # the network's bridge stays
    assert vlab.leftovers() == [brq]


def test_failures_come_out_as_vif_plug_error(vlab):
    vif = vlab.vif('x', vif_type='bridge')
    vif['network']['meta']['should_create_bridge'] = False
    driver = linuxbridge.LinuxBridgeVifDriver(executor=vlab.lab.executor)
    with pytest.raises(exceptions.VifPlugError, match='Could not plug VIF'):
        driver.plug(vif, vlab.instance())
    gone = base.Instance(uuid='u', namespace=vlab.lab.prefix + 'gone')
    with pytest.raises(exceptions.VifPlugError):
        ovs.OvsVifDriver(executor=vlab.lab.executor, ovsdb=vlab.lab.ovsdb).plug(
            vlab.vif(vlab.lab.bridge().name), gone)
    assert vlab.leftovers() == []


def test_linux_bridge_helpers_in_a_lab_namespace(vlab):
    namespace = vlab.lab.namespace()
    bridge = bridge_lib.LinuxBridge('br0', namespace)
    assert not bridge.exists() and bridge.interfaces() == []
    bridge.create(mtu=1400)
    bridge.create()                                     # may exist
    assert bridge.exists() and bridge.device.link()['mtu'] == 1400
    ip_lib.add_veth('a0', 'b0', namespace=namespace)
    bridge.add_interface('a0')
    bridge.add_interface('a0')
    assert bridge.interfaces() == ['a0']
    bridge.delete_interface('a0')
    bridge.delete_interface('a0')
    bridge.delete_interface('nosuchdev')
    assert bridge.interfaces() == []
    with pytest.raises(exceptions.NetworkDeviceNotFound):
        bridge.add_interface('nosuchdev')
    bridge.delete()
    bridge.delete()
    assert not bridge.exists() and ip_lib.device_exists('a0', namespace)
