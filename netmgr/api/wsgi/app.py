"""Assemble the WSGI application from configuration."""

from netmgr.api.wsgi import auth
from netmgr.api.wsgi import router
from netmgr import constants as const


def build_app(ops, services, conf):
    """The REST application over the pipeline ``ops`` and the ``services`` that
    netmgr.wiring built."""
    api = router.ApiRouter(ops, conf, auth.context_builder(conf), quotas=services.quotas)
    if conf.auth_strategy == const.AUTH_KEYSTONE:
        from keystonemiddleware import auth_token
        api = auth_token.AuthProtocol(api, {'oslo_config_config': conf})
    return router.RootApp(api)
