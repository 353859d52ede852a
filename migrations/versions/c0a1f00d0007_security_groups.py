"""security groups, rules, port security and allowed address pairs.

Revision ID: c0a1f00d0007
Revises: c0a1f00d0006
Create Date: 2026-11-21 00:00:00
"""

revision = 'c0a1f00d0007'
down_revision = 'c0a1f00d0006'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
