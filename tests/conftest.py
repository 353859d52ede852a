pytest_plugins = ['tests.fixtures.databases', 'tests.fixtures.openstack_cli',
                  'tests.fixtures.rabbit', 'tests.fixtures.server']
