"""The L2 drivers and their configuration: option parsing, driver selection, what the agents
are told about a network's segment, and the one-query free-id search."""

import pathlib

import pytest
import sqlalchemy as sa

from netmgr import conf as nm_conf
from netmgr.conf import l2 as l2_conf
from netmgr.drivers import linuxbridge
from netmgr.drivers import loader
from netmgr.drivers import openvswitch
from netmgr.drivers import segment as seg


def conf_from(tmp_path, text):
    path = tmp_path / 'netmgr.conf'
    path.write_text(text)
    return nm_conf.new_conf(default_config_files=[str(path)])


def test_defaults_give_vxlan_tenant_networks_on_openvswitch(make_conf):
    conf = make_conf()
    driver = loader.build(conf)
    assert isinstance(driver, openvswitch.OpenvswitchDriver)
    assert driver.vif_type == 'ovs' and conf.l2.tenant_network_types == ['vxlan']
    assert l2_conf.vni_ranges(conf) == [(1, 1000)]


def test_linuxbridge_is_selected_by_mechanism_driver(make_conf):
    driver = loader.build(make_conf(**{'l2.mechanism_driver': 'linuxbridge'}))
    assert isinstance(driver, linuxbridge.LinuxbridgeDriver)
    assert driver.vif_type == 'bridge' and driver.agent_type == 'Linux bridge agent'
    details = driver.vif_details('0123456789abcdef-rest', None)
    assert details['bridge_name'] == 'brq0123456789a' and len(details['bridge_name']) <= 15
    assert set(driver.supported_network_types) == {'flat', 'vlan', 'vxlan', 'local'}


def test_openvswitch_carries_every_tunnel_type(make_conf):
    driver = loader.build(make_conf())
    assert set(driver.supported_network_types) == {'flat', 'vlan', 'local', 'vxlan', 'gre',
                                                   'geneve'}
    assert set(driver.type_manager.types) == set(driver.supported_network_types)


def test_linuxbridge_refuses_gre_and_geneve_tenant_networks(make_conf):
    for network_type in ('gre', 'geneve'):
        with pytest.raises(ValueError, match='%s not supported by the linuxbridge driver'
                           % network_type):
            loader.build(make_conf(**{'l2.mechanism_driver': 'linuxbridge',
                                      'l2.tenant_network_types': [network_type]}))


def test_vlan_ranges_parse_into_physnets(tmp_path):
    conf = conf_from(tmp_path, '[l2]\nnetwork_vlan_ranges = physnet1:100:199,physnet1:300:300,'
                               'physnet2\nvni_ranges = 1:16000000, 16000001:16000010\n'
                               'flat_networks = a,b\n')
    assert l2_conf.vlan_ranges(conf) == {'physnet1': [(100, 199), (300, 300)], 'physnet2': []}
    assert l2_conf.vni_ranges(conf) == [(1, 16000000), (16000001, 16000010)]
    assert l2_conf.flat_networks(conf) == (False, {'a', 'b'})


def test_neutron_sections_are_accepted(tmp_path):
    conf = conf_from(tmp_path, '[ml2]\ntenant_network_types = vlan\n'
                               '[ml2_type_vlan]\nnetwork_vlan_ranges = physnet1:5:6\n'
                               '[ml2_type_vxlan]\nvni_ranges = 7:8\n')
    assert conf.l2.tenant_network_types == ['vlan']
    assert l2_conf.vlan_ranges(conf) == {'physnet1': [(5, 6)]}
    assert l2_conf.vni_ranges(conf) == [(7, 8)]


def test_gre_and_geneve_ranges_and_their_neutron_sections(tmp_path, make_conf):
    conf = make_conf()
    assert l2_conf.tunnel_ranges(conf, 'gre') == [(1, 1000)]
    assert l2_conf.tunnel_ranges(conf, 'geneve') == [(1, 1000)]
    assert conf.l2.max_header_size == 30
    conf = conf_from(tmp_path, '[l2]\ntunnel_id_ranges = 1:10,4294967290:4294967295\n'
                               'geneve_vni_ranges = 20:30\n')
    assert l2_conf.tunnel_ranges(conf, 'gre') == [(1, 10), (4294967290, 4294967295)]
    assert l2_conf.tunnel_ranges(conf, 'geneve') == [(20, 30)]
    conf = conf_from(tmp_path, '[ml2_type_gre]\ntunnel_id_ranges = 3:4\n'
                               '[ml2_type_geneve]\nvni_ranges = 5:6\nmax_header_size = 38\n'
                               '[ml2_type_vxlan]\nvni_ranges = 7:8\n')
    assert l2_conf.tunnel_ranges(conf, 'gre') == [(3, 4)]
    assert l2_conf.tunnel_ranges(conf, 'geneve') == [(5, 6)]
    assert l2_conf.vni_ranges(conf) == [(7, 8)]
    assert conf.l2.max_header_size == 38


