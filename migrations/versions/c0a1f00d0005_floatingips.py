"""floating IPs and their association with fixed IPs.

Revision ID: c0a1f00d0005
Revises: c0a1f00d0004
Create Date: 2026-11-21 00:00:00
"""

revision = 'c0a1f00d0005'
down_revision = 'c0a1f00d0004'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
