"""What an L2 agent needs to filter its ports: the rules of their security groups and, for
rules that name a remote group, the addresses of that group's members (their fixed IPs and
allowed address pairs), per ethertype."""

import ipaddress

import sqlalchemy as sa

from netmgr.db.models import core
from netmgr.db.models import secgroups
from netmgr.services.secgroups import rules as sg_rules

ALLOCS = core.IPAllocation.__table__
BINDINGS = secgroups.SecurityGroupPortBinding.__table__
PAIRS = secgroups.AllowedAddressPair.__table__


def _ethertype(address):
    return 'IPv%d' % ipaddress.ip_network(address, strict=False).version


class SecurityGroupInfo:
    def __init__(self, db):
        self.db = db

    def info(self, group_ids):
        """{'security_groups': {group id: [rules]}, 'sg_member_ips': {remote group id:
        {'IPv4': [...], 'IPv6': [...]}}} for ``group_ids``."""
        group_ids = sorted(set(group_ids))
        with self.db.reader() as session:
            rules = sg_rules.rules_of_groups(session, group_ids) if group_ids else {}
            remote = sorted({r['remote_group_id'] for found in rules.values() for r in found
                             if r['remote_group_id']})
            members = {g: {'IPv4': set(), 'IPv6': set()} for g in remote}
            if remote:
                for table, column in ((ALLOCS, ALLOCS.c.ip_address),
                                      (PAIRS, PAIRS.c.ip_address)):
                    for group_id, address in session.execute(
                            sa.select(BINDINGS.c.security_group_id, column)
                            .join(table, table.c.port_id == BINDINGS.c.port_id)
                            .where(BINDINGS.c.security_group_id.in_(remote))):
                        members[group_id][_ethertype(address)].add(address)
        return {'security_groups': {g: rules.get(g, []) for g in group_ids},
                'sg_member_ips': {g: {k: sorted(v) for k, v in m.items()}
                                  for g, m in members.items()}}
