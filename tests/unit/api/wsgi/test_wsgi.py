"""The WSGI app in process (webob requests, in-memory SQLite): routing, faults, auth."""

import json

import pytest
import webob

from netmgr.api.wsgi import app as wsgi_app
from netmgr import conf as nm_conf
from netmgr.db import api as db_api
from netmgr.db.models import core as models
from netmgr import wiring


@pytest.fixture
def make_app(tmp_path):
    def build(**overrides):
        conf = nm_conf.new_conf(state_path=str(tmp_path), **overrides)
        db = db_api.Database('sqlite://')
        models.Base.metadata.create_all(db.engine)
        return wsgi_app.build_app(*wiring.build(conf, db), conf)
    return build


@pytest.fixture
def app(make_app):
    return make_app()


def call(app, method, path, body=None, headers=None):
    request = webob.Request.blank(path, method=method, headers=headers or {})
    if body is not None:
        request.body = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = request.get_response(app)
    data = json.loads(response.body) if response.body else None
    return response, data


def test_root_is_the_version_document_with_self_link(app):
    response, data = call(app, 'GET', '/')
    assert response.status_int == 200
    version = data['versions'][0]
    assert (version['id'], version['status']) == ('v2.0', 'CURRENT')
    assert version['links'][0]['href'].endswith('/v2.0/')


def test_v2_root_lists_resources(app):
    _response, data = call(app, 'GET', '/v2.0/')
    assert {r['collection'] for r in data['resources']} >= {'networks', 'subnets', 'ports'}


def test_unknown_extension_alias_is_404_with_neutron_error(app):
    response, data = call(app, 'GET', '/v2.0/extensions/tag-ports-during-bulk-creation')
    assert response.status_int == 404
    assert set(data['NeutronError']) == {'type', 'message', 'detail'}


def test_known_extension_is_shown(app):
    response, data = call(app, 'GET', '/v2.0/extensions/pagination.json')
    assert response.status_int == 200
    assert data['extension']['alias'] == 'pagination'


def test_create_show_delete_with_json_suffix(app):
    response, data = call(app, 'POST', '/v2.0/networks.json', {'network': {'name': 'n'}})
    assert response.status_int == 201
    net_id = data['network']['id']
    response, data = call(app, 'GET', '/v2.0/networks/%s.json' % net_id)
    assert data['network']['name'] == 'n'
    response, _data = call(app, 'DELETE', '/v2.0/networks/%s.json' % net_id)
    assert response.status_int == 204
    assert response.content_length == 0


@pytest.mark.parametrize('body', [b'{bad', b'\xff\xfe', b'[]', b'"x"',
                                  b'{"network": "x"}', b'{"network": []}', b'{}'])
def test_malformed_bodies_are_400(app, body):
    response, data = call(app, 'POST', '/v2.0/networks', body)
    assert response.status_int == 400, data
    assert data['NeutronError']['type'] in ('MalformedRequestBody', 'InvalidInput')


def test_wrong_method_is_405_and_unknown_path_404(app):
    assert call(app, 'PATCH', '/v2.0/networks')[0].status_int == 405
    assert call(app, 'GET', '/v2.0/widgets')[0].status_int == 404
    assert call(app, 'GET', '/v3/networks')[0].status_int == 404
    assert call(app, 'GET', '/v2.0/networks/a/b/c')[0].status_int == 404


def test_json_whatever_the_accept_header(app):
    response, data = call(app, 'GET', '/v2.0/networks', headers={'Accept': 'text/html'})
    assert response.content_type == 'application/json'
    assert data == {'networks': []}


def test_noauth_takes_tenant_and_roles_from_headers(app):
    member_a = {'X-Project-Id': 'tenant-a', 'X-Roles': 'member'}
    _r, data = call(app, 'POST', '/v2.0/networks', {'network': {'name': 'a'}}, member_a)
    assert data["network"]["tenant_id"] == "tenant-a", data
    response, _data = call(app, 'GET', '/v2.0/networks/%s' % data['network']['id'],
                           headers={'X-Project-Id': 'tenant-b', 'X-Roles': 'member'})
    assert response.status_int == 404
    response, data = call(app, 'POST', '/v2.0/networks',
                          {'network': {'name': 's', 'shared': True}}, member_a)
    assert response.status_int == 403
    assert data['NeutronError']['type'] == 'PolicyNotAuthorized'


def test_noauth_without_headers_uses_default_tenant(make_app):
    app = make_app(default_tenant_id='embedded')
    _r, data = call(app, 'POST', '/v2.0/networks', {'network': {'name': 'x'}})
    assert data['network']['tenant_id'] == 'embedded'


def test_keystone_strategy_refuses_requests_without_a_token(tmp_path):
    conf_file = tmp_path / 'netmgr.conf'
    conf_file.write_text('[DEFAULT]\nauth_strategy = keystone\n'
                         '[keystone_authtoken]\nwww_authenticate_uri = http://127.0.0.1:5000/\n')
    conf = nm_conf.new_conf(['--config-file', str(conf_file)], state_path=str(tmp_path))
    db = db_api.Database('sqlite://')
    models.Base.metadata.create_all(db.engine)
    app = wsgi_app.build_app(*wiring.build(conf, db), conf)
    response, _data = call(app, 'GET', '/v2.0/networks')
    assert response.status_int == 401
    assert call(app, 'GET', '/')[0].status_int == 200


def test_request_id_header_is_returned(app):
    response, _data = call(app, 'GET', '/v2.0/networks')
    assert response.headers['X-Openstack-Request-Id'].startswith('req-')
