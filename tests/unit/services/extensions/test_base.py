"""ExtensionSet: an extension comes after the extensions whose attributes it reads."""

import pytest

from netmgr.services.extensions import address_pairs
from netmgr.services.extensions import base
from netmgr.services.extensions import mtu
from netmgr.services.extensions import port_security
from netmgr.services.extensions import provider_net
from netmgr.services.secgroups import port_groups


@pytest.mark.parametrize('extensions', [
    (provider_net.ProviderNetworks(None), mtu.NetworkMtu(1500)),
    (port_security.PortPortSecurity(), port_groups.PortSecurityGroups(),
     address_pairs.AllowedAddressPairs(10)),
    (port_security.PortPortSecurity(), address_pairs.AllowedAddressPairs(10),
     port_groups.PortSecurityGroups()),
], ids=['mtu after provider', 'groups then pairs', 'pairs then groups'])
def test_extensions_after_those_they_read_are_accepted(extensions):
    assert base.ExtensionSet(extensions).extensions == extensions


@pytest.mark.parametrize('extensions, message', [
    ((mtu.NetworkMtu(1500), provider_net.ProviderNetworks(None)),
     'NetworkMtu reads provider:network_type'),
    ((mtu.NetworkMtu(1500),), 'NetworkMtu reads provider:network_type'),
    ((port_groups.PortSecurityGroups(), port_security.PortPortSecurity()),
     'PortSecurityGroups reads port_security_enabled'),
    ((address_pairs.AllowedAddressPairs(10),), 'AllowedAddressPairs reads port_security_enabled'),
], ids=['mtu before provider', 'mtu without provider', 'groups before port security',
        'pairs without port security'])
def test_an_extension_before_one_it_reads_is_refused(extensions, message):
    with pytest.raises(ValueError, match=message):
        base.ExtensionSet(extensions)
