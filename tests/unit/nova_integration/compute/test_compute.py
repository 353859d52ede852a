"""netmgr-compute's pieces that need no kernel: --nic parsing, the DHCP decision, state, the
Open vSwitch its OVS VIFs go to."""

import pytest

from netmgr import conf as nm_conf
from netmgr.conf import nova_network
from nova_integration.compute import cmd
from nova_integration.compute import guest
from nova_integration.compute import host
from nova_integration.compute import state


@pytest.mark.parametrize('text, expected', [
    ('net-id=N', ('N', None, None)),
    ('net-id=N,v4-fixed-ip=10.0.0.5', ('N', '10.0.0.5', None)),
    ('port-id=P', (None, None, 'P')),
])
def test_nic_forms(text, expected):
    assert host.parse_nic(text) == expected


@pytest.mark.parametrize('text', ['net-id=N,port-id=P', 'v4-fixed-ip=1.2.3.4', 'net-id=',
                                  'port-id=P,v4-fixed-ip=1.2.3.4', 'foo=bar'])
def test_bad_nics_are_refused(text):
    with pytest.raises(ValueError):
        host.parse_nic(text)


def test_command_line():
    args = cmd.parser().parse_args(['--config-file', 'a.conf', 'boot', '--nic', 'net-id=N',
                                    '--nic', 'port-id=P', '--security-group', 'web',
                                    '--security-group', 'ssh', 'vm1'])
    assert (args.command, args.name, args.config_file) == ('boot', ['vm1'], ['a.conf'])
    assert args.nic == [('N', None, None), (None, None, 'P')]
    assert args.security_groups == ['web', 'ssh']
    assert cmd.parser().parse_args(['boot', 'vm1']).security_groups == []


def _vif(injected, enable_dhcp):
    subnet = {'version': 4, 'meta': {'enable_dhcp': enable_dhcp}}
    return {'network': {'meta': {'injected': injected}, 'subnets': [subnet]}}, subnet


@pytest.mark.parametrize('injected, enable_dhcp, dhcp', [
    (False, True, True), (True, True, False), (False, False, False)])
def test_dhcp_only_when_the_subnet_has_it_and_nothing_is_injected(injected, enable_dhcp,
                                                                  dhcp):
    assert guest.uses_dhcp(*_vif(injected, enable_dhcp)) is dhcp


def test_state_file(tmp_path):
    states = state.StateFile(str(tmp_path / 'sub' / 'compute.json'))
    states.add('vm1', {'uuid': 'u1'})
    with pytest.raises(state.InstanceExists):
        states.add('vm1', {'uuid': 'u2'})
    states.update('vm1', port_ids=['p'])
    assert states.get('vm1') == {'uuid': 'u1', 'port_ids': ['p']}
    states.remove('vm1')
    with pytest.raises(state.InstanceNotFound):
        states.get('vm1')


class FakeExecutor:
    def __init__(self):
        self.calls = []

    def execute(self, cmd, namespace=None, **kwargs):
        self.calls.append((cmd, namespace))
        return ''


def test_dhcp_client_runs_in_the_instance_with_a_lease_script(tmp_path):
    executor = FakeExecutor()
    guest.Guest('ns1', executor, 'busybox udhcpc', 7, str(tmp_path)).dhcp('eth0')
    [(cmd, namespace)] = executor.calls
    assert namespace == 'ns1'
    assert cmd[:4] == ['busybox', 'udhcpc', '-i', 'eth0'] and '-q' in cmd and '-n' in cmd
    assert cmd[cmd.index('-t') + 1] == '7'
    script = cmd[cmd.index('-s') + 1]
    assert 'ip addr add "$ip/' in open(script).read()


@pytest.mark.parametrize('overrides, connection', [
    ({}, 'unix:/var/run/openvswitch/db.sock'),
    ({'compute.ovsdb_connection': 'unix:/srv/h1/db.sock'}, 'unix:/srv/h1/db.sock'),
])
def test_ovs_vifs_are_plugged_into_the_configured_open_vswitch(tmp_path, overrides,
                                                               connection):
    conf = nm_conf.new_conf(state_path=str(tmp_path))
    nova_network.register(conf)
    for name, value in overrides.items():
        group, option = name.split('.')
        conf.set_override(option, value, group=group)
    compute = host.ComputeHost(conf, api=object(), executor=object())
    for vif_type, details in (('ovs', {}), ('ovs', {'ovs_hybrid_plug': True})):
        driver = compute._driver({'id': 'p', 'type': vif_type, 'details': details})
        assert driver.ovsdb.connection == connection
        assert driver.executor is compute.executor
