"""agents and port bindings.

Revision ID: c0a1f00d0008
Revises: c0a1f00d0007
Create Date: 2026-11-21 00:00:00
"""

revision = 'c0a1f00d0008'
down_revision = 'c0a1f00d0007'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
