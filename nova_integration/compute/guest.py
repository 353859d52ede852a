"""Inside the instance: addresses as its guest OS would get them. A DHCP client when the
subnet has DHCP and the network is not injected; otherwise the address, gateway and routes
written from network_info itself (Nova's injected networking)."""

import os
import threading

import netaddr

from netmgr.agent.linux import ip_lib
from nova_integration.vif import base as vif_base

# udhcpc hands the lease to this script (busybox ships none on Debian). Classless static
# routes (option 121; udhcpc asks for them with -O staticroutes), when sent, replace the
# router option (RFC 3442).
UDHCPC_SCRIPT = """#!/bin/sh
case "$1" in
  deconfig) ip -4 addr flush dev "$interface"; ip link set "$interface" up ;;
  bound|renew)
    ip -4 addr flush dev "$interface"
    ip addr add "$ip/${subnet:-255.255.255.0}" dev "$interface"
    if [ -n "$staticroutes" ]; then
      set -- $staticroutes
      while [ $# -ge 2 ]; do
        if [ "$2" = 0.0.0.0 ]; then ip route replace "$1" dev "$interface"
        else ip route replace "$1" via "$2" dev "$interface"; fi
        shift 2
      done
    else
      for gw in $router; do ip route replace default via "$gw" dev "$interface"; break; done
    fi ;;
esac
exit 0
"""


def _read(path):
    try:
        with open(path) as source:
            return source.read()
    except FileNotFoundError:
        return None


def uses_dhcp(vif, nova_subnet):
    return (nova_subnet['version'] == 4 and not vif['network']['meta'].get('injected') and
            nova_subnet['meta'].get('enable_dhcp', bool(nova_subnet['meta'].get(
                'dhcp_server'))))


class Guest:
    def __init__(self, namespace, executor, dhcp_client, dhcp_timeout, script_dir):
        self.namespace = namespace
        self.executor = executor
        self.dhcp_client = (dhcp_client or '').split()
        self.dhcp_timeout = dhcp_timeout
        self.script_dir = script_dir

    def configure(self, network_info):
        """Address every VIF; the first VIF's gateway is the default route."""
        ip_lib.IPDevice('lo', self.namespace).set_up()
        default_set = False
        for vif in network_info:
            device = vif_base.instance_interface(
                vif, vif_base.Instance(uuid='', namespace=self.namespace))
            for nova_subnet in vif['network']['subnets']:
                if nova_subnet['version'] != 4:
                    continue
                if self.dhcp_client and uses_dhcp(vif, nova_subnet):
                    self.dhcp(device)
                    default_set = True
                    continue
                self.static(device, nova_subnet, set_default=not default_set)
                default_set = default_set or bool(nova_subnet['gateway']['address'])

    def static(self, device, nova_subnet, set_default):
        prefixlen = netaddr.IPNetwork(nova_subnet['cidr']).prefixlen
        inside = ip_lib.IPDevice(device, self.namespace)
        for entry in nova_subnet['ips']:
            inside.add_address('%s/%d' % (entry['address'], prefixlen))
        for route in nova_subnet['routes']:
            ip_lib.add_route(route['cidr'], via=route['gateway']['address'], device=device,
                             namespace=self.namespace)
        gateway = nova_subnet['gateway']['address']
        if set_default and gateway:
            ip_lib.set_default_route(gateway, device=device, namespace=self.namespace)

    def dhcp(self, device):
        script = os.path.join(self.script_dir, 'udhcpc.script')
        if _read(script) != UDHCPC_SCRIPT:
            # Boots run at once in threads and processes: each writes a file of its own.
            os.makedirs(self.script_dir, exist_ok=True)
            temporary = '%s.%d.%d' % (script, os.getpid(), threading.get_ident())
            with open(temporary, 'w') as target:
                target.write(UDHCPC_SCRIPT)
            os.chmod(temporary, 0o755)
            os.replace(temporary, script)
        self.executor.execute(self.dhcp_client + [
            '-i', device, '-f', '-q', '-n', '-t', str(self.dhcp_timeout), '-T', '1',
            '-O', 'staticroutes', '-s', script], namespace=self.namespace)

    def addresses(self):
        return {device: ip_lib.IPDevice(device, self.namespace).list_addresses(family=4)
                for device in ip_lib.list_devices(self.namespace) if device != 'lo'}
