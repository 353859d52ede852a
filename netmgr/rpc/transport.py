"""One place that builds oslo.messaging transports, clients and servers for netmgr.

Contexts cross the wire as plain dicts (RequestContext is rebuilt on the other side); payloads
are primitives. Servers use the threading executor, which is green under eventlet's
monkey-patching and real threads otherwise.
"""

import oslo_messaging

from netmgr import context as nm_context


def get_transport(conf, url=None):
    """The transport of ``transport_url`` (netmgr.conf registers it with netmgr's exchange
    as the default control_exchange)."""
    return oslo_messaging.get_rpc_transport(conf, url=url)


class ContextSerializer(oslo_messaging.NoOpSerializer):
    def serialize_context(self, context):
        if context is None:
            return {}
        return {'user_id': context.user_id, 'tenant_id': context.tenant_id,
                'roles': list(context.roles), 'is_admin': context.is_admin,
                'request_id': context.request_id}

    def deserialize_context(self, context):
        if not context:
            return nm_context.admin_context()
        return nm_context.RequestContext(
            user_id=context.get('user_id'), tenant_id=context.get('tenant_id'),
            roles=tuple(context.get('roles') or ()), is_admin=bool(context.get('is_admin')),
            request_id=context.get('request_id') or nm_context.admin_context().request_id)


def get_client(transport, topic, version, fanout=False, timeout=None):
    target = oslo_messaging.Target(topic=topic, version=version, fanout=fanout)
    return oslo_messaging.get_rpc_client(transport, target, serializer=ContextSerializer(),
                                         timeout=timeout)


def get_server(transport, topic, host, endpoints):
    """An RPC server consuming ``topic`` (shared queue), ``topic.host`` and the topic's
    fanout; the caller starts and stops it."""
    target = oslo_messaging.Target(topic=topic, server=host)
    return oslo_messaging.get_rpc_server(
        transport, target, endpoints, executor='threading', serializer=ContextSerializer(),
        access_policy=oslo_messaging.DefaultRPCAccessPolicy)
