"""HTTP <-> QuotaService: Neutron's quotas and quota_details extensions.

    GET    /v2.0/quotas                        admin: projects with overrides
    GET    /v2.0/quotas/tenant | project       who am I: {"tenant": {"tenant_id": ...}}
    GET    /v2.0/quotas/{project_id}           {"quota": {"network": 10, ...}}, owner or admin
    GET    /v2.0/quotas/{project_id}/default   the configured defaults
    GET    /v2.0/quotas/{project_id}/details   {"quota": {"network": {limit, used, reserved}}}
    PUT    /v2.0/quotas/{project_id}           {"quota": {"network": 5}}, admin; 200 + quota
    DELETE /v2.0/quotas/{project_id}           admin: back to the defaults; 204

Any path may end in '.json'.
"""

from netmgr.api.wsgi import faults
from netmgr.api.wsgi import request_parsing
from netmgr import exceptions

COLLECTION = 'quotas'
RESOURCE = 'quota'
# Collection actions answering who the caller is (python-neutronclient's quota-show).
WHOAMI = {'tenant': 'tenant_id', 'project': 'project_id'}


def _strip_json(parts):
    parts = list(parts)
    if parts and parts[-1].endswith('.json'):
        parts[-1] = parts[-1][:-len('.json')]
    return [p for p in parts if p]


class QuotasController:
    def __init__(self, service, conf):
        self.service = service
        self.max_body = conf.max_request_body_size

    def dispatch(self, request, context, parts):
        """``parts``: the path below /v2.0 split on '/', starting with 'quotas'."""
        parts = _strip_json(parts)
        if not parts or parts[0] != COLLECTION or len(parts) > 3:
            raise exceptions.ResourceNotFound(path=request.path_info)
        method = request.method
        if len(parts) == 1:
            return self._only(request, 'GET') or self._ok(
                {COLLECTION: self.service.list(context)}, context)
        project_id = parts[1]
        if len(parts) == 3:
            action = parts[2]
            if action == 'default':
                return self._only(request, 'GET') or self._ok(
                    {RESOURCE: self.service.get_default(context, project_id)}, context)
            if action == 'details':
                return self._only(request, 'GET') or self._ok(
                    {RESOURCE: self.service.usage(context, project_id)}, context)
            raise exceptions.ResourceNotFound(path=request.path_info)
        if project_id in WHOAMI and method == 'GET':
            return self._whoami(project_id, context)
        if method == 'GET':
            return self._ok({RESOURCE: self.service.get(context, project_id)}, context)
        if method == 'PUT':
            return self._ok({RESOURCE: self.service.update(context, project_id,
                                                           self._quota_body(request))},
                            context)
        if method == 'DELETE':
            self.service.delete(context, project_id)
            return faults.json_response(204, None, context.request_id)
        raise exceptions.MethodNotAllowed(method=method, path=request.path_info)

    @staticmethod
    def _only(request, allowed):
        if request.method != allowed:
            raise exceptions.MethodNotAllowed(method=request.method, path=request.path_info)
        return None

    @staticmethod
    def _ok(body, context):
        return faults.json_response(200, body, context.request_id)

    def _whoami(self, key, context):
        if not context.tenant_id:
            raise exceptions.InvalidInput(error_message='Tenant-id was missing from quota '
                                                        'request')
        return self._ok({key: {WHOAMI[key]: context.tenant_id}}, context)

    def _quota_body(self, request):
        body = request_parsing.parse_body(request, self.max_body)
        if not isinstance(body, dict) or RESOURCE not in body:
            raise exceptions.MalformedRequestBody(
                reason="unable to find '%s' in request body" % RESOURCE)
        if not isinstance(body[RESOURCE], dict):
            raise exceptions.MalformedRequestBody(reason="'%s' must be an object" % RESOURCE)
        return body[RESOURCE]
