"""The network API Nova calls (``network_api_class = nova_integration.network_api.API``).

It works on netmgr in process (netmgr.client over netmgr's own database, agents told over
RabbitMQ when ``rpc_enabled``), with Nova's errors (nova_integration.exceptions). Ports of an
instance have device_id = the instance's uuid, device_owner ``compute:<az>`` and
binding:host_id = its host. ``requested_networks`` come as Nova builds them from ``--nic``:
tuples (network_id, fixed_ip, port_id) or objects with .network_id/.address/.port_id. When
none are given, the instance gets the configured network manager's networks
(netmgr.managers), or the one network the project can see. ``security_groups`` (names or
ids, as ``nova boot --security-groups`` gives them) go on the ports it creates, resolved as
Nova does against Neutron.

A failed allocation removes every port it created and gives back every port it claimed
(device_id, device_owner and host as they were), then raises Nova's error.
"""

import collections
import contextlib
import os

import netaddr

from netmgr import conf as nm_conf
from netmgr.conf import nova_network
from netmgr import context as nm_context
from netmgr import exceptions as nm_exc
from netmgr import managers
from netmgr.rpc import transport as rpc_transport
from netmgr import wiring
from nova_integration import exceptions
from nova_integration import nw_info

CONFIG_ENV = 'NETMGR_CONFIG_FILE'
DEFAULT_CONFIG_FILE = '/etc/netmgr/netmgr.conf'
HOST_ID, VIF_TYPE = 'binding:host_id', 'binding:vif_type'
OWNER_PREFIX = 'compute:'
DEFAULT_SECURITY_GROUP = 'default'

Request = collections.namedtuple('Request', 'network_id address port_id')


def load_conf(config_files=None):
    """netmgr's options plus nova-network's, from ``config_files`` (a path or a list), else
    $NETMGR_CONFIG_FILE, else /etc/netmgr/netmgr.conf when it exists."""
    if isinstance(config_files, str):
        config_files = [config_files]
    files = list(config_files or ())
    if not files and os.environ.get(CONFIG_ENV):
        files = [os.environ[CONFIG_ENV]]
    if not files and os.path.exists(DEFAULT_CONFIG_FILE):
        files = [DEFAULT_CONFIG_FILE]
    conf = nm_conf.new_conf(default_config_files=files)
    nova_network.register(conf)
    return conf


def requests_of(requested_networks):
    """Nova's requested_networks (None, tuples of 2-4 items, NetworkRequest-like objects or a
    NetworkRequestList) -> [Request]."""
    if requested_networks is None:
        return []
    found = []
    for item in getattr(requested_networks, 'objects', requested_networks):
        if isinstance(item, (tuple, list)):
            network_id, address, port_id = (tuple(item) + (None, None))[:3]
        else:
            network_id, address, port_id = (getattr(item, name, None) for name in
                                            ('network_id', 'address', 'port_id'))
        found.append(Request(network_id or None, str(address) if address else None,
                             port_id or None))
    return found


def _attr(obj, name, default=None):
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


