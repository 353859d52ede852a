"""security_group_rules: validation, duplicates, create (bulk: one transaction), delete."""

import netaddr
import sqlalchemy as sa

from netmgr.api import converters
from netmgr import constants as const
from netmgr.db import api as db_api
from netmgr.db.models import secgroups
from netmgr.db.queries import listing
from netmgr import exceptions
from netmgr.services import interface
from netmgr.services import notifier as notifier_mod
from netmgr.services import rows

GROUPS = secgroups.SecurityGroup.__table__
RULES = secgroups.SecurityGroupRule.__table__
COLUMNS = ('id', 'tenant_id', 'security_group_id', 'remote_group_id', 'direction',
           'ethertype', 'protocol', 'port_range_min', 'port_range_max', 'remote_ip_prefix',
           'description', 'created_at', 'updated_at')
# What makes two rules of a group the same rule.
KEY_FIELDS = ('security_group_id', 'direction', 'ethertype', 'protocol', 'port_range_min',
              'port_range_max', 'remote_ip_prefix', 'remote_group_id')
# Protocols with ports (TCP, UDP, DCCP, SCTP, UDP-Lite) and the ICMPs (type/code instead).
PORT_PROTOCOLS = (6, 17, 33, 132, 136)
ICMP_PROTOCOLS = (1, 58)
IPV6_ONLY_PROTOCOLS = ('icmpv6', 'ipv6-icmp', '58')


def visible_groups(context):
    if context.is_admin:
        return sa.true()
    return GROUPS.c.tenant_id == context.tenant_id


def visible_rules(context):
    """A tenant sees its own rules and every rule of its own groups."""
    if context.is_admin:
        return sa.true()
    own_groups = sa.select(GROUPS.c.id).where(GROUPS.c.tenant_id == context.tenant_id)
    return sa.or_(RULES.c.tenant_id == context.tenant_id,
                  RULES.c.security_group_id.in_(own_groups))


def check_group_visible(session, context, group_id):
    """404 SecurityGroupNotFound unless the group exists and the context may see it."""
    found = session.execute(sa.select(GROUPS.c.id).where(
        GROUPS.c.id == group_id, visible_groups(context))).first()
    if found is None:
        raise exceptions.SecurityGroupNotFound(id=group_id)


def _check_port_range(rule):
    low, high = rule['port_range_min'], rule['port_range_max']
    if low is None and high is None:
        return
    if rule['protocol'] is None:
        raise exceptions.SecurityGroupProtocolRequiredWithPorts()
    number = converters.protocol_number(rule['protocol'])
    if number in PORT_PROTOCOLS:
        if low == 0 or high == 0:
            raise exceptions.SecurityGroupInvalidPortValue(port=0)
        if low is None or high is None or low > high:
            raise exceptions.SecurityGroupInvalidPortRange()
    elif number in ICMP_PROTOCOLS:
        for attr, field in (('port_range_min', 'type'), ('port_range_max', 'code')):
            if rule[attr] is not None and not 0 <= rule[attr] <= 255:
                raise exceptions.SecurityGroupInvalidIcmpValue(field=field, attr=attr,
                                                               value=rule[attr])
        if low is None:
            raise exceptions.SecurityGroupMissingIcmpType(value=high)
    else:
        raise exceptions.SecurityGroupInvalidProtoForPortRange(protocol=rule['protocol'])


def validate_rule(rule):
    """The checks that need no database (400s)."""
    prefix = rule['remote_ip_prefix']
    if prefix is not None and rule['remote_group_id'] is not None:
        raise exceptions.SecurityGroupRemoteGroupAndRemoteIpPrefix()
    if prefix is not None:
        version = netaddr.IPNetwork(prefix).version
        if (version == 4) != (rule['ethertype'] == const.IPV4):
            raise exceptions.SecurityGroupRuleParameterConflict(ethertype=rule['ethertype'],
                                                                cidr=prefix)
    if rule['protocol'] in IPV6_ONLY_PROTOCOLS and rule['ethertype'] == const.IPV4:
        raise exceptions.SecurityGroupEthertypeConflictWithProtocol(
            ethertype=rule['ethertype'], protocol=rule['protocol'])
    _check_port_range(rule)


