"""The quotas REST controller with webob requests: Neutron's paths, shapes and errors."""

import json

import pytest
import webob

from netmgr.api.wsgi import faults
from netmgr.api.definitions import quotas as quotas_def
from netmgr.api.wsgi import quotas_controller
from netmgr.conf import quotas as quota_conf
from netmgr import context as ctx
from netmgr.services import quotas as quotas_mod

DEFAULTS = {'network': 10, 'subnet': 10, 'port': 50, 'router': 10, 'floatingip': 50,
            'security_group': 10, 'security_group_rule': 100}
ADMIN = ctx.admin_context('admin-tenant')
TENANT_A = ctx.tenant_context('tenant-a', user_id='user-a')


@pytest.fixture
def controller(client):
    conf = client.services.conf
    quota_conf.register(conf)
    for option in quota_conf.OPTION_OF.values():  # Neutron's defaults, whatever the fixture set
        conf.clear_override(option, group=quota_conf.GROUP)
    service = quotas_mod.QuotaService(client.services.db, conf)
    return quotas_controller.QuotasController(service, conf)


def path_parts(path):
    """What the router hands over: the path below /v2.0, '.json' stripped, split on '/'."""
    path = path[len('/v2.0'):]
    if path.endswith('.json'):
        path = path[:-len('.json')]
    return [p for p in path.split('/') if p]


def call(controller, method, path, body=None, context=ADMIN, raw=None):
    request = webob.Request.blank(path, method=method)
    if body is not None or raw is not None:
        request.body = raw if raw is not None else json.dumps(body).encode()
        request.content_type = 'application/json'
    try:
        response = controller.dispatch(request, context, path_parts(path))
    except Exception as exc:  # as the router does
        response = faults.to_response(exc, context.request_id)
    return response.status_int, (json.loads(response.body) if response.body else None)


def test_show_defaults_for_any_project(controller):
    assert call(controller, 'GET', '/v2.0/quotas/p1') == (200, {'quota': DEFAULTS})
    assert call(controller, 'GET', '/v2.0/quotas/p1.json') == (200, {'quota': DEFAULTS})


def test_update_then_show_list_default_delete(controller):
    status, body = call(controller, 'PUT', '/v2.0/quotas/p1.json',
                        {'quota': {'network': 5, 'port': -1}})
    assert (status, body) == (200, {'quota': dict(DEFAULTS, network=5, port=-1)})
    assert call(controller, 'GET', '/v2.0/quotas/p1')[1] == body
    assert call(controller, 'GET', '/v2.0/quotas/p1/default') == (200, {'quota': DEFAULTS})
    assert call(controller, 'GET', '/v2.0/quotas/p1/default.json')[0] == 200
    assert call(controller, 'GET', '/v2.0/quotas') == (200, {'quotas': [
        dict(DEFAULTS, network=5, port=-1, project_id='p1', tenant_id='p1')]})
    assert call(controller, 'GET', '/v2.0/quotas.json')[0] == 200
    assert call(controller, 'DELETE', '/v2.0/quotas/p1.json') == (204, None)
    assert call(controller, 'GET', '/v2.0/quotas/p1')[1] == {'quota': DEFAULTS}
    assert call(controller, 'GET', '/v2.0/quotas') == (200, {'quotas': []})


def test_delete_answers_204_with_content_length(controller):
    request = webob.Request.blank('/v2.0/quotas/p1', method='DELETE')
    response = controller.dispatch(request, ADMIN, ['quotas', 'p1'])
    assert response.status_int == 204
    assert response.headers['Content-Length'] == '0'
    assert response.headers['X-Openstack-Request-Id'] == ADMIN.request_id


def test_details(client, controller):
    as_a = client.as_context(TENANT_A)
    as_a.create_network()
    status, body = call(controller, 'GET', '/v2.0/quotas/tenant-a/details.json',
                        context=TENANT_A)
    assert status == 200
    assert body['quota']['network'] == {'limit': 10, 'used': 1, 'reserved': 0}
    assert set(body['quota']) == set(DEFAULTS)


def test_openstack_cli_set_sends_force_or_check_limit(controller):
    assert call(controller, 'PUT', '/v2.0/quotas/p1',
                {'quota': {'network': 3, 'force': True}})[1]['quota']['network'] == 3
    assert call(controller, 'PUT', '/v2.0/quotas/p1',
                {'quota': {'subnet': 4, 'check_limit': True}})[1]['quota']['subnet'] == 4