class API:
    def __init__(self, config_file=None, conf=None, client=None):
        """``client``: a netmgr Client (admin context) to use instead of building one."""
        self.conf = conf or load_conf(config_file)
        if client is None:
            transport = (rpc_transport.get_transport(self.conf) if self.conf.rpc_enabled
                         else None)
            client = wiring.build_client(self.conf, nm_context.admin_context(),
                                         transport=transport)
        self.admin = client
        self.manager = managers.load(self.conf, client)

    def _tenant(self, context):
        roles = tuple(_attr(context, 'roles') or ()) or ('member',)
        if _attr(context, 'is_admin') and 'admin' not in roles:
            roles += ('admin',)
        return self.admin.as_context(nm_context.tenant_context(
            _attr(context, 'project_id'), user_id=_attr(context, 'user_id'), roles=roles))

    @contextlib.contextmanager
    def _nova_errors(self, instance_uuid=None, request=None):
        """netmgr's errors as Nova's, for one step of ``request``."""
        address = request.address if request else None
        network_id = request.network_id if request else None
        try:
            yield
        except (nm_exc.IpAddressInUse, nm_exc.IpAddressAlreadyAllocated):
            raise exceptions.FixedIpAlreadyInUse(address=address,
                                                 instance_uuid=instance_uuid) from None
        except (nm_exc.InvalidIpForNetwork, nm_exc.InvalidIpForSubnet):
            raise exceptions.InvalidInput(reason='Fixed IP %s is not a valid ip address for '
                                          'network %s.' % (address, network_id)) from None
        except nm_exc.IpAddressGenerationFailure:
            raise exceptions.NoMoreFixedIps(net=network_id) from None
        except nm_exc.MacAddressInUse as exc:
            raise exceptions.PortInUse(port_id=exc.kwargs.get('mac')) from None
        except nm_exc.OverQuota:
            raise exceptions.PortLimitExceeded() from None
        except nm_exc.NetworkNotFound as exc:
            raise exceptions.NetworkNotFound(network_id=exc.kwargs.get('net_id')) from None
        except nm_exc.PortNotFound as exc:
            raise exceptions.PortNotFound(port_id=exc.kwargs.get('port_id')) from None
        except managers.NoMoreNetworks:
            raise exceptions.NoMoreNetworks() from None
        except nm_exc.InvalidInput as exc:
            if address:
                raise exceptions.FixedIpInvalid(address=address) from None
            raise exceptions.InvalidInput(reason=exc.msg) from None

    # ---- allocation ------------------------------------------------------------------------

    def _default_requests(self, context, tenant, project_id):
        if self.manager is not None:
            with self._nova_errors():
                networks = self.manager.networks_for_project(project_id)
        else:
            networks = [n for n in tenant.list_networks()
                        if not (n.get('router:external') and not n['shared'])]
            if len(networks) > 1:
                raise exceptions.NetworkAmbiguous()
        return [Request(n['id'], None, None) for n in networks]

    def _plan(self, context, instance_uuid, project_id, requests):
        """[(request, network, port or None)], checked before anything is made."""
        tenant = self._tenant(context)
        if not requests or all(r.network_id == 'auto' for r in requests):
            requests = self._default_requests(context, tenant, project_id)
        elif [r.network_id for r in requests] == ['none']:
            return []
        plan, seen = [], set()
        for request in requests:
            port = None
            if request.port_id:
                port = self._usable_port(context, instance_uuid, project_id, request.port_id)
                network_id = port['network_id']
            else:
                network_id = request.network_id
                if request.address:
                    try:
                        netaddr.IPAddress(request.address)
                    except (netaddr.AddrFormatError, ValueError):
                        raise exceptions.FixedIpInvalid(address=request.address) from None
            try:
                network = tenant.show_network(network_id)
            except nm_exc.NetworkNotFound:
                raise exceptions.NetworkNotFound(network_id=network_id) from None
            if port is None:
                self._check_network(context, network)
            if network_id in seen:
                raise exceptions.NetworkDuplicated(network_id=network_id)
            seen.add(network_id)
            plan.append((request._replace(network_id=network_id), network, port))
        return plan

    def _usable_port(self, context, instance_uuid, project_id, port_id):
        with self._nova_errors():
            port = self.admin.show_port(port_id)
        if port['tenant_id'] != project_id and not _attr(context, 'is_admin'):
            raise exceptions.PortNotUsable(port_id=port_id, instance=instance_uuid)
        if port['device_id'] and port['device_id'] != instance_uuid:
            raise exceptions.PortInUse(port_id=port_id)
        return port

    @staticmethod
    def _check_network(context, network):
        if not network['subnets']:
            raise exceptions.NetworkRequiresSubnet(network_uuid=network['id'])
        if (network.get('router:external') and not network['shared'] and
                not _attr(context, 'is_admin')):
            raise exceptions.ExternalNetworkAttachForbidden(network_uuid=network['id'])

    def validate_networks(self, context, requested_networks, num_instances=1):
        """Nova's pre-boot check; returns how many instances may be booted."""
        requests = requests_of(requested_networks)
        plan = self._plan(context, None, _attr(context, 'project_id'), requests)
        for request, network, port in plan:
            if request.address and port is None:
                if num_instances > 1:
                    raise exceptions.InvalidInput(reason='Fixed IP %s cannot be used for more '
                                                  'than one instance.' % request.address)
                if self.admin.list_ports(network_id=network['id'], fixed_ips=[
                        'ip_address=%s' % request.address]):
                    raise exceptions.FixedIpAlreadyInUse(address=request.address,
                                                         instance_uuid=None)
        return num_instances

    def security_group_ids(self, project_id, security_groups):
        """The ids of ``security_groups`` (names or ids) among the project's groups; [] for
        none or just 'default', which new ports get anyway."""
        if not security_groups or list(security_groups) == [DEFAULT_SECURITY_GROUP]:
            return []
        by_name, ids = collections.defaultdict(list), set()
        for group in self.admin.list_security_groups(tenant_id=project_id,
                                                     fields=['id', 'name']):
            by_name[group['name']].append(group['id'])
            ids.add(group['id'])
        found = []
        for wanted in security_groups:
            if wanted in ids:
                found.append(wanted)
            elif len(by_name.get(wanted, ())) > 1:
                raise exceptions.NoUniqueMatch(
                    "Multiple security groups found matching '%s'. Use an ID to be more "
                    "specific." % wanted)
            elif wanted in by_name:
                found.append(by_name[wanted][0])
            else:
                raise exceptions.SecurityGroupNotFound(security_group_id=wanted)
        return found

    @staticmethod
    def _check_security(network, group_ids):
        if network.get('port_security_enabled', True):
            if not network['subnets']:
                raise exceptions.SecurityGroupCannotBeApplied()
        elif group_ids:
            raise exceptions.SecurityGroupCannotBeApplied()

    def allocate_for_instance(self, context, instance, requested_networks=None, macs=None,
                              security_groups=None, **kwargs):
        """Create or claim the instance's ports; returns its network_info."""
        uuid = _attr(instance, 'uuid')
        project_id = _attr(instance, 'project_id') or _attr(context, 'project_id')
        host = _attr(instance, 'host') or None
        owner = OWNER_PREFIX + (_attr(instance, 'availability_zone') or
                                self.conf.compute.availability_zone)
        plan = self._plan(context, uuid, project_id, requests_of(requested_networks))
        group_ids = self.security_group_ids(project_id, security_groups)
        for _request, network, _port in plan:
            self._check_security(network, group_ids)
        macs = list(macs or ())
        created, claimed, port_ids = [], [], []
        try:
            for request, network, port in plan:
                with self._nova_errors(uuid, request):
                    if port is not None:
                        claimed.append(port)
                        port = self.admin.update_port(port['id'], device_id=uuid,
                                                      device_owner=owner, **{HOST_ID: host})
                    else:
                        attrs = {'tenant_id': project_id, 'network_id': network['id'],
                                 'device_id': uuid, 'device_owner': owner, HOST_ID: host}
                        if request.address:
                            attrs['fixed_ips'] = [{'ip_address': request.address}]
                        if macs:
                            attrs['mac_address'] = macs.pop(0)
                        if group_ids:
                            attrs['security_groups'] = group_ids
                        port = self.admin.create_port(**attrs)
                        created.append(port['id'])
                port_ids.append(port['id'])
                if host and port.get(VIF_TYPE) == 'binding_failed':
                    raise exceptions.PortBindingFailed(port_id=port['id'])
        except Exception:
            self._roll_back(created, claimed)
            raise
        return self.get_instance_nw_info(context, instance, port_ids=port_ids)

    def _roll_back(self, created, claimed):
        for port_id in created:
            with contextlib.suppress(nm_exc.PortNotFound):
                self.admin.delete_port(port_id)
        for port in claimed:
            self._restore(port)

    def _restore(self, port):
        with contextlib.suppress(nm_exc.PortNotFound):
            self.admin.update_port(port['id'], device_id=port['device_id'],
                                   device_owner=port['device_owner'],
                                   **{HOST_ID: port.get(HOST_ID) or None})

    def deallocate_for_instance(self, context, instance, requested_networks=None, **kwargs):
        """Delete the instance's ports, except those it was given with --nic port-id, which
        are unbound and kept."""
        kept = {r.port_id for r in requests_of(requested_networks) if r.port_id}
        for port in self.admin.list_ports(device_id=_attr(instance, 'uuid')):
            if port['id'] in kept:
                self._restore(dict(port, device_id='', device_owner='', **{HOST_ID: None}))
            else:
                with contextlib.suppress(nm_exc.PortNotFound):
                    self.admin.delete_port(port['id'])

    # ---- network_info ----------------------------------------------------------------------

    def get_instance_nw_info(self, context, instance, port_ids=None, **kwargs):
        """The instance's VIFs, in ``port_ids`` order when given (else by creation)."""
        ports = self.admin.list_ports(device_id=_attr(instance, 'uuid'))
        order = {port_id: number for number, port_id in enumerate(port_ids or ())}
        ports.sort(key=lambda p: (order.get(p['id'], len(order)), p['created_at'], p['id']))
        return self.nw_info(ports)

    def nw_info(self, ports):
        if not ports:
            return nw_info.NetworkInfo()
        network_ids = sorted({p['network_id'] for p in ports})
        networks = {n['id']: n for n in self.admin.list_networks(id=network_ids)}
        subnets = {s['id']: s for s in self.admin.list_subnets(network_id=network_ids)}
        floating = self.admin.list_floatingips(port_id=[p['id'] for p in ports])
        dhcp_servers = {}
        for dhcp in self.admin.list_ports(network_id=network_ids,
                                          device_owner='network:dhcp'):
            for entry in dhcp['fixed_ips']:
                dhcp_servers.setdefault(entry['subnet_id'], entry['ip_address'])
        vifs = nw_info.NetworkInfo()
        for port in ports:
            network = networks[port['network_id']]
            meta = self.manager.network_meta(network) if self.manager else {}
            vif = nw_info.vif(port, network, subnets,
                              [f for f in floating if f['port_id'] == port['id']],
                              dhcp_servers=dhcp_servers,
                              ovs_bridge=self.conf.compute.integration_bridge, **meta)
            by_cidr = {s['cidr']: s for s in subnets.values()
                       if s['network_id'] == network['id']}
            for nova_subnet in vif['network']['subnets']:
                nova_subnet['meta']['enable_dhcp'] = by_cidr[nova_subnet['cidr']]['enable_dhcp']
            vifs.append(vif)
        return vifs

    # ---- fixed IPs -----------------------------------------------------------------------

    def add_fixed_ip_to_instance(self, context, instance, network_id):
        uuid = _attr(instance, 'uuid')
        ports = self.admin.list_ports(device_id=uuid, network_id=network_id)
        if not ports:
            raise exceptions.NetworkNotFoundForInstance(instance_id=uuid)
        port = ports[0]
        used = {entry['subnet_id'] for entry in port['fixed_ips']}
        subnets = [s['id'] for s in self.admin.list_subnets(network_id=network_id)
                   if s['ip_version'] == 4]
        wanted = next((s for s in subnets if s not in used), subnets[0] if subnets else None)
        if wanted is None:
            raise exceptions.NetworkRequiresSubnet(network_uuid=network_id)
        with self._nova_errors(uuid, Request(network_id, None, port['id'])):
            self.admin.update_port(port['id'],
                                   fixed_ips=port['fixed_ips'] + [{'subnet_id': wanted}])
        return self.get_instance_nw_info(context, instance)

    def remove_fixed_ip_from_instance(self, context, instance, address):
        uuid = _attr(instance, 'uuid')
        for port in self.admin.list_ports(device_id=uuid, fixed_ips=['ip_address=%s'
                                                                     % address]):
            self.admin.update_port(port['id'], fixed_ips=[
                f for f in port['fixed_ips'] if f['ip_address'] != address])
            return self.get_instance_nw_info(context, instance)
        raise exceptions.FixedIpNotFoundForSpecificInstance(instance_uuid=uuid, ip=address)

    def setup_networks_on_host(self, context, instance, host=None, teardown=False):
        """Bind the instance's ports to ``host`` (after a move); teardown leaves them."""
        if host and not teardown:
            for port in self.admin.list_ports(device_id=_attr(instance, 'uuid')):
                if port.get(HOST_ID) != host:
                    self.admin.update_port(port['id'], **{HOST_ID: host})

    # ---- floating IPs ----------------------------------------------------------------------

    def _pool(self, pool):
        wanted = pool or self.conf.external_network
        pools = self.admin.list_networks(**{'router:external': True})
        found = [n for n in pools if wanted in (None, n['id'], n['name'])]
        if not found or (wanted is None and len(found) > 1):
            raise exceptions.FloatingIpPoolNotFound()
        return found[0]

    def _floating(self, context, address):
        found = self._tenant(context).list_floatingips(floating_ip_address=address)
        if not found:
            raise exceptions.FloatingIpNotFoundForAddress(address=address)
        return found[0]

    def allocate_floating_ip(self, context, pool=None):
        """A floating IP of ``pool`` (external network name or id) for the project; returns
        its address."""
        network = self._pool(pool)
        try:
            fip = self._tenant(context).create_floatingip(floating_network_id=network['id'])
        except nm_exc.IpAddressGenerationFailure:
            raise exceptions.NoMoreFloatingIps() from None
        except nm_exc.OverQuota:
            raise exceptions.FloatingIpLimitExceeded() from None
        return fip['floating_ip_address']

    def associate_floating_ip(self, context, instance, floating_address, fixed_address,
                              affect_auto_assigned=False):
        fip = self._floating(context, floating_address)
        uuid = _attr(instance, 'uuid')
        ports = self.admin.list_ports(device_id=uuid,
                                      fixed_ips=['ip_address=%s' % fixed_address])
        if not ports:
            raise exceptions.FixedIpNotFoundForSpecificInstance(instance_uuid=uuid,
                                                                ip=fixed_address)
        self._tenant(context).update_floatingip(fip['id'], port_id=ports[0]['id'],
                                                fixed_ip_address=fixed_address)

    def disassociate_floating_ip(self, context, instance, address,
                                 affect_auto_assigned=False):
        fip = self._floating(context, address)
        self._tenant(context).update_floatingip(fip['id'], port_id=None)

    def release_floating_ip(self, context, address, affect_auto_assigned=False):
        fip = self._floating(context, address)
        if fip['port_id']:
            raise exceptions.FloatingIpAssociated(address=address)
        self._tenant(context).delete_floatingip(fip['id'])

    def get_floating_ips_by_project(self, context):
        pools = {n['id']: n['name'] for n in self.admin.list_networks(
            **{'router:external': True})}
        return [{'id': f['id'], 'address': f['floating_ip_address'],
                 'pool': pools.get(f['floating_network_id']),
                 'project_id': f['tenant_id'], 'port_id': f['port_id'],
                 'fixed_ip': ({'address': f['fixed_ip_address']}
                              if f['fixed_ip_address'] else None)}
                for f in self._tenant(context).list_floatingips(
                    tenant_id=_attr(context, 'project_id'))]
