"""[QUOTAS] options: the default limit of each resource per project (Neutron's names)."""

from oslo_config import cfg

GROUP = 'QUOTAS'
UNLIMITED = -1

# (resource, option, default, what it counts), in the order the API shows them.
_DEFAULTS = (
    ('network', 'quota_network', 10, 'networks'),
    ('subnet', 'quota_subnet', 10, 'subnets'),
    ('port', 'quota_port', 50, 'ports'),
    ('router', 'quota_router', 10, 'routers'),
    ('floatingip', 'quota_floatingip', 50, 'floating IPs'),
    ('security_group', 'quota_security_group', 10, 'security groups'),
    ('security_group_rule', 'quota_security_group_rule', 100, 'security group rules'),
)

RESOURCES = tuple(resource for resource, _opt, _default, _what in _DEFAULTS)
OPTION_OF = {resource: opt for resource, opt, _default, _what in _DEFAULTS}

OPTS = [
    cfg.IntOpt(opt, default=default, min=UNLIMITED,
               help='Number of %s allowed per project; -1 means unlimited.' % what)
    for _resource, opt, default, what in _DEFAULTS
]


def register(conf):
    conf.register_opts(OPTS, group=GROUP)


def list_opts():
    return [(GROUP, OPTS)]


def defaults(conf):
    """resource -> configured default limit, in RESOURCES order."""
    group = conf[GROUP]
    return {resource: group[OPTION_OF[resource]] for resource in RESOURCES}
