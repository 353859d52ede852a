"""The compute host: boot (allocate, plug, address), delete (unplug, deallocate), list.

An instance is a namespace ``<namespace_prefix><name>``; it is recorded before anything is made
for it, so ``delete`` can clean up after a boot that died part way."""

from concurrent import futures
import os
import time
import types
import uuid

from netmgr.agent.linux import executor as agent_executor
from netmgr.agent.linux import ip_lib
from netmgr.agent.linux import ovs_lib
from netmgr import devnames
from nova_integration.compute import guest as guest_mod
from nova_integration.compute import state as state_mod
from nova_integration import exceptions as nova_exc
from nova_integration import network_api
from nova_integration.vif import base as vif_base
from nova_integration.vif import registry


def parse_nic(text):
    """``net-id=X[,v4-fixed-ip=Z]`` or ``port-id=Y`` -> (network_id, address, port_id)."""
    values = {}
    for item in text.split(','):
        key, sep, value = item.partition('=')
        if not sep or key not in ('net-id', 'v4-fixed-ip', 'port-id') or not value:
            raise ValueError('--nic %s: expected net-id=X[,v4-fixed-ip=Z] or port-id=Y' % text)
        values[key] = value
    if ('net-id' in values) == ('port-id' in values) or (
            'port-id' in values and 'v4-fixed-ip' in values):
        raise ValueError('--nic %s: give either net-id (with an optional v4-fixed-ip) or '
                         'port-id' % text)
    return (values.get('net-id'), values.get('v4-fixed-ip'), values.get('port-id'))


class ComputeHost:
    def __init__(self, conf, api=None, executor=None):
        self.conf = conf
        self.api = api or network_api.API(conf=conf)
        self.executor = executor or agent_executor.Executor()
        self.ovsdb = ovs_lib.OVSDB(conf.compute.ovsdb_connection, executor=self.executor)
        self.state = state_mod.StateFile(conf.compute.state_file)
        self.context = types.SimpleNamespace(project_id=conf.compute.project_id, user_id=None,
                                             roles=['member'], is_admin=False)

    def namespace(self, name):
        return self.conf.compute.namespace_prefix + name

    def _instance(self, record):
        return types.SimpleNamespace(uuid=record['uuid'], project_id=record['project_id'],
                                     host=self.conf.host,
                                     availability_zone=self.conf.compute.availability_zone)

    def _driver(self, vif):
        return registry.driver_for(vif, executor=self.executor, ovsdb=self.ovsdb,
                                   disable_tx_checksum=self.conf.compute.disable_tx_checksum)

    def boot(self, name, nics=(), security_groups=()):
        """Returns the instance's network_info; on failure leaves nothing behind."""
        record = {'uuid': str(uuid.uuid4()), 'namespace': self.namespace(name),
                  'project_id': self.context.project_id, 'nics': [list(n) for n in nics],
                  'port_ids': []}
        self.state.add(name, record)
        try:
            ip_lib.create_namespace(record['namespace'])
            info = self.api.allocate_for_instance(self.context, self._instance(record),
                                                  requested_networks=list(nics),
                                                  security_groups=list(security_groups))
            record['port_ids'] = [vif['id'] for vif in info]
            self.state.update(name, port_ids=record['port_ids'])
            instance = vif_base.Instance(record['uuid'], name, record['namespace'])
            for vif in info:
                self._driver(vif).plug(vif, instance)
            self._wait_plugged(record['uuid'], info)
            self._guest(record).configure(info)
        except BaseException:
            self.delete(name)
            raise
        return info

    def _wait_plugged(self, instance_uuid, info, interval=0.02):
        """Like nova-compute waiting for network-vif-plugged: the instance starts (and its
        DHCP client sends) once the L2 agent has wired its bound ports."""
        timeout = self.conf.compute.vif_plugging_timeout
        waiting = {vif['id'] for vif in info
                   if vif['type'] not in ('unbound', 'binding_failed')}
        deadline = time.monotonic() + timeout
        while waiting and timeout:
            ports = self.api.admin.list_ports(id=sorted(waiting), fields=['id', 'status'])
            waiting = {p['id'] for p in ports if p['status'] != 'ACTIVE'}
            if not waiting:
                return
            if time.monotonic() > deadline:
                raise nova_exc.VirtualInterfaceCreateException(
                    'Timed out after %ds waiting for ports %s of instance %s to be wired'
                    % (timeout, ', '.join(sorted(waiting)), instance_uuid))
            time.sleep(interval)

    def boot_many(self, names, nics=(), security_groups=()):
        """Boot ``names`` together, as one nova-compute boots several instances at once:
        {name: network_info or the exception that ended its boot}."""
        with futures.ThreadPoolExecutor(max_workers=max(1, len(names))) as pool:
            jobs = {name: pool.submit(self.boot, name, nics, security_groups)
                    for name in names}
        return {name: job.exception() or job.result() for name, job in jobs.items()}

    def _guest(self, record):
        return guest_mod.Guest(record['namespace'], self.executor,
                               self.conf.compute.dhcp_client, self.conf.compute.dhcp_timeout,
                               os.path.dirname(os.path.abspath(self.conf.compute.state_file)))

    def network_info(self, name):
        record = self.state.get(name)
        return self.api.get_instance_nw_info(self.context, self._instance(record),
                                             port_ids=record['port_ids'])

    def delete(self, name):
        """Unplug every VIF, free the ports, remove the namespace and the record."""
        record = self.state.get(name)
        instance = vif_base.Instance(record['uuid'], name, record['namespace'])
        info = self.api.get_instance_nw_info(self.context, self._instance(record),
                                             port_ids=record['port_ids'])
        for vif in info:
            self._driver(vif).unplug(vif, instance)
        for port_id in record['port_ids']:      # ports whose VIF is gone from network_info
            vif_base.delete_device(devnames.tap_name(port_id))
        self.api.deallocate_for_instance(self.context, self._instance(record),
                                         requested_networks=[tuple(n) for n in record['nics']])
        ip_lib.delete_namespace(record['namespace'], if_exists=True)
        self.state.remove(name)

    def list(self):
        """[(name, uuid, namespace, {device: [cidr, ...]})]."""
        found = []
        for name, record in sorted(self.state.instances().items()):
            addresses = {}
            if ip_lib.namespace_exists(record['namespace']):
                addresses = self._guest(record).addresses()
            found.append((name, record['uuid'], record['namespace'], addresses))
        return found
