"""Agent and RPC options: how long an agent stays alive without a heartbeat, how often
agents report, and whether the server serves agent RPC at all."""

import importlib
import socket

from oslo_config import cfg
import oslo_messaging
from oslo_messaging import opts as messaging_opts

from netmgr import constants as const

AGENT_GROUP = 'AGENT'

OPTS = [
    cfg.StrOpt('host', default=socket.gethostname(), sample_default='example.domain',
               help='The name of this host as agents and port bindings know it.'),
    cfg.IntOpt('agent_down_time', default=75, min=1,
               help='Seconds after an agent\'s last heartbeat before it is shown as dead. '
                    'Keep it at least twice [AGENT] report_interval.'),
    cfg.BoolOpt('rpc_enabled', default=True,
                help='Serve agent RPC (heartbeats, device details) over transport_url and '
                     'notify agents of changes. Off runs the API alone.'),
]

AGENT_OPTS = [
    cfg.StrOpt('host', default=socket.gethostname(), sample_default='example.domain',
               help='The name of this host as agents and port bindings know it.'),
    cfg.FloatOpt('report_interval', default=30.0, min=0.1,
                 help='Seconds between an agent\'s state reports (heartbeats).'),
]


def register(conf):
    conf.register_opts(OPTS)
    conf.register_opts(AGENT_OPTS, group=AGENT_GROUP)
    # oslo.messaging's own [DEFAULT] options (transport_url, control_exchange, ...) are
    # registered now rather than when the first transport is made, so config files and
    # overrides can name them; netmgr's exchange is the default.
    oslo_messaging.set_transport_defaults(const.CONTROL_EXCHANGE)
    for group, opts in messaging_opts.list_opts():
        if group in (None, 'DEFAULT'):
            conf.register_opts(opts)
    _register_global_only_opts(conf)


# (module, attribute, group) of oslo.messaging options that it registers on the global CONF
# only, at import, yet reads from the transport's own ConfigOpts.
_GLOBAL_ONLY = (('oslo_messaging._tracing.client', 'oslo_messaging_tracing',
                 'oslo_messaging_tracing'),
                ('oslo_messaging._metrics.client', 'oslo_messaging_metrics',
                 'oslo_messaging_metrics'))


def _register_global_only_opts(conf):
    for module_name, attribute, group in _GLOBAL_ONLY:
        try:
            module = importlib.import_module(module_name)
        except ImportError:  # a release without that feature
            continue
        conf.register_opts(getattr(module, attribute), group=group)


def list_opts():
    return [(None, OPTS), (AGENT_GROUP, AGENT_OPTS)]
