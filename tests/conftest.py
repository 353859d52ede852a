pytest_plugins = ['tests.fixtures.databases', 'tests.fixtures.rabbit', 'tests.fixtures.server']
