"""Agents hear about port and network changes after they commit, over the fanout topic."""

import threading

import oslo_messaging
import pytest

from netmgr import constants as const
from netmgr.rpc import transport as rpc_transport
from netmgr.services import notifier

MESSAGES = ('port_update', 'port_delete', 'network_update', 'network_delete')


class Recorder:
    target = oslo_messaging.Target(version='1.0')

    def __init__(self):
        self.seen = []
        self.event = threading.Condition()

    def _record(self, name, kwargs):
        with self.event:
            self.seen.append((name, kwargs))
            self.event.notify_all()

    def wait_for(self, count, timeout=10):
        with self.event:
            self.event.wait_for(lambda: len(self.seen) >= count, timeout)
        return self.seen


for _name in MESSAGES:
    setattr(Recorder, _name,
            lambda self, context, _n=_name, **kwargs: self._record(_n, kwargs))


@pytest.fixture
def wired(make_client, make_conf):
    conf = make_conf(transport_url='fake://', host='agent-host',
                     **{'l2.network_vlan_ranges': ['physnet1:100:199'],
                        'l2.tenant_network_types': ['vlan']})
    transport = rpc_transport.get_transport(conf)
    recorder = Recorder()
    server = rpc_transport.get_server(transport, const.TOPIC_L2_AGENT, 'agent-host',
                                      [recorder])
    server.start()
    client = make_client(**{'l2.network_vlan_ranges': ['physnet1:100:199'],
                            'l2.tenant_network_types': ['vlan']})
    services = client.services
    notify = notifier.AgentNotifier(transport, services.db, services.l2_driver)
    services.ports.notifier = services.networks.notifier = notify
    yield client, recorder
    server.stop()
    server.wait()
    transport.cleanup()


def test_port_and_network_changes_reach_agents(wired):
    client, recorder = wired
    network = client.create_network(name='n1')
    client.create_subnet(network_id=network['id'], ip_version=4, cidr='10.0.0.0/24')
    port = client.create_port(network_id=network['id'])
    client.update_port(port['id'], admin_state_up=False)
    client.delete_port(port['id'])
    client.update_network(network['id'], name='n2')
    client.delete_network(network['id'])
    seen = recorder.wait_for(4)
    assert [name for name, _ in seen] == list(MESSAGES)
    update = seen[0][1]
    assert update['port']['id'] == port['id'] and update['port']['admin_state_up'] is False
    assert update['network_type'] == 'vlan' and update['physical_network'] == 'physnet1'
    assert 100 <= update['segmentation_id'] <= 199
    assert seen[1][1] == {'port_id': port['id']}
    assert seen[2][1]['network']['name'] == 'n2'
    assert seen[3][1] == {'network_id': network['id']}


def test_a_failed_notification_does_not_fail_the_call(wired):
    client, _recorder = wired
    network = client.create_network(name='n1')
    port = client.create_port(network_id=network['id'])

    def broken(*args, **kwargs):
        raise oslo_messaging.MessagingTimeout('broker away')
    client.services.ports.notifier.api.port_update = broken
    assert client.update_port(port['id'], name='still-works')['name'] == 'still-works'
