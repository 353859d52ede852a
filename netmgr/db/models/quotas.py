"""Quota tables: per-project limit overrides and the rows that serialize quota checks."""

import sqlalchemy as sa

from netmgr.db.models.base import Base, TABLE_OPTS

PROJECT = sa.String(255)
RESOURCE = sa.String(255)


class Quota(Base):
    """A project's limit for one resource, overriding the [QUOTAS] default; -1 = unlimited."""
    __tablename__ = 'quotas'
    id = sa.Column(sa.String(36), primary_key=True)
    project_id = sa.Column(PROJECT, nullable=False)
    resource = sa.Column(RESOURCE, nullable=False)
    limit = sa.Column(sa.Integer, nullable=False)
    __table_args__ = (sa.UniqueConstraint('project_id', 'resource',
                                          name='uniq_quotas0project_id0resource'),
                      TABLE_OPTS)


class QuotaLock(Base):
    """One row per (project, resource) whose creates were quota-checked.

    A check locks the row (SELECT ... FOR UPDATE) before counting, so checks of one project
    and resource queue behind each other until the creating transaction commits. Each check
    bumps ``generation``: a checker whose snapshot misses the last committed bump knows its
    count would be stale (MariaDB's REPEATABLE READ keeps the snapshot of the transaction's
    first read) and has the call retried.
    """
    __tablename__ = 'quota_locks'
    __table_args__ = TABLE_OPTS
    project_id = sa.Column(PROJECT, primary_key=True)
    resource = sa.Column(RESOURCE, primary_key=True)
    generation = sa.Column(sa.BigInteger, nullable=False)
