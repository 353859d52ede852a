"""Helpers shared by the REST API functional tests."""

import urllib.parse
import uuid

DEFAULT_TENANT = 'tenant-default'
NO_SUCH_ID = '00000000-0000-4000-8000-000000000000'


def _uniq(prefix='t'):
    return '%s-%s' % (prefix, uuid.uuid4().hex[:8])


def _net(api, cidr=None, **attrs):
    """A network (and a subnet on it when ``cidr`` is given): (network, subnet)."""
    attrs.setdefault('name', _uniq('net'))
    network = api.create('network', **attrs)
    subnet = None
    if cidr:
        subnet = api.create('subnet', network_id=network['id'], cidr=cidr, ip_version=4,
                            name=_uniq('sub'))
    return network, subnet


def _error(resp, status, error_type):
    assert resp.status == status, resp
    assert resp.header('Content-Type').startswith('application/json'), resp.headers
    error = resp.error  # checks the three keys
    assert error['type'] == error_type, error
    assert error['message'], error
    return error


def _ips(port):
    return sorted(f['ip_address'] for f in port['fixed_ips'])


def _ids(items):
    return sorted(i['id'] for i in items)


def _follow(api, href, server):
    assert href.startswith(server.url + '/v2.0/networks?'), href
    parts = urllib.parse.urlsplit(href)
    resp = api.get(parts.path + '?' + parts.query)
    assert resp.status == 200, resp
    return resp.json


def _links(body):
    return {link['rel']: link['href'] for link in body['networks_links']}
