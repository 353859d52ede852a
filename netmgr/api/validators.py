"""Validators named ``type:<name>`` in the attribute maps.

Each takes (data, arg) and returns None when valid or a message saying what is wrong.
"""

import re

import netaddr

from netmgr import constants

UUID_RE = re.compile(r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}'
                     r'-[0-9a-fA-F]{12}$')


def validate_string(data, max_len=None):
    if not isinstance(data, str):
        return "'%s' is not a valid string" % (data,)
    if max_len is not None and len(data) > max_len:
        return "'%s' exceeds maximum length of %s" % (data, max_len)
    return None


def validate_string_or_none(data, max_len=None):
    return None if data is None else validate_string(data, max_len)


def validate_boolean(data, _arg=None):
    if not isinstance(data, bool):
        return "'%s' is not a valid boolean value" % (data,)
    return None


def validate_values(data, valid_values):
    if data not in valid_values:
        return "'%s' is not in %s" % (data, list(valid_values))
    return None


def validate_uuid(data, _arg=None):
    if not isinstance(data, str) or not UUID_RE.match(data):
        return "'%s' is not a valid UUID" % (data,)
    return None


def validate_uuid_or_none(data, _arg=None):
    return None if data is None else validate_uuid(data)


def validate_non_negative(data, _arg=None):
    if isinstance(data, bool) or not isinstance(data, int) or data < 0:
        return "'%s' should be non-negative" % (data,)
    return None


def validate_mac_address(data, _arg=None):
    if not isinstance(data, str):
        return "'%s' is not a valid MAC address" % (data,)
    try:
        mac = netaddr.EUI(data)
    except (netaddr.AddrFormatError, TypeError, ValueError):
        return "'%s' is not a valid MAC address" % data
    if mac.version != 48 or mac.words[0] & 1 or int(mac) == 0:
        return "'%s' is not a valid MAC address" % data
    return None


def _is_strict_ip(data):
    if not isinstance(data, str):
        return False
    try:
        ip = netaddr.IPAddress(data, flags=netaddr.INET_PTON)
    except (netaddr.AddrFormatError, ValueError):
        return False
    # Reject shorthand such as '10.1' and v4-compatible forms netaddr would widen.
    return ip.version == 6 or str(ip) == data


def validate_ip_address(data, _arg=None):
    if not _is_strict_ip(data):
        return "'%s' is not a valid IP address" % (data,)
    return None


def validate_ip_address_or_none(data, _arg=None):
    return None if data is None else validate_ip_address(data)


def validate_subnet(data, _arg=None):
    """A CIDR in canonical network form (no host bits, prefix given)."""
    msg = "'%s' is not a valid IP subnet" % (data,)
    if not isinstance(data, str):
        return msg
    address, slash, prefix = data.partition('/')
    if validate_ip_address(address) or (slash and not prefix.isdigit()):
        return msg
    try:
        net = netaddr.IPNetwork(data)
    except (netaddr.AddrFormatError, ValueError):
        return msg
    # As Neutron: a bare address or a CIDR with host bits set (or a zero-padded prefix) is
    # refused with the canonical form it probably meant.
    if not slash or net.ip != net.network or prefix != str(net.prefixlen):
        return "'%s' isn't a recognized IP subnet cidr, '%s' is recommended" % (data, net.cidr)
    return None


def _validate_list_of_dicts(data, name):
    if not isinstance(data, list):
        return "Invalid data format for %s: '%s'" % (name, data)
    for item in data:
        if not isinstance(item, dict):
            return "Invalid data format for %s: '%s'" % (name, item)
    return None


def validate_ip_pools(data, _arg=None):
    msg = _validate_list_of_dicts(data, 'IP pool')
    if msg:
        return msg
    for pool in data:
        if set(pool) != {'start', 'end'}:
            return "Unrecognized attribute(s) in IP pool '%s': expected start and end" % pool
        for key in ('start', 'end'):
            msg = validate_ip_address(pool[key])
            if msg:
                return msg
    return None


