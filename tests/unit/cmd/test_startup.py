"""Every command warns, once per option, about options its config files set in a group it
knows but under a name no code registered; unknown groups and deprecated names are fine."""

import logging

from oslo_config import cfg

from netmgr.cmd import startup
from netmgr.conf import nova_network

AGENT_CONF = """
[DEFAULT]
host = compute-1
transport_url = rabbit://guest:guest@127.0.0.1:5672/
core_plugin = ml2
fixed_range_v4 = 10.0.0.0/16

[OVS]
local_ipp = 192.0.2.1
integration_bridge = br-int

[agent]
tunnel_types = vxlan
l2_population = true

[ml2]
mechanism_drivers = openvswitch

[securitygroup]
firewall_driver = noop

[l2]
mechanism_drivers = openvswitch
"""


def test_unknown_options_of_known_groups_are_warned_about(tmp_path, caplog):
    path = tmp_path / 'agent.conf'
    path.write_text(AGENT_CONF)
    more = tmp_path / 'conf.d'
    more.mkdir()
    (more / '10-extra.conf').write_text('[OVS]\nbridge_mapings = physnet1:br-eth1\n')
    (more / 'ignored.txt').write_text('[OVS]\nnot_read = 1\n')
    conf = cfg.ConfigOpts()
    nova_network.register(conf)     # as the Nova side does: fixed_range_v4 is its old name
    with caplog.at_level(logging.WARNING, logger=startup.LOG.name):
        startup.load_config(conf, ['--config-file', str(path), '--config-dir', str(more)])
    assert conf.OVS.integration_bridge == 'br-int'
    assert conf.fixed_range == '10.0.0.0/16'        # a deprecated name is known
    assert [r.getMessage() for r in caplog.records if r.name == startup.LOG.name] == [
        'unknown option [DEFAULT] core_plugin in %s: ignored' % path,
        'unknown option [OVS] local_ipp in %s: ignored' % path,
        'unknown option [securitygroup] firewall_driver in %s: ignored' % path,
        'unknown option [l2] mechanism_drivers in %s: ignored' % path,     # [ml2]'s name
        'unknown option [OVS] bridge_mapings in %s: ignored' % (more / '10-extra.conf')]


def test_without_config_files_nothing_is_read():
    conf = startup.load_config(cfg.ConfigOpts(), [])
    assert startup.config_files(conf) == []
    assert startup.unknown_options(conf) == []


def test_deprecated_names_count_only_for_options_registered():
    conf = startup.load_config(cfg.ConfigOpts(), [])
    assert 'fixed_range' not in startup.known_options(conf)['DEFAULT']
    assert 'fixed_range_v4' not in startup.known_options(conf)['DEFAULT']
