# Modules that other fixture modules import come first, so pytest rewrites their asserts.
pytest_plugins = ['tests.fixtures.server', 'tests.fixtures.rabbit', 'tests.fixtures.netlab',
                  'tests.fixtures.agents', 'tests.fixtures.databases',
                  'tests.fixtures.openstack_cli', 'tests.fixtures.ovs_hosts']