def test_whoami_actions(controller):
    assert call(controller, 'GET', '/v2.0/quotas/tenant.json', context=TENANT_A) == (
        200, {'tenant': {'tenant_id': 'tenant-a'}})
    assert call(controller, 'GET', '/v2.0/quotas/project', context=TENANT_A) == (
        200, {'project': {'project_id': 'tenant-a'}})


# ---- errors ------------------------------------------------------------------------------

def _error(result, status, error_type):
    got_status, body = result
    assert got_status == status, body
    assert set(body['NeutronError']) == {'type', 'message', 'detail'}
    assert body['NeutronError']['type'] == error_type, body
    return body['NeutronError']['message']


def test_tenant_sees_its_own_quota_but_not_others(controller):
    assert call(controller, 'GET', '/v2.0/quotas/tenant-a', context=TENANT_A) == (
        200, {'quota': DEFAULTS})
    _error(call(controller, 'GET', '/v2.0/quotas/tenant-b', context=TENANT_A), 403,
           'PolicyNotAuthorized')
    _error(call(controller, 'GET', '/v2.0/quotas/tenant-b/default', context=TENANT_A), 403,
           'PolicyNotAuthorized')
    _error(call(controller, 'GET', '/v2.0/quotas/tenant-b/details', context=TENANT_A), 403,
           'AdminRequired')
    _error(call(controller, 'GET', '/v2.0/quotas', context=TENANT_A), 403,
           'PolicyNotAuthorized')


def test_tenant_cannot_change_quotas(controller):
    for method, body in (('PUT', {'quota': {'network': 100}}), ('DELETE', None)):
        _error(call(controller, method, '/v2.0/quotas/tenant-a', body, context=TENANT_A),
               403, 'PolicyNotAuthorized')
    assert call(controller, 'GET', '/v2.0/quotas/tenant-a', context=TENANT_A)[1] == {
        'quota': DEFAULTS}


@pytest.mark.parametrize('body, error_type', [
    ({'quota': {'network': 'many'}}, 'InvalidInput'),
    ({'quota': {'network': -2}}, 'InvalidInput'),
    ({'quota': {'network': 1.5}}, 'InvalidInput'),
    ({'quota': {'cores': 1}}, 'InvalidInput'),
    ({'quota': ['network']}, 'MalformedRequestBody'),
    ({'quotas': {'network': 1}}, 'MalformedRequestBody'),
    ([], 'MalformedRequestBody'),
])
def test_bad_update_bodies_are_400(controller, body, error_type):
    _error(call(controller, 'PUT', '/v2.0/quotas/p1', body), 400, error_type)
    assert call(controller, 'GET', '/v2.0/quotas/p1')[1] == {'quota': DEFAULTS}


def test_unparsable_and_missing_bodies_are_400(controller):
    _error(call(controller, 'PUT', '/v2.0/quotas/p1', raw=b'{not json'), 400,
           'MalformedRequestBody')
    _error(call(controller, 'PUT', '/v2.0/quotas/p1'), 400, 'MalformedRequestBody')


@pytest.mark.parametrize('method, path', [
    ('POST', '/v2.0/quotas'), ('DELETE', '/v2.0/quotas'), ('PUT', '/v2.0/quotas'),
    ('POST', '/v2.0/quotas/p1'), ('PUT', '/v2.0/quotas/p1/default'),
    ('DELETE', '/v2.0/quotas/p1/details.json'),
])
def test_wrong_methods_are_405(controller, method, path):
    _error(call(controller, method, path, {'quota': {}}), 405, 'MethodNotAllowed')


@pytest.mark.parametrize('path', ['/v2.0/quotas/p1/other', '/v2.0/quotas/p1/default/x'])
def test_unknown_paths_are_404(controller, path):
    _error(call(controller, 'GET', path), 404, 'ResourceNotFound')


def test_extension_descriptors():
    aliases = [e['alias'] for e in quotas_def.EXTENSIONS]
    assert aliases == ['quotas', 'quota_details', 'quota-check-limit']
    for ext in quotas_def.EXTENSIONS:
        assert set(ext) == {'alias', 'name', 'description'}
