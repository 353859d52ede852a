"""netmgr-db-manage: create and upgrade the netmgr database schema.

    netmgr-db-manage --config-file /etc/netmgr/netmgr.conf upgrade [REVISION] [--sql]
    netmgr-db-manage --config-file ... current | history | check
"""

import os
import sys

from oslo_config import cfg
import sqlalchemy as sa

from netmgr import conf as netmgr_conf
from netmgr import exceptions
from netmgr.db import api as db_api
from netmgr.db import migration


def _database_url(conf):
    url = conf.database.connection or db_api.default_connection(conf)
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == 'sqlite' and parsed.database not in (None, '', ':memory:'):
        os.makedirs(os.path.dirname(os.path.abspath(parsed.database)), exist_ok=True)
    return url


def _shown(url):
    return sa.engine.make_url(url).render_as_string(hide_password=True)


def _engine(url):
    return sa.create_engine(url, poolclass=sa.pool.NullPool)


def do_upgrade(conf, url):
    if conf.command.sql:
        print(migration.upgrade_sql(url, conf.command.revision), end='')
        return 0
    engine = _engine(url)
    try:
        before = migration.current_revision(engine) or migration.NOT_INITIALISED
    finally:
        engine.dispose()
    after = migration.upgrade(url, conf.command.revision)
    if before == after:
        print('%s is already at %s.' % (_shown(url), after))
    else:
        print('Upgraded %s from %s to %s.' % (_shown(url), before, after))
    return 0


def do_current(conf, url):
    engine = _engine(url)
    try:
        current = migration.current_revision(engine)
    finally:
        engine.dispose()
    marker = ' (head)' if current and current == migration.head_revision() else ''
    print('%s%s' % (current or migration.NOT_INITIALISED, marker))
    return 0


def do_history(conf, url):
    for revision, down_revision, message in migration.history():
        print('%s -> %s: %s' % (down_revision or '<base>', revision, message))
    return 0


def do_check(conf, url):
    engine = _engine(url)
    try:
        migration.check_schema(engine)
    except exceptions.SchemaOutOfDate as exc:
        print(exc, file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print('The database schema is up to date (%s).' % migration.head_revision())
    return 0


def _add_parsers(subparsers):
    upgrade = subparsers.add_parser('upgrade', help='Upgrade the schema (default: to head).')
    upgrade.add_argument('revision', nargs='?', default='head')
    upgrade.add_argument('--sql', action='store_true',
                         help='Print the SQL instead of running it (offline mode).')
    upgrade.set_defaults(func=do_upgrade)
    for name, func, text in (('current', do_current, 'Show the revision of the database.'),
                             ('history', do_history, 'List the migrations.'),
                             ('check', do_check, 'Exit 1 unless the schema is at head.')):
        subparsers.add_parser(name, help=text).set_defaults(func=func)


def main(argv=None):
    conf = cfg.ConfigOpts()
    netmgr_conf.register_all(conf)
    conf.register_cli_opt(cfg.SubCommandOpt('command', title='Commands', handler=_add_parsers,
                                            help='What to do with the database.'))
    conf(sys.argv[1:] if argv is None else argv, project='netmgr')
    return conf.command.func(conf, _database_url(conf))


if __name__ == '__main__':
    sys.exit(main())
