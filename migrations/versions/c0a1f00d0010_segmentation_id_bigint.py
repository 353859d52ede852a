"""segmentation_id as BIGINT: GRE keys reach 2**32 - 1, beyond a signed INTEGER.

Revision ID: c0a1f00d0010
Revises: c0a1f00d0009
Create Date: 2026-12-08 00:00:00
"""

from alembic import op
import sqlalchemy as sa

revision = 'c0a1f00d0010'
down_revision = 'c0a1f00d0009'
branch_labels = None
depends_on = None

ID = sa.String(36)


def _segments(segmentation_type):
    """The table as it stands, for SQLite's copy-and-move (also without a live database:
    the offline SQL of an upgrade)."""
    return sa.Table(
        'networksegments', sa.MetaData(),
        sa.Column('id', ID, primary_key=True),
        sa.Column('network_id', ID, sa.ForeignKey('networks.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('network_type', sa.String(32), nullable=False),
        sa.Column('physical_network', sa.String(64), nullable=False),
        sa.Column('segmentation_id', segmentation_type, nullable=True),
        sa.UniqueConstraint('network_type', 'physical_network', 'segmentation_id',
                            name='uniq_networksegments0type0physnet0segid'),
        sa.Index('ix_networksegments_network_id', 'network_id'))


def _alter(old, new):
    with op.batch_alter_table('networksegments', copy_from=_segments(old)) as batch:
        batch.alter_column('segmentation_id', existing_type=old, type_=new,
                           existing_nullable=True)


def upgrade():
    _alter(sa.Integer(), sa.BigInteger())


def downgrade():
    _alter(sa.BigInteger(), sa.Integer())
