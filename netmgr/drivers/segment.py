"""A network segment and the SQL shared by the type modules over ``networksegments``."""

import dataclasses
import uuid

import sqlalchemy as sa

from netmgr import constants as const
from netmgr.db.models import segments as segment_models
from netmgr import exceptions

SEGMENTS = segment_models.NetworkSegment.__table__

FLAT = const.TYPE_FLAT
VLAN = const.TYPE_VLAN
VXLAN = const.TYPE_VXLAN
LOCAL = const.TYPE_LOCAL
GRE = const.TYPE_GRE
GENEVE = const.TYPE_GENEVE
# Overlays between hosts' tunnel endpoints: no physical network, an id per network.
TUNNEL_TYPES = (VXLAN, GRE, GENEVE)
# Types whose segmentation_id is an id on the wire (flat stores 0, local NULL).
WITH_ID = (VLAN,) + TUNNEL_TYPES


@dataclasses.dataclass(frozen=True)
class Segment:
    network_type: str
    physical_network: str = None
    segmentation_id: int = None

    def as_dict(self):
        return dataclasses.asdict(self)


def _stored_physnet(segment):
    return segment.physical_network or ''


def insert(session, network_id, segment, segmentation_id):
    """Store the network's segment; ``segmentation_id`` is the stored value (0 for flat, None
    for local). A concurrent taker of the same segment makes this raise DBDuplicateEntry,
    which retry_on_race turns into a retry of the whole call."""
    session.execute(SEGMENTS.insert().values(
        id=str(uuid.uuid4()), network_id=network_id, network_type=segment.network_type,
        physical_network=_stored_physnet(segment), segmentation_id=segmentation_id))


def is_taken(session, network_type, physical_network, segmentation_id):
    return session.execute(sa.select(SEGMENTS.c.id).where(
        SEGMENTS.c.network_type == network_type,
        SEGMENTS.c.physical_network == (physical_network or ''),
        SEGMENTS.c.segmentation_id == segmentation_id).limit(1)).first() is not None


def lowest_free(session, network_type, physical_network, first, last):
    """The lowest id in first..last no segment of this type and physnet uses, or None.

    One query however large the range: either ``first`` itself is free, or the answer is
    one above a used id whose successor is free (the unique index makes both lookups cheap)."""
    physnet = physical_network or ''
    used = SEGMENTS.alias('used')
    after = SEGMENTS.alias('after')

    def same_pool(table):
        return sa.and_(table.c.network_type == network_type,
                       table.c.physical_network == physnet)

    first_taken = sa.exists().where(same_pool(SEGMENTS), SEGMENTS.c.segmentation_id == first)
    next_to_used = sa.select(sa.func.min(used.c.segmentation_id + 1)).where(
        same_pool(used), used.c.segmentation_id >= first, used.c.segmentation_id < last,
        ~sa.exists().where(same_pool(after),
                           after.c.segmentation_id == used.c.segmentation_id + 1)
    ).scalar_subquery()
    stmt = sa.select(sa.case((~first_taken, sa.literal(first)), else_=next_to_used))
    return session.execute(stmt).scalar()


def allocate_in(session, network_id, network_type, physical_network, ranges):
    """Store the network's segment with the lowest free id of the first of ``ranges``
    [(first, last)] that has one; the Segment, or None when all are used."""
    for first, last in ranges:
        seg_id = lowest_free(session, network_type, physical_network, first, last)
        if seg_id is not None:
            segment = Segment(network_type, physical_network, seg_id)
            insert(session, network_id, segment, seg_id)
            return segment
    return None


def reserve_with_id(session, network_id, segment, allocate, in_use):
    """Store a validated segment of a type with ids (vlan, tunnels): without an id, the one
    ``allocate()`` stores (503 when it finds none); with one, that id unless taken (then the
    409 ``in_use()`` makes)."""
    if segment.segmentation_id is None:
        allocated = allocate()
        if allocated is None:
            raise exceptions.NoNetworkAvailable()
        return allocated
    if is_taken(session, segment.network_type, segment.physical_network,
                segment.segmentation_id):
        raise in_use()
    insert(session, network_id, segment, segment.segmentation_id)
    return segment


def _from_row(row):
    seg_id = row.segmentation_id if row.network_type in WITH_ID else None
    return Segment(row.network_type, row.physical_network or None, seg_id)


def for_networks(session, network_ids):
    """{network_id: Segment} for the networks that have one."""
    if not network_ids:
        return {}
    return {row.network_id: _from_row(row) for row in session.execute(
        sa.select(SEGMENTS).where(SEGMENTS.c.network_id.in_(list(network_ids))))}


def network_ids_where(condition):
    """A subquery of the ids of networks whose segment matches ``condition``."""
    return sa.select(SEGMENTS.c.network_id).where(condition)
