"""The registry of REST resources: collection name -> definition, with the attributes that
enabled extensions add to existing collections merged in."""

import dataclasses

from netmgr.api.definitions import agent
from netmgr.api.definitions import allowed_address_pairs
from netmgr.api.definitions import external_net
from netmgr.api.definitions import floatingip
from netmgr.api.definitions import network
from netmgr.api.definitions import network_mtu
from netmgr.api.definitions import port
from netmgr.api.definitions import port_security
from netmgr.api.definitions import portbindings
from netmgr.api.definitions import provider_net
from netmgr.api.definitions import router
from netmgr.api.definitions import securitygroup
from netmgr.api.definitions import securitygroup_rule
from netmgr.api.definitions import subnet

CORE = (network, subnet, port)
# Definition modules of the extensions this server supports; each has EXTENSION and may have
# a RESOURCE_ATTRIBUTE_MAP (new collections) and EXTENDED_ATTRIBUTES (on existing ones). A
# module whose EXTENSION is None adds a further collection to an extension listed elsewhere
# (floatingips belong to 'router').
EXTENSIONS = (external_net, router, floatingip, agent, securitygroup, securitygroup_rule,
              port_security, allowed_address_pairs, provider_net, portbindings, network_mtu)


@dataclasses.dataclass(frozen=True)
class ResourceInfo:
    collection: str
    singular: str
    attributes: dict
    actions: dict = dataclasses.field(default_factory=dict)
    # The collection's name in URLs when it differs from the body key (security-groups).
    path: str = None

    @property
    def url_name(self):
        return self.path or self.collection


def _info(module):
    return ResourceInfo(collection=module.COLLECTION, singular=module.RESOURCE,
                        attributes=dict(module.RESOURCE_ATTRIBUTE_MAP[module.COLLECTION]),
                        actions=getattr(module, 'ACTION_MAP', {}),
                        path=getattr(module, 'PATH', None))


def build(core=CORE, extensions=EXTENSIONS):
    resources = {}
    for module in core + extensions:
        if hasattr(module, 'RESOURCE_ATTRIBUTE_MAP'):
            info = _info(module)
            resources[info.collection] = info
    for module in extensions:
        for collection, attributes in getattr(module, 'EXTENDED_ATTRIBUTES', {}).items():
            clash = set(attributes) & set(resources[collection].attributes)
            if clash:
                raise ValueError('%s redefines %s attributes %s'
                                 % (module.ALIAS, collection, sorted(clash)))
            resources[collection].attributes.update(attributes)
    return resources


RESOURCES = build()
