"""What the DHCP agent knows of the networks it serves: each network with its subnets and
ports by id, filled from network infos and kept current by notifications."""

from netmgr.agent.linux import dnsmasq


class NetModel:
    def __init__(self, info):
        self.id = info['id']
        self.network = {k: v for k, v in info.items() if k not in ('subnets', 'ports')}
        self.subnets = {s['id']: s for s in info.get('subnets') or ()}
        self.ports = {p['id']: p for p in info.get('ports') or ()}

    @property
    def admin_state_up(self):
        return self.network.get('admin_state_up', True)

    def dhcp_subnets(self):
        return dnsmasq.dhcp_subnets(self.subnets.values())

    def served(self):
        """True when dnsmasq should run for this network."""
        return self.admin_state_up and bool(self.dhcp_subnets())


def host_entries(port):
    """What of a port the hosts file shows: its MAC and addresses."""
    return (port.get('mac_address'),
            tuple(sorted((ip['subnet_id'], ip['ip_address'])
                         for ip in port.get('fixed_ips') or ())))


class NetworkCache:
    def __init__(self):
        self._networks = {}

    def put(self, info):
        model = NetModel(info)
        self._networks[model.id] = model
        return model

    def get(self, network_id):
        return self._networks.get(network_id)

    def remove(self, network_id):
        return self._networks.pop(network_id, None)

    def ids(self):
        return set(self._networks)

    def __len__(self):
        return len(self._networks)

    def put_port(self, port):
        """Store a port of a known network: (model, previous port or None), or (None, None)
        when its network is not served here."""
        model = self._networks.get(port['network_id'])
        if model is None:
            return None, None
        previous = model.ports.get(port['id'])
        model.ports[port['id']] = port
        return model, previous

    def remove_port(self, network_id, port_id):
        model = self._networks.get(network_id)
        if model is None:
            return None, None
        return model, model.ports.pop(port_id, None)

    def counts(self):
        return {'networks': len(self._networks),
                'subnets': sum(len(m.subnets) for m in self._networks.values()),
                'ports': sum(len(m.ports) for m in self._networks.values())}
