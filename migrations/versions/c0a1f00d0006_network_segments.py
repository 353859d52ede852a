"""provider attributes and segment allocation of networks.

Revision ID: c0a1f00d0006
Revises: c0a1f00d0005
Create Date: 2026-11-21 00:00:00
"""

revision = 'c0a1f00d0006'
down_revision = 'c0a1f00d0005'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
