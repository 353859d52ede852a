"""The registry of REST resources: collection name -> definition."""

import dataclasses

from netmgr.api.definitions import network
from netmgr.api.definitions import port
from netmgr.api.definitions import subnet


@dataclasses.dataclass(frozen=True)
class ResourceInfo:
    collection: str
    singular: str
    attributes: dict
    actions: dict = dataclasses.field(default_factory=dict)


def _info(module):
    return ResourceInfo(collection=module.COLLECTION, singular=module.RESOURCE,
                        attributes=module.RESOURCE_ATTRIBUTE_MAP[module.COLLECTION],
                        actions=getattr(module, 'ACTION_MAP', {}))


RESOURCES = {info.collection: info for info in map(_info, (network, subnet, port))}
