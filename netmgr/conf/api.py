"""[DEFAULT] options of the REST API server."""

from oslo_config import cfg

from netmgr import constants

OPTS = [
    cfg.HostAddressOpt('bind_host', default='127.0.0.1',
                       help='Address the API server listens on.'),
    cfg.PortOpt('bind_port', default=9696, help='Port the API server listens on.'),
    cfg.IntOpt('api_workers', default=1, min=1,
               help='Number of API worker processes sharing the listening socket.'),
    cfg.StrOpt('auth_strategy', default=constants.AUTH_NOAUTH,
               choices=[constants.AUTH_NOAUTH, constants.AUTH_KEYSTONE],
               help='noauth takes the tenant from X-Project-Id/X-Tenant-Id and roles from '
                    'X-Roles; keystone validates tokens with keystonemiddleware.'),
    cfg.StrOpt('default_tenant_id', default='admin',
               help='Tenant used in noauth mode when a request names none.'),
    cfg.ListOpt('default_roles', default=['admin'],
                help='Roles used in noauth mode when a request sends no X-Roles header.'),
    cfg.IntOpt('pagination_max_limit', default=-1,
               help='Largest page a list returns; -1 means no limit.'),
    cfg.IntOpt('max_request_body_size', default=1024 * 1024 * 16,
               help='Largest accepted request body, in bytes.'),
]


def register(conf):
    conf.register_opts(OPTS)


def list_opts():
    return [(None, OPTS)]
