"""provider attributes and segment allocation of networks.

Revision ID: c0a1f00d0006
Revises: c0a1f00d0005
Create Date: 2026-11-21 00:00:00
"""

from alembic import op
import sqlalchemy as sa

revision = 'c0a1f00d0006'
down_revision = 'c0a1f00d0005'
branch_labels = None
depends_on = None

ID = sa.String(36)


def _create_table(name, *columns):
    mariadb = getattr(op.get_context().dialect, 'is_mariadb', False)
    op.create_table(name, *columns, mysql_charset='utf8mb4',
                    mysql_collate='utf8mb4_nopad_bin' if mariadb else 'utf8mb4_bin')


def upgrade():
    _create_table(
        'networksegments',
        sa.Column('id', ID, primary_key=True),
        sa.Column('network_id', ID, sa.ForeignKey('networks.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('network_type', sa.String(32), nullable=False),
        sa.Column('physical_network', sa.String(64), nullable=False),
        sa.Column('segmentation_id', sa.Integer(), nullable=True),
        sa.UniqueConstraint('network_type', 'physical_network', 'segmentation_id',
                            name='uniq_networksegments0type0physnet0segid'))
    op.create_index('ix_networksegments_network_id', 'networksegments', ['network_id'])


def downgrade():
    op.drop_table('networksegments')
