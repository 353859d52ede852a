"""What every table module shares: one declarative Base (so one metadata describes the
whole schema), column types and table options."""

import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy import orm

from netmgr import constants as const

ID = sa.String(const.UUID_LENGTH)
NAME = sa.String(const.NAME_MAX_LEN)
IP = sa.String(64)
# Fixed-width hex of an address's integer value: orders v4 and v6 addresses correctly as text.
IP_KEY = sa.String(32)


# Exact comparison on MySQL/MariaDB, as on SQLite and PostgreSQL (the default *_ci collation
# would let tenant ACME see acme's rows). The migration picks MariaDB's nopad variant.
TABLE_OPTS = {'mysql_charset': 'utf8mb4', 'mysql_collate': 'utf8mb4_bin'}


class Base(orm.DeclarativeBase):
    pass


# Microseconds everywhere (MariaDB's DATETIME drops them by default): rows are ordered by
# creation, e.g. a network's subnets when choosing where a port's address comes from.
TIMESTAMP = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql', 'mariadb')


def timestamps():
    return (sa.Column('created_at', TIMESTAMP, nullable=False),
            sa.Column('updated_at', TIMESTAMP, nullable=False))
