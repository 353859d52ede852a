"""Quotas: per-project limit overrides and the per-project lock rows of quota checks.

Revision ID: c0a1f00d0002
Revises: c0a1f00d0001
Create Date: 2026-11-22 00:00:00

Written by hand as a fixed snapshot, like the first revision: it does not import the models.
"""

from alembic import op
import sqlalchemy as sa

revision = 'c0a1f00d0002'
down_revision = 'c0a1f00d0001'
branch_labels = None
depends_on = None

PROJECT = sa.String(255)
RESOURCE = sa.String(255)


def _create_table(name, *columns):
    # Exact comparison on MySQL/MariaDB, as on SQLite and PostgreSQL: the default *_ci
    # collation would let project ACME share acme's limits, and MariaDB's plain _bin
    # collation still ignores trailing spaces.
    mariadb = getattr(op.get_context().dialect, 'is_mariadb', False)
    op.create_table(name, *columns, mysql_charset='utf8mb4',
                    mysql_collate='utf8mb4_nopad_bin' if mariadb else 'utf8mb4_bin')


def upgrade():
    _create_table(
        'quotas',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('project_id', PROJECT, nullable=False),
        sa.Column('resource', RESOURCE, nullable=False),
        sa.Column('limit', sa.Integer(), nullable=False),
        sa.UniqueConstraint('project_id', 'resource', name='uniq_quotas0project_id0resource'))

    _create_table(
        'quota_locks',
        sa.Column('project_id', PROJECT, primary_key=True),
        sa.Column('resource', RESOURCE, primary_key=True),
        sa.Column('generation', sa.BigInteger(), nullable=False))


def downgrade():
    for table in ('quota_locks', 'quotas'):
        op.drop_table(table)
