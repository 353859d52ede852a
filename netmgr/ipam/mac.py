"""MAC address generation: random under ``base_mac`` or inside configured MAC ranges."""

import random

import netaddr

from netmgr import exceptions


def _parse_range(text):
    first, sep, last = text.partition('-')
    if not sep:
        raise exceptions.InvalidInput(error_message='MAC range %r is not "first-last"' % text)
    first, last = int(netaddr.EUI(first.strip())), int(netaddr.EUI(last.strip()))
    if first > last:
        raise exceptions.InvalidInput(error_message='MAC range %r is empty' % text)
    return first, last


class MacGenerator:
    """Yields candidate MACs; uniqueness per network is checked by the caller's database."""

    def __init__(self, base_mac, ranges=(), rng=None):
        base = [int(part, 16) for part in base_mac.split(':')]
        if len(base) != 6:
            raise exceptions.InvalidInput(error_message='base_mac %r is not a MAC' % base_mac)
        self._base = base
        self._ranges = [_parse_range(r) for r in ranges]
        self._rng = rng or random.SystemRandom()

    def candidate(self):
        if self._ranges:
            first, last = self._rng.choice(self._ranges)
            value = self._rng.randint(first, last)
            return str(netaddr.EUI(value, dialect=netaddr.mac_unix_expanded))
        # As Neutron: the OUI is kept, the fourth octet too unless it is 00, the rest random.
        octets = self._base[:3] + [self._base[3] or self._rng.randint(0, 0xff),
                                   self._rng.randint(0, 0xff), self._rng.randint(0, 0xff)]
        return ':'.join('%02x' % o for o in octets)
