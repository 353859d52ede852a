"""Builds the configured L2 driver; a bad [l2] setting is a ValueError with a clear message."""

from netmgr.conf import l2 as l2_conf
from netmgr.drivers import linuxbridge
from netmgr.drivers import openvswitch
from netmgr.drivers import type_manager

DRIVERS = {cls.name: cls for cls in (openvswitch.OpenvswitchDriver,
                                     linuxbridge.LinuxbridgeDriver)}


def build(conf):
    name = conf[l2_conf.GROUP].mechanism_driver
    cls = DRIVERS[name]
    return cls(type_manager.TypeManager.from_conf(conf, cls.supported_network_types))
