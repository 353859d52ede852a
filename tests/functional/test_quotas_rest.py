"""Quotas through a live server, as Nova and the openstack CLI use them."""

import pytest

pytestmark = pytest.mark.functional


@pytest.fixture(scope='module')
def server(module_server_factory):
    return module_server_factory('quotas', quotas={'quota_network': 2, 'quota_port': 3})


def test_nova_reads_the_project_quota(server):
    api = server.client(**{'X-Project-Id': 'nova-project', 'X-Roles': 'member'})
    resp = api.get('/v2.0/quotas/nova-project')
    assert resp.status == 200, resp
    assert resp.json['quota']['network'] == 2 and resp.json['quota']['port'] == 3
    assert server.client().get('/v2.0/extensions/quotas.json').status == 200


def test_over_quota_is_409_and_nothing_is_left_behind(server):
    api = server.client(**{'X-Project-Id': 'busy-project', 'X-Roles': 'member'})
    first = api.create('network', name='q1')
    api.create('network', name='q2')
    resp = api.post('/v2.0/networks', {'network': {'name': 'q3'}})
    assert resp.status == 409, resp
    assert resp.json['NeutronError']['type'] == 'OverQuota'
    assert len(api.list('networks')) == 2
    api.create('subnet', network_id=first['id'], cidr='10.9.0.0/24', ip_version=4)
    resp = api.post('/v2.0/ports', {'ports': [{'network_id': first['id']}] * 4})
    assert resp.status == 409 and resp.json['NeutronError']['type'] == 'OverQuota'
    assert api.list('ports') == []


def test_admin_raises_a_limit_and_the_tenant_may_not(server):
    tenant = server.client(**{'X-Project-Id': 'grow-project', 'X-Roles': 'member'})
    assert tenant.put('/v2.0/quotas/grow-project', {'quota': {'network': 5}}).status == 403
    resp = server.client().put('/v2.0/quotas/grow-project.json', {'quota': {'network': 5}})
    assert resp.status == 200 and resp.json['quota']['network'] == 5
    assert tenant.get('/v2.0/quotas/grow-project').json['quota']['network'] == 5
    assert server.client().delete('/v2.0/quotas/grow-project').status == 204
    assert tenant.get('/v2.0/quotas/grow-project').json['quota']['network'] == 2
