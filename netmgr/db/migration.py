"""Schema migrations: alembic driven from code (no alembic.ini, no global state).

The scripts live in the top-level ``migrations`` package, found through the import system so an
installed netmgr finds them as well as a source tree does.
"""

import importlib.util
import io

from alembic import command
from alembic import config as alembic_config
from alembic import script as alembic_script
from alembic.runtime import migration as alembic_migration
import sqlalchemy as sa

from netmgr import exceptions

NOT_INITIALISED = 'not initialised'


def script_location():
    spec = importlib.util.find_spec('migrations')
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("netmgr's 'migrations' package is not importable",
                                  name='migrations')
    return spec.submodule_search_locations[0]


def make_config(url=None, connection=None, sql_output=None):
    """An alembic Config for netmgr; ``connection`` is lent to env.py instead of ``url``.

    Alembic's own messages are swallowed; offline SQL goes to ``sql_output``.
    """
    config = alembic_config.Config(stdout=io.StringIO(), output_buffer=sql_output)
    config.set_main_option('script_location', script_location())
    if url is not None:
        url = sa.engine.make_url(url).render_as_string(hide_password=False)
        # ConfigParser interpolation: a literal % in a URL (escaped password) must be doubled.
        config.set_main_option('sqlalchemy.url', url.replace('%', '%%'))
    if connection is not None:
        config.attributes['connection'] = connection
    return config


def upgrade(url, revision='head'):
    """Migrate the database at ``url`` to ``revision``; returns the revision reached."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as connection:
            command.upgrade(make_config(connection=connection), revision)
        return current_revision(engine)
    finally:
        engine.dispose()


def upgrade_sql(url, revision='head'):
    """The SQL an upgrade from empty to ``revision`` would run (alembic offline mode)."""
    out = io.StringIO()
    command.upgrade(make_config(url=url, sql_output=out), revision, sql=True)
    return out.getvalue()


def current_revision(engine):
    """The revision stamped in the database, or None if it was never migrated."""
    with engine.connect() as connection:
        return alembic_migration.MigrationContext.configure(connection).get_current_revision()


def _scripts():
    return alembic_script.ScriptDirectory.from_config(make_config())


def head_revision():
    return _scripts().get_current_head()


def history():
    """(revision, down_revision, message) from head to base."""
    return [(script.revision, script.down_revision, script.doc)
            for script in _scripts().walk_revisions()]


def check_schema(engine):
    """Raise SchemaOutOfDate unless the database is at the head revision."""
    current, head = current_revision(engine), head_revision()
    if current != head:
        raise exceptions.SchemaOutOfDate(current=current or NOT_INITIALISED, head=head)
