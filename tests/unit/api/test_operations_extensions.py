"""The pipeline's extension points, on a small fake collection: member actions (routed, policy
named after the action) and attributes hidden by get_<res>:<attr> rules."""

import json

import pytest
import webob

from netmgr.api import operations
from netmgr.api import policy as api_policy
from netmgr.api import resources
from netmgr.api.wsgi import router
from netmgr import conf as conf_mod
from netmgr import context as ctx
from netmgr import exceptions
from netmgr.services import interface


class Widgets(interface.ResourceService):
    collection = 'widgets'

    def __init__(self):
        self.rows = {'w1': {'id': 'w1', 'tenant_id': 'tenant-a', 'name': 'one',
                            'secret': 's3'}}
        self.pokes = []

    def create(self, context, data):
        raise NotImplementedError

    create_bulk = update = delete = list = create

    def get(self, context, resource_id):
        if resource_id not in self.rows:
            raise self.not_found(resource_id)
        return dict(self.rows[resource_id])

    policy_target = get

    def not_found(self, resource_id):
        return exceptions.ResourceNotFound(path='widgets/' + resource_id)

    def perform_action(self, context, resource_id, action, body):
        self.pokes.append((resource_id, action, body))
        return {'poked': resource_id}


def _spec(**extra):
    return dict({'allow_post': False, 'allow_put': False, 'is_visible': True}, **extra)


WIDGETS = resources.ResourceInfo(
    collection='widgets', singular='widget',
    attributes={'id': _spec(primary_key=True), 'tenant_id': _spec(), 'name': _spec(),
                'secret': _spec(enforce_policy=True)},
    actions={'poke': 'PUT'})


@pytest.fixture
def ops(tmp_path):
    policy_file = tmp_path / 'policy.yaml'
    policy_file.write_text('"get_widget:secret": "rule:admin_only"\n'
                           '"get_widget": "rule:admin_or_owner"\n'
                           '"poke": "rule:admin_or_owner"\n')
    conf_file = tmp_path / 'netmgr.conf'
    conf_file.write_text('[oslo_policy]\npolicy_file = %s\n' % policy_file)
    conf = conf_mod.new_conf(['--config-file', str(conf_file)], state_path=str(tmp_path))
    return operations.Operations({'widgets': Widgets()}, api_policy.PolicyEngine(conf), conf,
                                 resources={'widgets': WIDGETS})


OWNER = ctx.tenant_context('tenant-a')
OTHER = ctx.tenant_context('tenant-b')
ADMIN = ctx.admin_context('admin')


def test_attribute_hidden_by_its_get_rule(ops):
    assert 'secret' not in ops.show(OWNER, 'widgets', 'w1')['widget']
    assert ops.show(ADMIN, 'widgets', 'w1')['widget']['secret'] == 's3'


def test_action_runs_for_the_owner_with_its_body(ops):
    assert ops.action(OWNER, 'widgets', 'w1', 'poke', {'x': 1}) == {'poked': 'w1'}
    assert ops.services['widgets'].pokes == [('w1', 'poke', {'x': 1})]


def test_action_refused_by_its_own_rule(ops):
    with pytest.raises(exceptions.NotFound):   # cannot even see it: as if absent
        ops.action(OTHER, 'widgets', 'w1', 'poke', {})
    assert ops.services['widgets'].pokes == []


def test_unknown_action_and_bad_body(ops):
    with pytest.raises(exceptions.ResourceNotFound):
        ops.action(OWNER, 'widgets', 'w1', 'shake', {})
    with pytest.raises(exceptions.MalformedRequestBody):
        ops.action(OWNER, 'widgets', 'w1', 'poke', ['not', 'an', 'object'])


def _call(app, method, path, body=None, tenant='tenant-a'):
    request = webob.Request.blank(path, method=method,
                                  headers={'X-Project-Id': tenant, 'X-Roles': 'member'})
    if body is not None:
        request.body = json.dumps(body).encode()
    response = request.get_response(app)
    return response.status_int, json.loads(response.body) if response.body else None


def test_actions_are_routed_with_and_without_json_suffix(ops, tmp_path):
    app = router.ApiRouter(ops, conf_mod.new_conf(state_path=str(tmp_path)),
                           lambda request: ctx.tenant_context(request.headers['X-Project-Id']))
    assert _call(app, 'PUT', '/v2.0/widgets/w1/poke.json', {}) == (200, {'poked': 'w1'})
    assert _call(app, 'PUT', '/v2.0/widgets/w1/poke', {'a': 1})[0] == 200
    assert _call(app, 'POST', '/v2.0/widgets/w1/poke', {})[0] == 405
    assert _call(app, 'PUT', '/v2.0/widgets/w1/shake', {})[0] == 404
