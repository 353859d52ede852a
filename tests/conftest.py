pytest_plugins = ['tests.fixtures.agents', 'tests.fixtures.databases', 'tests.fixtures.netlab',
                  'tests.fixtures.openstack_cli', 'tests.fixtures.ovs_hosts',
                  'tests.fixtures.rabbit', 'tests.fixtures.server']
