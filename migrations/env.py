"""Alembic environment for netmgr.

Run through ``netmgr.db.migration`` (or ``netmgr-db-manage``), which builds the Config in code:
there is no alembic.ini. A caller may lend an open connection in
``config.attributes['connection']``; otherwise an engine is made from ``sqlalchemy.url``.
"""

from alembic import context
import sqlalchemy as sa

from netmgr.db.models import core as models

target_metadata = models.Base.metadata


def _configure_options(dialect_name):
    # SQLite cannot ALTER most things; batch mode copies the table instead.
    return {'target_metadata': target_metadata, 'compare_type': True,
            'render_as_batch': dialect_name == 'sqlite'}


def run_migrations_offline():
    url = sa.engine.make_url(context.config.get_main_option('sqlalchemy.url'))
    context.configure(url=url, literal_binds=True, dialect_opts={'paramstyle': 'named'},
                      **_configure_options(url.get_backend_name()))
    with context.begin_transaction():
        context.run_migrations()


def _run_on(connection):
    context.configure(connection=connection, **_configure_options(connection.dialect.name))
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    connection = context.config.attributes.get('connection')
    if connection is not None:
        _run_on(connection)
        return
    engine = sa.create_engine(context.config.get_main_option('sqlalchemy.url'),
                              poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            _run_on(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