def validate_fixed_ips(data, _arg=None):
    msg = _validate_list_of_dicts(data, 'fixed IP')
    if msg:
        return msg
    seen = set()
    for fixed_ip in data:
        unknown = set(fixed_ip) - {'ip_address', 'subnet_id'}
        if unknown:
            return "Unrecognized attribute(s) in fixed IP: '%s'" % ', '.join(sorted(unknown))
        if not fixed_ip:
            return 'IP allocation requires subnet_id or ip_address'
        if 'ip_address' in fixed_ip:
            msg = validate_ip_address(fixed_ip['ip_address'])
            if msg:
                return msg
            # Compare addresses, not spellings: '2001:db8::1' is '2001:DB8:0::1'.
            address = netaddr.IPAddress(fixed_ip['ip_address'])
            if address in seen:
                return "Duplicate IP address '%s'" % fixed_ip['ip_address']
            seen.add(address)
        if 'subnet_id' in fixed_ip:
            msg = validate_uuid(fixed_ip['subnet_id'])
            if msg:
                return msg
    return None


def validate_nameservers(data, _arg=None):
    if not isinstance(data, list):
        return "Invalid data format for nameserver: '%s'" % (data,)
    seen = set()
    for server in data:
        msg = validate_ip_address(server)
        if msg:
            return "'%s' is not a valid nameserver. %s" % (server, msg)
        if server in seen:
            return "Duplicate nameserver '%s'" % server
        seen.add(server)
    return None


def validate_hostroutes(data, _arg=None):
    msg = _validate_list_of_dicts(data, 'hostroute')
    if msg:
        return msg
    seen = []
    for route in data:
        if set(route) != {'destination', 'nexthop'}:
            return "Invalid data format for hostroute: '%s'" % route
        msg = validate_subnet(route['destination']) or validate_ip_address(route['nexthop'])
        if msg:
            return msg
        if route in seen:
            return "Duplicate hostroute '%s'" % route
        seen.append(route)
    return None


def validate_ipv6_mode(data, _arg=None):
    return None if data is None else validate_values(data, constants.IPV6_MODES)


def validate_external_gw_info(data, _arg=None):
    """A router's external_gateway_info: None, {} (no gateway) or a dict naming network_id,
    with enable_snat and external_fixed_ips optional."""
    if data is None:
        return None
    if not isinstance(data, dict):
        return "'%s' is not a dictionary" % (data,)
    unknown = set(data) - {'network_id', 'enable_snat', 'external_fixed_ips'}
    if unknown:
        return 'Unrecognized attribute(s) %s' % ', '.join(sorted(unknown))
    if not data:
        return None
    if 'network_id' not in data:
        return 'network_id is required'
    checks = [validate_uuid(data['network_id'])]
    if 'enable_snat' in data:
        checks.append(validate_boolean(data['enable_snat']))
    if 'external_fixed_ips' in data:
        checks.append(validate_fixed_ips(data['external_fixed_ips']))
    return next((msg for msg in checks if msg), None)


def validate_dict_or_none(data, _arg=None):
    if data is not None and not isinstance(data, dict):
        return "'%s' is not a dictionary" % (data,)
    return None


VALIDATORS = {
    'type:string': validate_string,
    'type:string_or_none': validate_string_or_none,
    'type:boolean': validate_boolean,
    'type:values': validate_values,
    'type:uuid': validate_uuid,
    'type:uuid_or_none': validate_uuid_or_none,
    'type:non_negative': validate_non_negative,
    'type:mac_address': validate_mac_address,
    'type:ip_address': validate_ip_address,
    'type:ip_address_or_none': validate_ip_address_or_none,
    'type:subnet': validate_subnet,
    'type:ip_pools': validate_ip_pools,
    'type:fixed_ips': validate_fixed_ips,
    'type:nameservers': validate_nameservers,
    'type:hostroutes': validate_hostroutes,
    'type:ipv6_mode': validate_ipv6_mode,
    'type:external_gw_info': validate_external_gw_info,
    'type:dict_or_none': validate_dict_or_none,
}
