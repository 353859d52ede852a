"""Who is calling: a RequestContext from request headers (noauth) or from what
keystonemiddleware's auth_token put there (keystone)."""

from netmgr import constants as const
from netmgr import context as nm_context
from netmgr import exceptions


def _roles(header):
    return tuple(r.strip() for r in header.split(',') if r.strip())


class NoAuthContext:
    """Tenant from X-Project-Id / X-Tenant-Id, roles from X-Roles, else configured defaults."""

    def __init__(self, conf):
        self.default_tenant = conf.default_tenant_id
        self.default_roles = tuple(conf.default_roles)

    def __call__(self, request):
        headers = request.headers
        tenant = headers.get('X-Project-Id') or headers.get('X-Tenant-Id') \
            or self.default_tenant
        roles = _roles(headers['X-Roles']) if 'X-Roles' in headers else self.default_roles
        return nm_context.RequestContext(
            user_id=headers.get('X-User-Id') or headers.get('X-User'), tenant_id=tenant,
            roles=roles, is_admin='admin' in roles, **_request_id(headers))


class KeystoneContext:
    """Trusts only what auth_token validated."""

    def __call__(self, request):
        headers = request.headers
        if headers.get('X-Identity-Status') != 'Confirmed':
            raise exceptions.NotAuthorized()
        roles = _roles(headers.get('X-Roles', ''))
        return nm_context.RequestContext(
            user_id=headers.get('X-User-Id'),
            tenant_id=headers.get('X-Project-Id') or headers.get('X-Tenant-Id'),
            roles=roles, is_admin='admin' in roles, **_request_id(headers))


def _request_id(headers):
    rid = headers.get('X-Openstack-Request-Id')
    return {'request_id': rid} if rid and rid.startswith('req-') else {}


def context_builder(conf):
    if conf.auth_strategy == const.AUTH_KEYSTONE:
        return KeystoneContext()
    return NoAuthContext(conf)
