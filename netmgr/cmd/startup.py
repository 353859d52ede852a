"""What every netmgr command does first: register options, parse the command line and the
config files, set up logging (-d/--debug for DEBUG)."""

import logging
import sys

from netmgr import conf as nm_conf

LOG_FORMAT = '%(asctime)s %(process)d %(levelname)s %(name)s %(message)s'


def load_config(conf, argv=None):
    nm_conf.register_all(conf)
    conf.register_cli_opt(nm_conf.cfg.BoolOpt('debug', short='d', default=False,
                                              help='Log at DEBUG level.'))
    conf(sys.argv[1:] if argv is None else argv, project='netmgr')
    logging.basicConfig(level=logging.DEBUG if conf.debug else logging.INFO,
                        format=LOG_FORMAT)
    return conf
