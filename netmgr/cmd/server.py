"""netmgr-server: the Quantum v2.0 REST API."""

import eventlet

eventlet.monkey_patch()

import gc  # noqa: E402
import logging  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402

from netmgr.api.wsgi import app as wsgi_app  # noqa: E402
from netmgr.api.wsgi import server as wsgi_server  # noqa: E402
from netmgr import conf as nm_conf  # noqa: E402
from netmgr.db import api as db_api  # noqa: E402
from netmgr.db import migration  # noqa: E402
from netmgr.drivers import loader as l2_loader  # noqa: E402
from netmgr import exceptions  # noqa: E402
from netmgr.rpc import transport as rpc_transport  # noqa: E402
from netmgr.services.rpc import server as rpc_server  # noqa: E402
from netmgr import wiring  # noqa: E402
from netmgr.cmd import startup  # noqa: E402

LOG = logging.getLogger('netmgr.server')


def build_worker(conf):
    """One worker's app; with rpc_enabled it also serves agent RPC on the same services."""
    app = _build_app(conf)
    # What lives as long as the worker (modules, the app, the ORM metadata) leaves the
    # collector's generations: a request making thousands of rows triggers full collections,
    # which then scan only that request's objects.
    gc.freeze()
    return app


def _build_app(conf):
    """The RPC server starts in its own (green) thread so the API answers while RabbitMQ is
    away."""
    if not conf.rpc_enabled:
        return wsgi_app.build_app(*wiring.build(conf), conf)
    transport = rpc_transport.get_transport(conf)
    ops, services = wiring.build(conf, transport=transport)
    rpc = rpc_server.RpcService(conf, services, transport=transport)
    threading.Thread(target=rpc.start, name='rpc-start', daemon=True).start()
    return wsgi_app.build_app(ops, services, conf)


def main(argv=None):
    conf = startup.load_config(nm_conf.CONF, argv)
    try:
        l2_loader.build(conf)   # every [l2] value parsed now: one clear line, no traceback
    except ValueError as exc:
        LOG.error('%s', exc)
        return 2
    db = db_api.Database.from_conf(conf)
    try:
        migration.check_schema(db.engine)
    except exceptions.SchemaOutOfDate as exc:
        LOG.error('%s', exc)
        return 2
    finally:
        db.dispose()
    server = wsgi_server.WsgiServer(lambda: build_worker(conf), conf.bind_host,
                                    conf.bind_port, conf.api_workers)
    server.serve_forever()
    return 0


if __name__ == '__main__':
    sys.exit(main())
