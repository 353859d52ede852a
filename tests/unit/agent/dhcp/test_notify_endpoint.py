"""Server notifications to the DHCP agent are queued as (event, payload) in order."""

import pytest

from netmgr.agent.dhcp import notify_endpoint
from netmgr.rpc import dhcp_notify_api

EVENTS = ['network_create_end', 'network_update_end', 'network_delete_end',
          'subnet_create_end', 'subnet_update_end', 'subnet_delete_end',
          'port_create_end', 'port_update_end', 'port_delete_end']


class QueueingAgent:
    def __init__(self):
        self.events = []

    def notify(self, event, payload):
        self.events.append((event, payload))


@pytest.fixture
def endpoint():
    return notify_endpoint.DhcpNotifyEndpoint(QueueingAgent())


def test_each_notification_is_queued_under_its_name(endpoint):
    endpoint.network_create_end('ctx', {'n': 1})
    endpoint.network_update_end('ctx', {'n': 2})
    endpoint.network_delete_end('ctx', {'n': 3})
    endpoint.subnet_create_end('ctx', {'n': 4})
    endpoint.subnet_update_end('ctx', {'n': 5})
    endpoint.subnet_delete_end('ctx', {'n': 6})
    endpoint.port_create_end('ctx', {'n': 7})
    endpoint.port_update_end('ctx', {'n': 8})
    endpoint.port_delete_end('ctx', {'n': 9})
    assert endpoint.agent.events == [(e, {'n': n}) for n, e in enumerate(EVENTS, 1)]
    assert endpoint.target.version == dhcp_notify_api.VERSION
