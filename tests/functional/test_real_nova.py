"""Nova's own Neutron network API, unmodified (``nova.network.neutron.API`` from the ``nova``
release in ``.venv-nova``), against a live server: it validates, allocates with each --nic
form, binds (an OVS agent alive on the host -> vif_type ovs; none -> Nova's
PortBindingFailed), builds network_info, maps the server's errors to its own exceptions and
deallocates. Nova runs in its own process (tests/functional/real_nova/driver.py); this test
asserts on what Nova returns and on the ports the server holds."""

import json
import pathlib
import queue
import subprocess
import threading
import uuid

import pytest

from tests.fixtures.agents import port_status, wait_for

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
NOVA_PYTHON = REPO_ROOT / '.venv-nova' / 'bin' / 'python'
DRIVER = pathlib.Path(__file__).resolve().parent / 'real_nova' / 'driver.py'
CALL_TIMEOUT = 60.0

pytestmark = [
    pytest.mark.functional,
    pytest.mark.skipif(not NOVA_PYTHON.exists(), reason=(
        'needs Nova in its own virtualenv %s: run tools/setup.sh, which installs it'
        % NOVA_PYTHON.parent.parent)),
]

PROJECT = 'real-nova'


class NovaError(Exception):
    def __init__(self, answer):
        super().__init__('%s: %s' % (answer['error'], answer['message']))
        self.name = answer['error']
        self.answer = answer


