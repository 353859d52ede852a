"""[database] options: oslo.db's, with netmgr's default connection left to the state path."""

from oslo_config import cfg
from oslo_db import options as db_options

OPTS = [
    cfg.IntOpt('api_retries', default=20, min=0,
               help='Times an API call is retried after losing a race (deadlock, duplicate '
                    'key on allocation).'),
]


def register(conf):
    db_options.set_defaults(conf)
    conf.register_opts(OPTS, group='database')


def list_opts():
    return [('database', OPTS)]
