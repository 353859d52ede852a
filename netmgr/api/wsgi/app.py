"""Assemble the WSGI application from configuration."""

from netmgr.api.wsgi import auth
from netmgr.api.wsgi import router
from netmgr import client
from netmgr import constants as const


def build_app(conf, db=None, built=None):
    """``built``: (operations, services) already made by the caller (to share them with the
    worker's RPC server)."""
    ops, services = built or client.build_operations(conf, db)
    api = router.ApiRouter(ops, conf, auth.context_builder(conf), quotas=services.quotas)
    if conf.auth_strategy == const.AUTH_KEYSTONE:
        from keystonemiddleware import auth_token
        api = auth_token.AuthProtocol(api, {'oslo_config_config': conf})
    return router.RootApp(api)