@pytest.mark.parametrize('line, message', [
    ('network_vlan_ranges = physnet1:100:5000', 'VLAN id 5000 is outside 1..4094'),
    ('network_vlan_ranges = physnet1:200:100', 'VLAN id range 200:100 ends before it starts'),
    ('network_vlan_ranges = physnet1:100', 'neither "physnet" nor'),
    ('network_vlan_ranges = :1:2', 'is not a physical network name'),
    ('vni_ranges = 0:10', 'VNI 0 is outside 1..16777215'),
    ('vni_ranges = 10', 'is not "first_vni:last_vni"'),
    ('vni_ranges = a:b', "'a' is not an integer VNI"),
    ('tunnel_id_ranges = 1:4294967296', 'tunnel id 4294967296 is outside 1..4294967295'),
    ('tunnel_id_ranges = 5', 'is not "first_tunnel_id:last_tunnel_id"'),
    ('geneve_vni_ranges = 1:16777216', 'VNI 16777216 is outside 1..16777215'),
    ('tenant_network_types = vxlan,stt', 'stt'),
    ('mechanism_driver = ovn', 'ovn'),
])
def test_invalid_options_fail_with_a_message_naming_them(tmp_path, line, message):
    conf = conf_from(tmp_path, '[l2]\n%s\n' % line)
    with pytest.raises(ValueError) as caught:  # ConfigFileValueError is a ValueError
        loader.build(conf)
    assert message in str(caught.value)
    assert line.split(' =')[0] in str(caught.value)


def test_empty_tenant_network_types_is_refused(make_conf):
    with pytest.raises(ValueError, match='tenant_network_types'):
        loader.build(make_conf(**{'l2.tenant_network_types': []}))


def test_segment_for_network_tells_the_agent_what_to_wire(client):
    vlan = client.create_network(**{'provider:network_type': 'flat',
                                    'provider:physical_network': 'physnet9'})
    tenant = client.create_network()
    driver = client.services.l2_driver
    with client.services.db.reader() as session:
        assert driver.segment_for_network(session, vlan['id']) == {
            'network_type': 'flat', 'physical_network': 'physnet9', 'segmentation_id': None}
        assert driver.segment_for_network(session, tenant['id']) == {
            'network_type': 'vxlan', 'physical_network': None, 'segmentation_id': 1}
        assert driver.segment_for_network(session, 'no-such-network') is None


def test_the_free_id_search_is_one_query_whatever_the_range(client, statements):
    network_ids = [client.create_network()['id'] for _ in range(4)]
    with client.services.db.writer() as session:
        for network_id, vni in zip(network_ids, (101, 102, 103, 105)):
            session.execute(seg.SEGMENTS.insert().values(
                id='s%d' % vni, network_id=network_id, network_type='vxlan',
                physical_network='', segmentation_id=vni))
    with client.services.db.writer() as session:
        session.execute(sa.text('SELECT 1'))
        with statements() as counter:
            found = seg.lowest_free(session, 'vxlan', None, 101, 16000000)
        assert found == 104 and counter.count == 1
        assert seg.lowest_free(session, 'vxlan', None, 1, 16000000) == 5  # tenant nets have 1..4
        assert seg.lowest_free(session, 'vxlan', None, 101, 103) is None
        assert seg.lowest_free(session, 'vlan', 'physnet1', 101, 103) == 101


def test_the_sample_shows_every_l2_default():
    """[l2] list options check their items with a String type, so oslo-config-generator
    writes their defaults (a bare function once made it write warnings instead)."""
    sample = (pathlib.Path(__file__).resolve().parents[3] / 'etc' / 'netmgr.conf.sample')
    text = sample.read_text()
    assert 'Failed to format' not in text
    for line in ('#vni_ranges = 1:1000', '#tunnel_id_ranges = 1:1000',
                 '#geneve_vni_ranges = 1:1000', '#flat_networks = *'):
        assert line in text.splitlines()
