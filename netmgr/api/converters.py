"""Converters named by ``convert_to`` / ``convert_list_to`` in the attribute maps."""

import netaddr

from netmgr.api import validators
from netmgr import exceptions


def convert_to_boolean(data):
    if isinstance(data, bool):
        return data
    if isinstance(data, str):
        lowered = data.strip().lower()
        if lowered in ('true', '1', 'yes', 'on'):
            return True
        if lowered in ('false', '0', 'no', 'off'):
            return False
    if isinstance(data, int) and data in (0, 1):
        return bool(data)
    raise exceptions.InvalidInput(error_message="'%s' cannot be converted to boolean" % data)


def convert_to_boolean_if_not_none(data):
    return None if data is None else convert_to_boolean(data)


def convert_external_gateway_info(data):
    """enable_snat may arrive as a string ("False") from CLI-built bodies."""
    if isinstance(data, dict) and 'enable_snat' in data:
        return dict(data, enable_snat=convert_to_boolean(data['enable_snat']))
    return data


def convert_to_int(data):
    if isinstance(data, bool):
        raise exceptions.InvalidInput(error_message="'%s' is not an integer" % data)
    try:
        return int(data)
    except (ValueError, TypeError):
        raise exceptions.InvalidInput(error_message="'%s' is not an integer" % data)


def convert_none_to_empty_list(data):
    return [] if data is None else data


def convert_kvp_list_to_dict(kvp_list):
    """['ip_address=10.0.0.3', 'subnet_id=X'] -> {'ip_address': ['10.0.0.3'], ...}
    (the form of ``fixed_ips=ip_address=...`` list filters)."""
    result = {}
    for item in kvp_list:
        if isinstance(item, dict):
            for k, v in item.items():
                result.setdefault(k, []).append(v)
            continue
        name, sep, value = str(item).partition('=')
        if not sep or not name:
            raise exceptions.InvalidInput(
                error_message="'%s' is not of the form <key>=[value]" % item)
        result.setdefault(name, []).append(value)
    return result


# ---- security groups, port security, allowed address pairs ---------------------------------
# These also validate: a bad rule protocol or port raises the Neutron error its API answers
# with; InvalidInput becomes a 400 naming the attribute.

# IP protocol names a rule accepts, with their numbers (IANA, as iptables spells them).
PROTOCOL_NUMBERS = {
    'ah': 51, 'dccp': 33, 'egp': 8, 'esp': 50, 'gre': 47, 'hopopt': 0, 'icmp': 1,
    'igmp': 2, 'ip': 0, 'ipip': 4, 'ipv6-encap': 41, 'ipv6-frag': 44, 'ipv6-icmp': 58,
    'icmpv6': 58, 'ipv6-nonxt': 59, 'ipv6-opts': 60, 'ipv6-route': 43, 'ospf': 89,
    'pgm': 113, 'rsvp': 46, 'sctp': 132, 'tcp': 6, 'udp': 17, 'udplite': 136, 'vrrp': 112,
}
ETHERTYPES = ('IPv4', 'IPv6')
PORT_MAX = 65535


def _protocol_error(value):
    return exceptions.SecurityGroupRuleInvalidProtocol(
        protocol=value, values=[None] + sorted(PROTOCOL_NUMBERS))


def convert_protocol(value):
    """A protocol name (kept as given, lower-cased) or number 0..255 (kept as its string);
    None means any protocol."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise _protocol_error(value)
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
        number = int(value)
        if 0 <= number <= 255:
            return str(number)
        raise _protocol_error(value)
    if isinstance(value, str) and value.lower() in PROTOCOL_NUMBERS:
        return value.lower()
    if isinstance(value, str) and value.lower() == 'any':
        return None
    raise _protocol_error(value)


def protocol_number(protocol):
    """The number of a converted protocol, None for any."""
    if protocol is None:
        return None
    return int(protocol) if protocol.isdigit() else PROTOCOL_NUMBERS[protocol]


def convert_port_value(value):
    if value is None:
        return None
    if isinstance(value, bool):
        raise exceptions.SecurityGroupInvalidPortValue(port=value)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise exceptions.SecurityGroupInvalidPortValue(port=value)
    if isinstance(value, float) and number != value:
        raise exceptions.SecurityGroupInvalidPortValue(port=value)
    if not 0 <= number <= PORT_MAX:
        raise exceptions.SecurityGroupInvalidPortValue(port=value)
    return number


def convert_ethertype(value):
    """'ipv4' -> 'IPv4' (clients vary the case); anything else is left to the validator."""
    if isinstance(value, str):
        for ethertype in ETHERTYPES:
            if value.lower() == ethertype.lower():
                return ethertype
    return value


def convert_ip_prefix(value):
    """A CIDR (or a bare address) -> its network in canonical form: 10.0.0.5/24 ->
    10.0.0.0/24, as Neutron stores remote_ip_prefix."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise exceptions.InvalidCIDR(input=value)
    address, slash, prefix = value.partition('/')
    if validators.validate_ip_address(address) or (slash and not prefix.isdigit()):
        raise exceptions.InvalidCIDR(input=value)
    try:
        return str(netaddr.IPNetwork(value).cidr)
    except (netaddr.AddrFormatError, ValueError, TypeError):
        raise exceptions.InvalidCIDR(input=value)


def convert_uuid_list(value):
    """A port's security_groups: a list of UUIDs (duplicates dropped); None means []."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise exceptions.InvalidInput(error_message="'%s' is not a list" % (value,))
    result = []
    for item in value:
        msg = validators.validate_uuid(item)
        if msg:
            raise exceptions.InvalidInput(error_message=msg)
        if item not in result:
            result.append(item)
    return result


def convert_address_pairs(value):
    """allowed_address_pairs: a list of {ip_address (address or CIDR), mac_address
    (optional)}; None means []. The per-port maximum is the service's (configured) check."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise exceptions.InvalidInput(
            error_message="Allowed address pairs must be a list, not '%s'" % (value,))
    seen = set()
    for pair in value:
        if not isinstance(pair, dict):
            raise exceptions.InvalidInput(
                error_message="Allowed address pair '%s' is not a dictionary" % (pair,))
        unknown = sorted(set(pair) - {'ip_address', 'mac_address'})
        if unknown:
            raise exceptions.InvalidInput(
                error_message="Unrecognized attribute(s) '%s'" % ', '.join(unknown))
        if 'ip_address' not in pair:
            raise exceptions.AllowedAddressPairsMissingIP()
        mac = pair.get('mac_address')
        if 'mac_address' in pair:
            msg = validators.validate_mac_address(mac)
            if msg:
                raise exceptions.InvalidInput(error_message=msg)
        address = pair['ip_address']
        check = validators.validate_subnet if isinstance(address, str) and '/' in address \
            else validators.validate_ip_address
        msg = check(address)
        if msg:
            raise exceptions.InvalidInput(error_message=msg)
        key = (str(netaddr.EUI(mac)) if mac else None, str(netaddr.IPNetwork(address)))
        if key in seen:
            raise exceptions.DuplicateAddressPairInRequest(mac_address=mac,
                                                           ip_address=address)
        seen.add(key)
    return [dict(pair) for pair in value]
