"""The one pipeline shared by REST and the Python API:
attribute map -> validation -> tenant -> policy -> service -> visible fields."""

from netmgr.api import attributes
from netmgr.api.definitions import ATTR_NOT_SPECIFIED
from netmgr.api import resources as api_resources
from netmgr import constants as const
from netmgr.db.queries import listing
from netmgr import exceptions


class Operations:
    def __init__(self, services, policy, conf, resources=None):
        self.services = services
        self.policy = policy
        self.conf = conf
        self.resources = resources or api_resources.RESOURCES

    # ---- helpers ---------------------------------------------------------------------------

    def info(self, collection):
        try:
            return self.resources[collection], self.services[collection]
        except KeyError:
            raise exceptions.ResourceNotFound(path=collection)

    def _visible(self, info, data, fields=None, names=None):
        if names is None:
            names = attributes.visible_fields(info.attributes, fields)
        return {k: data[k] for k in names if k in data}

    def _visible_names(self, context, info, fields=None):
        """Visible attributes minus those a get_<res>:<attr> rule hides from this caller.

        Such rules are judged once per request, on the caller's own project: they exist for
        role-based hiding (provider attributes are for admins), not per-row ownership."""
        names = attributes.visible_fields(info.attributes, fields)
        hidden = set()
        for name in names:
            rule = 'get_%s:%s' % (info.singular, name)
            if info.attributes[name].get('enforce_policy') and self.policy.has_rule(rule) \
                    and not self.policy.check_own(context, rule):
                hidden.add(name)
        return [n for n in names if n not in hidden]

    def _policy_overridden(self, action):
        return not self.policy.is_default(action)

    def _set_tenant(self, context, item):
        tenant = item.pop('tenant_id', None)
        project = item.pop('project_id', None)
        if tenant and project and tenant != project:
            raise exceptions.InvalidInput(error_message='tenant_id and project_id do not match')
        tenant = tenant or project or context.tenant_id
        if not tenant:
            raise exceptions.InvalidInput(
                error_message='Running without keystone AuthN requires that tenant_id is '
                              'specified')
        if tenant != context.tenant_id and not context.is_admin:
            raise exceptions.InvalidInput(
                error_message="Specifying 'tenant_id' other than the authenticated tenant in "
                              "request requires admin privileges")
        item['tenant_id'] = item['project_id'] = tenant

    def _network_facts(self, context, data):
        """Policy facts about the network a subnet or port hangs off (404 if not visible)."""
        if 'network_id' not in data:
            return {}
        network = self.services['networks'].facts(context, data['network_id'])
        return {'network:tenant_id': network['tenant_id'], 'network:shared': network['shared']}

    @staticmethod
    def _device_facts(data):
        owner = data.get('device_owner')
        if not isinstance(owner, str):
            return {}
        return {'network_device': owner.startswith(const.DEVICE_OWNER_PREFIX_NETWORK)}

    def _enforce_attrs(self, context, info, verb, given, target):
        for name in given:
            spec = info.attributes.get(name, {})
            if not spec.get('enforce_policy'):
                continue
            action = '%s_%s:%s' % (verb, info.singular, name)
            self.policy.enforce(context, action, target)
            # List-of-dict attributes (fixed_ips) may have rules per key, e.g. choosing an
            # address is stricter than choosing a subnet.
            value = target.get(name)
            keys = {k for item in value if isinstance(item, dict) for k in item} \
                if isinstance(value, list) else ()
            for key in sorted(keys):
                if self.policy.has_rule('%s:%s' % (action, key)):
                    self.policy.enforce(context, '%s:%s' % (action, key), target)

    @staticmethod
    def _unwrap(body, info, allow_bulk):
        if not isinstance(body, dict):
            raise exceptions.MalformedRequestBody(reason='the body must be a JSON object')
        if allow_bulk and info.collection in body and info.singular not in body:
            items = body[info.collection]
            if not isinstance(items, list) or not items:
                raise exceptions.MalformedRequestBody(
                    reason="'%s' must be a non-empty list" % info.collection)
            return items, True
        if info.singular not in body:
            raise exceptions.MalformedRequestBody(
                reason="unable to find '%s' in request body" % info.singular)
        return [body[info.singular]], False

    # ---- verbs -----------------------------------------------------------------------------

    def create(self, context, collection, body):
        info, service = self.info(collection)
        raw_items, bulk = self._unwrap(body, info, allow_bulk=True)
        items = []
        for raw in raw_items:
            item = attributes.prepare_create(info.attributes, raw)
            # As Neutron: a value equal to the attribute's default is not a choice to police
            # (a tenant may send floating_ip_address: null).
            given = [k for k in raw if raw[k] is not ATTR_NOT_SPECIFIED and not (
                'default' in info.attributes.get(k, {}) and
                item.get(k) == info.attributes[k]['default'])]
            self._set_tenant(context, item)
            target = dict(item, **self._network_facts(context, item))
            target.update(self._device_facts(item))
            self.policy.enforce(context, 'create_%s' % info.singular, target)
            self._enforce_attrs(context, info, 'create', given, target)
            items.append(item)
        created = service.create_bulk(context, items)
        names = self._visible_names(context, info)
        if bulk:
            return {info.collection: [self._visible(info, d, names=names) for d in created]}
        return {info.singular: self._visible(info, created[0], names=names)}

    def update(self, context, collection, resource_id, body):
        info, service = self.info(collection)
        raw = self._unwrap(body, info, allow_bulk=False)[0][0]
        data = attributes.prepare_update(info.attributes, raw)
        target = service.policy_target(context, resource_id)
        self._enforce_get(context, info, target)
        self.policy.enforce(context, 'update_%s' % info.singular, target)
        new_target = dict(target, **data)
        new_target.update(self._device_facts(new_target))
        self._enforce_attrs(context, info, 'update', list(data), new_target)
        updated = service.update(context, resource_id, data)
        return {info.singular: self._visible(info, updated,
                                             names=self._visible_names(context, info))}

    def authorize_update(self, context, collection, resource_id):
        """Policy for an update done outside the attribute map (e.g. a subnet's IP policy)."""
        info, service = self.info(collection)
        target = service.policy_target(context, resource_id)
        self._enforce_get(context, info, target)
        self.policy.enforce(context, 'update_%s' % info.singular, target)

    def action(self, context, collection, resource_id, action, body):
        """A member action such as PUT routers/<id>/add_router_interface; the policy rule is
        named after the action, as in Neutron."""
        info, service = self.info(collection)
        if action not in info.actions:
            raise exceptions.ResourceNotFound(path='%s/%s/%s' % (collection, resource_id,
                                                                 action))
        if not isinstance(body, dict):
            raise exceptions.MalformedRequestBody(reason='the body must be a JSON object')
        target = service.policy_target(context, resource_id)
        self._enforce_get(context, info, target)
        self.policy.enforce(context, action, target)
        return service.perform_action(context, resource_id, action, body)

    def delete(self, context, collection, resource_id):
        info, service = self.info(collection)
        target = service.policy_target(context, resource_id)
        self._enforce_get(context, info, target)
        self.policy.enforce(context, 'delete_%s' % info.singular, target)
        service.delete(context, resource_id)

    def _enforce_get(self, context, info, target):
        """Only needed when an operator changed get_<res>: the services' SQL scoping already
        matches the default rules. A denied get is a 404, as if the resource did not exist."""
        action = 'get_%s' % info.singular
        if self._policy_overridden(action) and not self.policy.check(context, action, target):
            raise self.services[info.collection].not_found(target['id'])

    def show(self, context, collection, resource_id, fields=None):
        info, service = self.info(collection)
        if self._policy_overridden('get_%s' % info.singular):
            self._enforce_get(context, info, service.policy_target(context, resource_id))
        return {info.singular: self._visible(info, service.get(context, resource_id),
                                             names=self._visible_names(context, info, fields))}

    def list(self, context, collection, filters=None, fields=None, sorts=None, limit=None,
             marker=None, page_reverse=False):
        """Returns (items, has_more)."""
        info, service = self.info(collection)
        max_limit = self.conf.pagination_max_limit
        if max_limit > 0 and (limit is None or limit > max_limit):
            limit = max_limit
        sorts = list(sorts or [])
        listing.check_sort_keys(info.attributes, sorts)
        query = listing.ListQuery(
            filters=attributes.parse_filters(info.attributes, dict(filters or {})),
            fields=list(fields or []), sorts=sorts,
            limit=None if limit is None else limit + 1, marker=marker,
            page_reverse=page_reverse)
        found = service.list(context, query)
        action = 'get_%s' % info.singular
        if self._policy_overridden(action):
            found = [d for d in found if self.policy.check(context, action, self._target(
                context, service, d))]
        has_more = limit is not None and len(found) > limit
        if has_more:
            found = found[:limit]
        if page_reverse:
            found.reverse()
        names = self._visible_names(context, info, fields)
        return [self._visible(info, d, names=names) for d in found], has_more

    @staticmethod
    def _target(context, service, data):
        return service.policy_target(context, data['id'])
