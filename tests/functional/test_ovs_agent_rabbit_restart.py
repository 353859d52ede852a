"""RabbitMQ restarts under a running server and agent: both carry on (a port plugged after
the restart turns ACTIVE, the first one stays ACTIVE and keeps its traffic).

This stops the broker of the machine for a few seconds: other RPC users see a reconnect."""

import subprocess
import time

import pytest

from tests.fixtures.agents import boot, port_status as _status, wait_for
from tests.fixtures import rabbit
from tests.functional.rest_helpers import _net

pytestmark = pytest.mark.functional


def _rabbitmqctl(verb):
    subprocess.run(['rabbitmqctl', verb], check=True, capture_output=True, timeout=60)


def test_agent_and_server_survive_a_rabbitmq_restart(netlab, vlan_rpc_server, host):
    api = vlan_rpc_server.client()
    net, _ = _net(api, cidr='10.64.0.0/24')
    first, ns1 = boot(netlab, api, host, net, '10.64.0.11')
    wait_for(lambda: _status(api, first['id']) == 'ACTIVE', message='ACTIVE')
    _rabbitmqctl('stop_app')
    try:
        assert not rabbit.rabbit_reachable(timeout=1)
        time.sleep(2)
    finally:
        _rabbitmqctl('start_app')
    wait_for(rabbit.rabbit_reachable, timeout=60, message='RabbitMQ back')
    second, ns2 = boot(netlab, api, host, net, '10.64.0.12')
    wait_for(lambda: _status(api, second['id']) == 'ACTIVE', timeout=45,
             message='port plugged after the restart ACTIVE')
    assert _status(api, first['id']) == 'ACTIVE'
    assert netlab.ping_within(ns2, '10.64.0.11')
    assert host[2].running()