def rule_key(rule):
    """Rules are the same when these are: protocols compared by number (tcp is 6)."""
    key = {name: rule[name] for name in KEY_FIELDS}
    key['protocol'] = converters.protocol_number(rule['protocol'])
    return tuple(sorted(key.items()))


def insert_rule(session, values):
    """Insert one rule (values: every column but id and timestamps); returns its dict."""
    now = rows.utcnow()
    values = dict(dict.fromkeys(COLUMNS), **dict({'description': ''}, **values))
    values.update(id=rows.new_id(), created_at=now, updated_at=now)
    session.execute(RULES.insert().values(**values))
    return rows.to_api(values, COLUMNS)


def rules_of_groups(session, group_ids):
    """{group id: [rule dicts]} for the given groups, in creation order."""
    result = {}
    for row in session.execute(sa.select(RULES).where(RULES.c.security_group_id.in_(group_ids))
                               .order_by(RULES.c.created_at, RULES.c.id)).mappings():
        result.setdefault(row['security_group_id'], []).append(rows.to_api(row, COLUMNS))
    return result


class SecurityGroupRuleService(interface.ResourceService):
    collection = 'security_group_rules'

    def __init__(self, db, retries=20, quotas=None, notifier=None):
        self.db = db
        self.quotas = quotas
        self.notifier = notifier or notifier_mod.NullNotifier()
        self._write = db_api.RetriedWriter(db, retries)
        if quotas is not None:
            quotas.register_count_source('security_group_rule', RULES.c.tenant_id)

    def not_found(self, resource_id):
        return exceptions.SecurityGroupRuleNotFound(id=resource_id)

    def get_row(self, session, context, rule_id):
        return rows.fetch_visible(session, RULES, rule_id, visible_rules(context),
                                  self.not_found(rule_id))

    def get(self, context, rule_id):
        with self.db.reader() as session:
            return rows.to_api(self.get_row(session, context, rule_id), COLUMNS)

    def policy_target(self, context, rule_id):
        return self.get(context, rule_id)

    def list(self, context, query):
        query = rows.normalize_query(query)
        with self.db.reader() as session:
            found, _stmt = listing.fetch_page(session, RULES, visible_rules(context), query)
            return [rows.to_api(r, COLUMNS) for r in found]

    def create_bulk(self, context, items):
        for item in items:
            validate_rule(item)
        keys = [rule_key(item) for item in items]
        if len(set(keys)) != len(keys):
            raise exceptions.DuplicateSecurityGroupRuleInPost()

        created = self.create_items(
            'security_group_rule', items,
            lambda session, item: self._create(session, context, item))
        self.notifier.security_groups_rule_updated(
            context, [r['security_group_id'] for r in created])
        return created

    def _create(self, session, context, item):
        check_group_visible(session, context, item['security_group_id'])
        if item['remote_group_id'] is not None:
            check_group_visible(session, context, item['remote_group_id'])
        wanted = rule_key(item)
        for existing in rules_of_groups(session, [item['security_group_id']]).get(
                item['security_group_id'], []):
            if rule_key(existing) == wanted:
                raise exceptions.SecurityGroupRuleExists(rule_id=existing['id'])
        return insert_rule(session, {k: item[k] for k in COLUMNS if k in item})

    def update(self, context, rule_id, data):
        def run(session):
            self.get_row(session, context, rule_id)
            session.execute(RULES.update().where(RULES.c.id == rule_id)
                            .values(updated_at=rows.utcnow(), **data))
        self._write(run)
        return self.get(context, rule_id)

    def delete(self, context, rule_id):
        def run(session):
            row = self.get_row(session, context, rule_id)
            session.execute(RULES.delete().where(RULES.c.id == rule_id))
            return row['security_group_id']
        group_id = self._write(run)
        self.notifier.security_groups_rule_updated(context, [group_id])
