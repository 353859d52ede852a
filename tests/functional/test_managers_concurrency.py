"""First boots racing on SQLite, MariaDB and PostgreSQL: nova-computes (each its own manager
and database connections) booting instances of one project at once end up on one network with
one subnet, and every boot gets it."""

import threading

import pytest

from netmgr import conf as nm_conf
from netmgr.conf import nova_network
from netmgr import context as nm_context
from netmgr.db import api as db_api
from netmgr import managers
from netmgr import wiring

pytestmark = pytest.mark.functional

COMPUTES, BOOTS_EACH = 4, 2


def _conf(options):
    conf = nm_conf.new_conf(**{'l2.network_vlan_ranges': ['physnet1']})
    nova_network.register(conf)
    for name, value in options.items():
        conf.set_override(name, value)
    return conf


@pytest.mark.parametrize('cls, options', [
    (managers.VlanManager, {'physical_network': 'physnet1', 'num_networks': 8}),
    (managers.FlatDHCPManager, {}),     # local: nothing but the managers themselves settles it
])
def test_first_boots_of_one_project_at_once_make_one_network(db_url, cls, options):
    conf = _conf(options)
    databases = [db_api.Database(db_url) for _ in range(COMPUTES)]
    admin = nm_context.admin_context('admin')
    computes = [cls(conf, wiring.build_client(conf, admin, db=db)) for db in databases]
    start = threading.Barrier(COMPUTES * BOOTS_EACH)
    results, errors = [], []

    def boot(manager):
        start.wait()
        try:
            results.append(manager.networks_for_project('pa')[0]['id'])
        except Exception as exc:
            errors.append(exc)
    threads = [threading.Thread(target=boot, args=(m,)) for m in computes * BOOTS_EACH]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert errors == []
        assert len(results) == COMPUTES * BOOTS_EACH and len(set(results)) == 1
        client = computes[0].client
        assert [n['id'] for n in client.list_networks()] == results[:1]
        assert [s['network_id'] for s in client.list_subnets()] == results[:1]
    finally:
        for db in databases:
            db.dispose()
