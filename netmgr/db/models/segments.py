"""Network segments: how each network is carried on the wire (type, physical network, id)."""

import sqlalchemy as sa

from netmgr.db.models.base import Base, ID, TABLE_OPTS

NETWORK_TYPE_LEN = 32
PHYSNET_LEN = 64


class NetworkSegment(Base):
    """One row per network. The unique constraint is what stops two networks from sharing a
    VLAN on a physical network, a VNI, or a flat physical network, whoever allocates it.

    physical_network is '' when the type has none, so the constraint also covers VXLAN on
    every database; segmentation_id is 0 for flat and NULL only for local networks, which may
    be any number (NULLs never collide in a unique constraint). It is a BIGINT: GRE keys go up
    to 2**32 - 1, beyond a signed INTEGER."""
    __tablename__ = 'networksegments'
    __table_args__ = (sa.UniqueConstraint('network_type', 'physical_network', 'segmentation_id',
                                          name='uniq_networksegments0type0physnet0segid'),
                      TABLE_OPTS)
    id = sa.Column(ID, primary_key=True)
    network_id = sa.Column(ID, sa.ForeignKey('networks.id', ondelete='CASCADE'),
                           nullable=False, index=True)
    network_type = sa.Column(sa.String(NETWORK_TYPE_LEN), nullable=False)
    physical_network = sa.Column(sa.String(PHYSNET_LEN), nullable=False, default='')
    segmentation_id = sa.Column(sa.BigInteger, nullable=True)
