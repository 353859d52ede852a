"""nova-network's network managers (``network_manager`` in nova.conf) on the resource model:
which networks an instance gets when its boot request names none, made on first need.

    manager = netmgr.managers.load(conf, client)      # the one conf.network_manager names
    networks = manager.networks_for_project(project_id)
"""

from netmgr.managers.base import NoMoreNetworks  # noqa: F401
from netmgr.managers.base import load  # noqa: F401
from netmgr.managers.flat import FlatDHCPManager  # noqa: F401
from netmgr.managers.flat import FlatManager  # noqa: F401
from netmgr.managers.vlan import VlanManager  # noqa: F401