class NovaDriver:
    """The driver process: one JSON command per line in, one JSON answer per line out."""

    def __init__(self, url, state_dir):
        self.state_dir = pathlib.Path(state_dir)
        self.process = subprocess.Popen(
            [str(NOVA_PYTHON), str(DRIVER), '--url', url, '--state-dir', str(state_dir)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, cwd=str(state_dir))
        self._lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.timings = []
        self.ready = self._answer()
        assert self.ready.get('ready'), self.ready

    def _read(self):
        for line in self.process.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def _answer(self):
        try:
            line = self._lines.get(timeout=CALL_TIMEOUT)
        except queue.Empty:
            raise AssertionError('no answer from the Nova driver in %ss; log:\n%s' % (
                CALL_TIMEOUT, self.log_tail()))
        if line is None:
            raise AssertionError('the Nova driver exited (%s); log:\n%s' % (
                self.process.wait(), self.log_tail()))
        try:
            return json.loads(line)
        except ValueError:
            raise AssertionError('the Nova driver wrote %r; log:\n%s' % (line,
                                                                         self.log_tail()))

    def call(self, op, **args):
        self.process.stdin.write(json.dumps(dict(args, op=op)) + '\n')
        self.process.stdin.flush()
        answer = self._answer()
        self.timings.append((op, answer['seconds']))
        if 'error' in answer:
            raise NovaError(answer)
        return answer['result']

    def log_tail(self, lines=80):
        path = self.state_dir / 'nova.log'
        text = path.read_text(errors='replace') if path.exists() else ''
        return '\n'.join(text.splitlines()[-lines:])

    def stop(self):
        if self.process.poll() is None:
            try:
                self.process.stdin.write('{"op": "quit"}\n')
                self.process.stdin.close()
                self.process.wait(10)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait(10)

    # ---- Nova's verbs ---------------------------------------------------------------------

    def instance(self, host, project_id=PROJECT):
        return self.call('create_instance', project_id=project_id, host=host)

    def boot(self, instance, *nics, security_groups=None):
        return self.call('allocate_for_instance', instance=instance, nics=list(nics),
                         security_groups=security_groups)

    def nw_info(self, instance):
        return self.call('get_instance_nw_info', instance=instance)

    def delete(self, instance, *nics):
        """``nics``: what compute passes when it cleans up after a failed build."""
        return self.call('deallocate_for_instance', instance=instance, nics=list(nics))

    def error_of(self, op, **args):
        with pytest.raises(NovaError) as raised:
            self.call(op, **args)
        return raised.value.name


@pytest.fixture(scope='module')
def server(vlan_rpc_server):
    return vlan_rpc_server


@pytest.fixture(scope='module')
def nova(server, tmp_path_factory):
    driver = NovaDriver(server.url, tmp_path_factory.mktemp('nova'))
    yield driver
    driver.stop()
    print('\nNova %s driver: ready in %ss; calls: %s' % (
        driver.ready['nova_version'], driver.ready['seconds'], driver.timings))


@pytest.fixture(scope='module')
def admin(server):
    return server.client()


@pytest.fixture(scope='module')
def user(server):
    return server.client().as_tenant(PROJECT)


def _network(user, cidr, **subnet):
    net = user.create('network', name='net-' + cidr)
    created = user.create('subnet', network_id=net['id'], cidr=cidr, ip_version=4, **subnet)
    return dict(net, subnet=created)


@pytest.fixture(scope='module')
def net_a(user):
    return _network(user, '10.91.0.0/24')


@pytest.fixture(scope='module')
def net_b(user):
    return _network(user, '10.92.0.0/24')


def _ports_of(admin, instance):
    return admin.list('ports', {'device_id': instance})


def _gone(admin, port_id):
    return admin.get('/v2.0/ports/%s' % port_id).status == 404


def _ips(vif):
    return [ip['address'] for subnet in vif['network']['subnets'] for ip in subnet['ips']]


def test_validate_networks(nova, admin, user, net_a):
    nic = {'net_id': net_a['id']}
    assert nova.call('validate_networks', project_id=PROJECT, nics=[nic], num_instances=3) == 3
    assert nova.error_of('validate_networks', project_id=PROJECT, nics=[
        {'net_id': str(uuid.uuid4())}]) == 'NetworkNotFound'
    taken = user.create('port', network_id=net_a['id'], fixed_ips=[
        {'ip_address': '10.91.0.40'}])
    assert nova.error_of('validate_networks', project_id=PROJECT, nics=[
        dict(nic, v4_fixed_ip='10.91.0.40')]) == 'FixedIpAlreadyInUse'
    user.put('/v2.0/ports/%s' % taken['id'], {'port': {'device_id': str(uuid.uuid4())}})
    assert nova.error_of('validate_networks', project_id=PROJECT, nics=[
        {'port_id': taken['id']}]) == 'PortInUse'
    user.remove('port', taken['id'])

    # Nova reads the port quota and counts the project's ports: 3 allowed, 1 used -> 2 fit.
    project = 'real-nova-quota'
    assert admin.put('/v2.0/quotas/%s' % project, {'quota': {'port': 3}}).status == 200
    net = admin.create('network', name='quota', tenant_id=project)
    admin.create('subnet', network_id=net['id'], cidr='10.93.0.0/24', ip_version=4,
                 tenant_id=project)
    admin.create('port', network_id=net['id'], tenant_id=project)
    assert nova.call('validate_networks', project_id=project,
                     nics=[{'net_id': net['id']}], num_instances=5) == 2


def test_boot_each_nic_form_on_a_host_with_an_ovs_agent(
        nova, admin, user, net_a, net_b, host, netlab):
    host_name, int_br, _agent = host
    resp = user.post('/v2.0/security-groups', {'security_group': {'name': 'web'}})
    assert resp.status == 201, resp
    web = resp.json['security_group']
    kept = user.create('port', network_id=net_b['id'], name='kept')
    instance = nova.instance(host_name)

    vifs = nova.boot(instance, {'net_id': net_a['id']}, {'port_id': kept['id']},
                     {'net_id': net_a['id'], 'v4_fixed_ip': '10.91.0.77'},
                     security_groups=['web'])

    assert len(vifs) == 3
    assert vifs[1]['id'] == kept['id']
    assert [vif['network']['id'] for vif in vifs] == [net_a['id'], net_b['id'], net_a['id']]
    assert [vif['preserve_on_delete'] for vif in vifs] == [False, True, False]
    assert _ips(vifs[2]) == ['10.91.0.77']
    assert _ips(vifs[1]) == [ip['ip_address'] for ip in kept['fixed_ips']]
    for vif in vifs:
        assert vif['type'] == 'ovs' and vif['vnic_type'] == 'normal'
        assert vif['details']['port_filter'] is True
        # the agent's own integration bridge and datapath, as the server learnt them
        assert (vif['network']['bridge'], vif['details']['bridge_name'],
                vif['details']['datapath_type']) == (int_br.name, int_br.name, 'netdev')
        assert vif['network']['meta']['physical_network'] == 'physnet1'
        assert vif['devname'] == ('tap' + vif['id'])[:14]
        assert vif['ovs_interfaceid'] == vif['id']
        assert vif['active'] is False
    subnet = vifs[0]['network']['subnets'][0]
    assert subnet['cidr'] == '10.91.0.0/24'
    assert subnet['gateway']['address'] == '10.91.0.1'
    assert vifs[0]['network']['meta']['tenant_id'] == PROJECT

    ports = {p['id']: p for p in _ports_of(admin, instance)}
    assert set(ports) == {vif['id'] for vif in vifs}
    for vif in vifs:
        port = ports[vif['id']]
        assert (port['device_owner'], port['binding:host_id'], port['binding:vif_type'],
                port['tenant_id'], port['mac_address']) == (
            'compute:nova', host_name, 'ovs', PROJECT, vif['address'])
    assert ports[vifs[0]['id']]['security_groups'] == [web['id']]
    assert ports[kept['id']]['security_groups'] == kept['security_groups']

    # The hypervisor plugs the first VIF as network_info describes it; the agent wires it.
    first = vifs[0]
    ns = netlab.namespace()
    veth = netlab.veth_into(ns, int_br, external_ids={
        'iface-id': first['ovs_interfaceid'], 'attached-mac': first['address'],
        'vm-uuid': instance, 'iface-status': 'active'})
    netlab.executor.execute(['ip', 'link', 'set', veth.inner, 'address', first['address']],
                            namespace=ns)
    wait_for(lambda: port_status(admin, first['id']) == 'ACTIVE', message='port ACTIVE')
    refreshed = nova.nw_info(instance)
    assert [vif['id'] for vif in refreshed] == [vif['id'] for vif in vifs]
    assert [vif['active'] for vif in refreshed] == [True, False, False]

    nova.delete(instance)
    assert _ports_of(admin, instance) == []
    assert _gone(admin, vifs[0]['id']) and _gone(admin, vifs[2]['id'])
    left = admin.show('port', kept['id'])
    assert (left['device_id'], left['device_owner'], left['binding:host_id'],
            left['binding:vif_type']) == ('', '', '', 'unbound')
    assert nova.nw_info(instance) == []
    # the fixed IP asked for is free again
    again = nova.instance(host_name)
    assert _ips(nova.boot(again, {'net_id': net_a['id'], 'v4_fixed_ip': '10.91.0.77'})[0]) \
        == ['10.91.0.77']
    nova.delete(again)
    user.remove('port', kept['id'])


def test_binding_fails_without_an_agent(nova, admin, user, net_a, netlab):
    nowhere = '%s-nowhere' % netlab.prefix
    instance = nova.instance(nowhere)
    assert nova.error_of('allocate_for_instance', instance=instance, nics=[
        {'net_id': net_a['id']}]) == 'PortBindingFailed'
    assert _ports_of(admin, instance) == []            # Nova deleted the port it made

    kept = user.create('port', network_id=net_a['id'])
    nic = {'port_id': kept['id']}
    assert nova.error_of('allocate_for_instance', instance=instance,
                         nics=[nic]) == 'PortBindingFailed'
    failed = admin.show('port', kept['id'])
    assert (failed['device_id'], failed['binding:vif_type']) == (instance, 'binding_failed')
    nova.delete(instance, nic)                          # compute's clean-up of a failed build
    left = admin.show('port', kept['id'])
    assert (left['device_id'], left['binding:host_id'], left['binding:vif_type']) == (
        '', '', 'unbound')
    user.remove('port', kept['id'])


def _taken_ip(user, net):
    return user.create('port', network_id=net['id'], fixed_ips=[{'ip_address': '10.91.0.60'}])


def _in_use(user, net):
    return user.create('port', network_id=net['id'], device_id=str(uuid.uuid4()))


@pytest.mark.parametrize('nic, setup, error', [
    (lambda net, made: dict(net_id=net['id'], v4_fixed_ip='10.91.0.60'), _taken_ip,
     'FixedIpAlreadyInUse'),
    (lambda net, made: dict(net_id=net['id'], v4_fixed_ip='192.168.99.9'), None,
     'InvalidInput'),
    (lambda net, made: dict(net_id=str(uuid.uuid4())), None, 'NetworkNotFound'),
    (lambda net, made: dict(port_id=str(uuid.uuid4())), None, 'PortNotFound'),
    (lambda net, made: dict(port_id=made['id']), _in_use, 'PortInUse'),
], ids=['ip-in-use', 'ip-not-on-network', 'network-not-found', 'port-not-found',
        'port-in-use'])
def test_errors_nova_maps_to_its_own(nova, admin, user, net_a, netlab, nic, setup, error):
    made = setup(user, net_a) if setup else None
    before = {p['id'] for p in admin.list('ports', {'network_id': net_a['id']})}
    instance = nova.instance('%s-nowhere' % netlab.prefix)
    assert nova.error_of('allocate_for_instance', instance=instance,
                         nics=[nic(net_a, made)]) == error
    assert _ports_of(admin, instance) == []
    assert {p['id'] for p in admin.list('ports', {'network_id': net_a['id']})} == before
    if made:
        user.remove('port', made['id'])


def test_no_more_fixed_ips(nova, admin, user):
    net = _network(user, '10.94.0.0/29',
                   allocation_pools=[{'start': '10.94.0.2', 'end': '10.94.0.2'}])
    only = user.create('port', network_id=net['id'])
    instance = nova.instance('nowhere')
    assert nova.error_of('allocate_for_instance', instance=instance, nics=[
        {'net_id': net['id']}]) == 'NoMoreFixedIps'
    assert _ports_of(admin, instance) == []
    user.remove('port', only['id'])
