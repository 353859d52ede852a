"""The L3 agent's queue and synchronisation, with the routers and the server faked."""

import pytest

from netmgr.agent.l3 import agent as l3_agent
from netmgr.agent.l3 import router as router_mod
from netmgr import constants as const


class FakeRouter:
    made = []

    def __init__(self, router_id, driver, executor, external_bridge, arp_count):
        self.router_id = router_id
        self.processed = []
        self.deleted = False
        self.floating_ips = {}
        self.interfaces = 0
        self.fail = False
        FakeRouter.made.append(self)

    def process(self, router):
        if self.fail:
            raise RuntimeError('boom')
        self.processed.append(router)
        self.floating_ips = {f['floating_ip_address']: f['fixed_ip_address']
                             for f in router['_floatingips']}
        self.interfaces = len(router['_interfaces'])
        return {f['id']: 'ACTIVE' for f in router['_floatingips']}

    def delete(self):
        self.deleted = True


class FakeServer:
    def __init__(self):
        self.routers = {}
        self.calls = []
        self.statuses = []
        self.down = False

    def add(self, router_id, fips=(), admin_state_up=True):
        self.routers[router_id] = {
            'id': router_id, 'admin_state_up': admin_state_up, '_interfaces': [{}],
            '_floatingips': [{'id': f, 'floating_ip_address': '172.24.4.%d' % i,
                              'fixed_ip_address': '10.0.0.%d' % i}
                             for i, f in enumerate(fips, 10)]}

    def sync_routers(self, context, host, router_ids=None):
        self.calls.append(router_ids)
        if self.down:
            raise RuntimeError('server away')
        ids = sorted(self.routers) if router_ids is None else router_ids
        return [self.routers[i] for i in ids if i in self.routers]

    def update_floatingip_statuses(self, context, router_id, fip_statuses):
        self.statuses.append((router_id, fip_statuses))


@pytest.fixture
def lab(monkeypatch):
    FakeRouter.made = []
    namespaces = ['qrouter-stale', 'qdhcp-net', 'other', 'qrouter-other', 'qrouter-r2']
    removed = []

    def remove_namespace(ns, driver, bridge=None):
        namespaces.remove(ns)
        removed.append(ns)

    monkeypatch.setattr(router_mod, 'Router', FakeRouter)
    monkeypatch.setattr(l3_agent.ip_lib, 'list_namespaces', lambda: list(namespaces))
    monkeypatch.setattr(l3_agent.ip_lib, 'namespace_exists', lambda ns: ns in namespaces)
    # qrouter-other is another L3 agent's (its devices are on another br-int); qrouter-empty
    # has no router device yet.
    monkeypatch.setattr(router_mod, 'plugged_elsewhere',
                        lambda ns, driver, bridge=None, empty_is_mine=True:
                        ns == 'qrouter-other' or (ns == 'qrouter-empty' and not empty_is_mine))
    monkeypatch.setattr(router_mod, 'remove_namespace', remove_namespace)
    server = FakeServer()
    agent = l3_agent.L3Agent('host-1', server, driver=None, executor=None,
                             external_bridge='br-ex')
    return agent, server, removed, namespaces


def test_full_sync_configures_routers_and_removes_stale_namespaces(lab):
    agent, server, removed, _namespaces = lab
    server.add('r1', fips=['f1'])
    server.add('r2', admin_state_up=False)
    agent.process_once()
    assert server.calls == [None]
    assert sorted(agent.routers) == ['r1']
    assert sorted(removed) == ['qrouter-r2', 'qrouter-stale']
    assert server.statuses == [('r1', {'f1': 'ACTIVE'})]
    state = agent.state(start_flag=True)
    assert state['agent_type'] == const.AGENT_TYPE_L3 and state['start_flag']
    assert state['binary'] == 'netmgr-l3-agent'
    assert state['configurations'] == {'routers': 1, 'floating_ips': 1, 'interfaces': 1,
                                       'external_network_bridge': 'br-ex'}


def test_a_router_of_another_agent_is_left_alone(lab):
    agent, server, removed, namespaces = lab
    agent.process_once()
    namespaces.append('qrouter-gone')
    del removed[:]
    agent.routers_updated(['other'])       # the server gives it to the other agent's host
    agent.router_deleted('gone')
    agent.process_once()
    assert removed == ['qrouter-gone'] and 'qrouter-other' in namespaces


def test_an_empty_namespace_is_removed_at_start_only(lab):
    """At start it is what an earlier run left; later it may be another agent's router being
    set up on this machine."""
    agent, server, removed, namespaces = lab
    namespaces.append('qrouter-empty')
    agent.process_once()
    assert 'qrouter-empty' in removed
    namespaces.append('qrouter-empty')
    agent.fullsync()                        # the periodic full sync
    agent.process_once()
    assert server.calls == [None, None] and 'qrouter-empty' in namespaces


def test_notifications_fetch_only_those_routers(lab):
    agent, server, removed, _namespaces = lab
    server.add('r1')
    agent.process_once()
    server.add('r2', fips=['f2'])
    agent.routers_updated(['r2'])
    agent.process_once()
    assert server.calls[-1] == ['r2']
    assert sorted(agent.routers) == ['r1', 'r2']
    # Same statuses again: not reported twice.
    agent.routers_updated(['r2'])
    agent.process_once()
    assert server.statuses == [('r2', {'f2': 'ACTIVE'})]
    del server.routers['r1']
    agent.router_deleted('r1')
    agent.process_once()
    assert sorted(agent.routers) == ['r2'] and FakeRouter.made[0].deleted
    # An update for a router the server no longer has removes it too.
    del server.routers['r2']
    agent.routers_updated(['r2'])
    agent.process_once()
    assert agent.routers == {} and FakeRouter.made[1].deleted


def test_a_failure_keeps_the_work_and_asks_for_a_full_sync(lab):
    agent, server, _removed, _namespaces = lab
    server.add('r1')
    agent.process_once()
    server.down = True
    agent.routers_updated(['r1'])
    with pytest.raises(RuntimeError):
        agent.process_once()
    server.down = False
    agent.process_once()
    assert server.calls[-1] == ['r1']
    FakeRouter.made[0].fail = True
    agent.routers_updated(['r1'])
    with pytest.raises(RuntimeError):
        agent.process_once()
    FakeRouter.made[0].fail = False
    agent.process_once()
    assert server.calls[-1] == ['r1'] and len(FakeRouter.made[0].processed) == 3


def test_run_resyncs_after_an_error(lab, monkeypatch):
    agent, server, _removed, _namespaces = lab
    agent.loop.max_backoff = 0.01
    server.add('r1')
    server.down = True
    done = []

    def sync(context, host, router_ids=None):
        done.append(router_ids)
        if len(done) == 1:
            raise RuntimeError('server away')
        agent.stop()
        return list(server.routers.values())

    monkeypatch.setattr(server, 'sync_routers', sync)
    agent.run()
    assert done == [None, None] and list(agent.routers) == ['r1']
