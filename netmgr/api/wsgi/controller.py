"""HTTP <-> operations for collections and members."""

import urllib.parse

from netmgr.api.wsgi import faults
from netmgr.api.wsgi import request_parsing


class ResourceController:
    def __init__(self, operations, conf):
        self.ops = operations
        self.max_body = conf.max_request_body_size
        self.max_limit = conf.pagination_max_limit

    def index(self, request, context, collection):
        filters, fields, sorts, limit, marker, reverse = \
            request_parsing.parse_list_params(request.GET)
        if self.max_limit > 0 and (limit is None or limit > self.max_limit):
            limit = self.max_limit  # a page cut short by the server still gets its links
        # The links name each page's first and last id, whether the client asked for id or
        # not (as Neutron does): fetch it and drop it again after.
        strip_id = bool(limit and fields and 'id' not in fields)
        items, has_more = self.ops.list(context, collection, filters,
                                        fields + ['id'] if strip_id else fields, sorts, limit,
                                        marker, reverse)
        body = {collection: items}
        if limit:
            body[collection + '_links'] = self._links(request, items, limit, marker,
                                                      reverse, has_more)
        if strip_id:
            for item in items:
                item.pop('id', None)
        return faults.json_response(200, body, context.request_id)

    @staticmethod
    def _links(request, items, limit, marker, reverse, has_more):
        params = [(k, v) for k, v in request.GET.items()
                  if k not in ('limit', 'marker', 'page_reverse')]
        base = request.path_url

        def link(rel, marker_id, page_reverse):
            query = params + [('limit', str(limit)), ('marker', marker_id)]
            if page_reverse:
                query.append(('page_reverse', 'True'))
            return {'rel': rel, 'href': base + '?' + urllib.parse.urlencode(query)}

        links = []
        if not items:
            return links
        more_forward = has_more if not reverse else marker is not None
        more_back = marker is not None if not reverse else has_more
        if more_forward:
            links.append(link('next', items[-1]['id'], False))
        if more_back:
            links.append(link('previous', items[0]['id'], True))
        return links

    def create(self, request, context, collection):
        body = request_parsing.parse_body(request, self.max_body)
        return faults.json_response(201, self.ops.create(context, collection, body),
                                    context.request_id)

    def show(self, request, context, collection, resource_id):
        fields = request_parsing.parse_fields(request.GET)
        return faults.json_response(
            200, self.ops.show(context, collection, resource_id, fields), context.request_id)

    def update(self, request, context, collection, resource_id):
        body = request_parsing.parse_body(request, self.max_body)
        return faults.json_response(
            200, self.ops.update(context, collection, resource_id, body), context.request_id)

    def action(self, request, context, collection, resource_id, action):
        body = request_parsing.parse_body(request, self.max_body)
        return faults.json_response(
            200, self.ops.action(context, collection, resource_id, action, body),
            context.request_id)

    def delete(self, request, context, collection, resource_id):
        self.ops.delete(context, collection, resource_id)
        return faults.json_response(204, None, context.request_id)
