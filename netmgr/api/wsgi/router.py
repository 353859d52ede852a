"""Paths -> controller calls. Every path may end in '.json' (the quantum CLI's habit)."""

import webob

from netmgr.api import extensions
from netmgr.api.wsgi import controller as api_controller
from netmgr.api.wsgi import faults
from netmgr.api.wsgi import quotas_controller
from netmgr.api.wsgi import request_parsing
from netmgr import constants as const
from netmgr import exceptions

PREFIX = '/' + const.API_VERSION


def version_document(request):
    href = request.host_url + PREFIX + '/'
    return {'versions': [{'id': const.API_VERSION, 'status': 'CURRENT',
                          'links': [{'rel': 'self', 'href': href}]}]}


class ApiRouter:
    """The /v2.0 API. ``context_from`` turns a request into a RequestContext."""

    def __init__(self, operations, conf, context_from, quotas=None):
        self.ops = operations
        self.quotas = quotas_controller.QuotasController(quotas, conf) if quotas else None
        self.controller = api_controller.ResourceController(operations, conf)
        self.context_from = context_from

    def __call__(self, environ, start_response):
        request = webob.Request(environ)
        request_id = None
        try:
            context = self.context_from(request)
            request_id = context.request_id
            response = self.dispatch(request, context)
        except Exception as exc:  # every error becomes a NeutronError body
            response = faults.to_response(exc, request_id)
        return response(environ, start_response)

    def dispatch(self, request, context):
        request_parsing.check_url(request)
        path = request.path_info
        if path.endswith('.json'):
            path = path[:-len('.json')]
        parts = [p for p in path[len(PREFIX):].split('/') if p]
        method = request.method
        if not parts:
            return self._only(method, 'GET', path) or faults.json_response(
                200, self._resources(request), context.request_id)
        if parts[0] == 'extensions':
            return self._only(method, 'GET', path) or self._extensions(parts[1:], context)
        if parts[0] == quotas_controller.COLLECTION and self.quotas is not None:
            return self.quotas.dispatch(request, context, parts)
        collection = self._collection_of(parts[0])
        self.ops.info(collection)  # 404 for unknown collections
        if len(parts) == 1:
            if method == 'GET':
                return self.controller.index(request, context, collection)
            if method == 'POST' and self._creatable(collection):
                return self.controller.create(request, context, collection)
        elif len(parts) == 2:
            handler = {'GET': self.controller.show, 'PUT': self.controller.update,
                       'DELETE': self.controller.delete}.get(method)
            if handler is not None:
                return handler(request, context, collection, parts[1])
        elif len(parts) == 3 and parts[2] in self.ops.resources[collection].actions:
            if method == self.ops.resources[collection].actions[parts[2]]:
                return self.controller.action(request, context, collection, parts[1],
                                              parts[2])
        else:
            raise exceptions.ResourceNotFound(path=path)
        raise exceptions.MethodNotAllowed(method=method, path=path)

    def _collection_of(self, url_name):
        """The collection a URL names: 'security-groups' is the body's 'security_groups'.
        A collection is reachable under its URL name only."""
        for info in self.ops.resources.values():
            if info.url_name == url_name:
                return info.collection
        raise exceptions.ResourceNotFound(path=url_name)

    def _creatable(self, collection):
        """Collections whose members nobody creates through the API (agents) answer 405."""
        return any(spec.get('allow_post')
                   for spec in self.ops.resources[collection].attributes.values())

    @staticmethod
    def _only(method, allowed, path):
        if method != allowed:
            raise exceptions.MethodNotAllowed(method=method, path=path)
        return None

    def _resources(self, request):
        base = request.host_url + PREFIX + '/'
        return {'resources': [
            {'name': info.singular, 'collection': info.collection,
             'links': [{'rel': 'self', 'href': base + info.url_name}]}
            for info in self.ops.resources.values()]}

    @staticmethod
    def _extensions(parts, context):
        if not parts:
            return faults.json_response(200, {'extensions': extensions.SUPPORTED},
                                        context.request_id)
        ext = extensions.by_alias(parts[0]) if len(parts) == 1 else None
        if ext is None:
            raise exceptions.ExtensionNotFound(alias='/'.join(parts))
        return faults.json_response(200, {'extension': ext}, context.request_id)


class RootApp:
    """'/' answers the version document without authentication; the rest goes to the API."""

    def __init__(self, api_app):
        self.api_app = api_app

    def __call__(self, environ, start_response):
        path = environ.get('PATH_INFO', '') or '/'
        if path in ('/', '/.json'):
            request = webob.Request(environ)
            if request.method != 'GET':
                response = faults.to_response(exceptions.MethodNotAllowed(
                    method=request.method, path=path))
            else:
                response = faults.json_response(200, version_document(request))
            return response(environ, start_response)
        if not (path == PREFIX or path.startswith(PREFIX + '/') or
                path == PREFIX + '.json'):
            response = faults.to_response(exceptions.ResourceNotFound(path=path))
            return response(environ, start_response)
        return self.api_app(environ, start_response)
