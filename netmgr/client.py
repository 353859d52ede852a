"""The in-process Python API: the same operations as REST, without HTTP.

    client = netmgr.wiring.build_client(conf, context.admin_context('demo'))
    net = client.create_network(name='net1')
"""


class Client:
    def __init__(self, operations, context, services=None):
        self.ops = operations
        self.context = context
        self.services = services

    def as_context(self, context):
        """The same wiring, acting for another tenant or user."""
        return Client(self.ops, context, self.services)

    # ---- generic verbs --------------------------------------------------------------------

    def create(self, collection, singular, attrs):
        return self.ops.create(self.context, collection, {singular: attrs})[singular]

    def create_bulk(self, collection, items):
        return self.ops.create(self.context, collection, {collection: items})[collection]

    def show(self, collection, singular, resource_id, fields=None):
        return self.ops.show(self.context, collection, resource_id, fields)[singular]

    def update(self, collection, singular, resource_id, attrs):
        return self.ops.update(self.context, collection, resource_id,
                               {singular: attrs})[singular]

    def delete(self, collection, resource_id):
        self.ops.delete(self.context, collection, resource_id)

    def list(self, collection, fields=None, sorts=None, limit=None, marker=None, **filters):
        query = {k: v if isinstance(v, list) else [v] for k, v in filters.items()}
        items, _more = self.ops.list(self.context, collection, query, fields, sorts, limit,
                                     marker)
        return items

    # ---- networks, subnets, ports -----------------------------------------------------------

    def create_network(self, **attrs):
        return self.create('networks', 'network', attrs)

    def show_network(self, network_id, fields=None):
        return self.show('networks', 'network', network_id, fields)

    def update_network(self, network_id, **attrs):
        return self.update('networks', 'network', network_id, attrs)

    def delete_network(self, network_id):
        self.delete('networks', network_id)

    def list_networks(self, **filters):
        return self.list('networks', **filters)

    def create_subnet(self, **attrs):
        return self.create('subnets', 'subnet', attrs)

    def show_subnet(self, subnet_id, fields=None):
        return self.show('subnets', 'subnet', subnet_id, fields)

    def update_subnet(self, subnet_id, **attrs):
        return self.update('subnets', 'subnet', subnet_id, attrs)

    def delete_subnet(self, subnet_id):
        self.delete('subnets', subnet_id)

    def list_subnets(self, **filters):
        return self.list('subnets', **filters)

    def create_port(self, **attrs):
        return self.create('ports', 'port', attrs)

    def show_port(self, port_id, fields=None):
        return self.show('ports', 'port', port_id, fields)

    def update_port(self, port_id, **attrs):
        return self.update('ports', 'port', port_id, attrs)

    def delete_port(self, port_id):
        self.delete('ports', port_id)

    def list_ports(self, **filters):
        return self.list('ports', **filters)

    # ---- routers ----------------------------------------------------------------------------

    def create_router(self, **attrs):
        return self.create('routers', 'router', attrs)

    def show_router(self, router_id, fields=None):
        return self.show('routers', 'router', router_id, fields)

    def update_router(self, router_id, **attrs):
        return self.update('routers', 'router', router_id, attrs)

    def delete_router(self, router_id):
        self.delete('routers', router_id)

    def list_routers(self, **filters):
        return self.list('routers', **filters)

    def add_router_interface(self, router_id, subnet_id=None, port_id=None):
        return self._router_action(router_id, 'add_router_interface', subnet_id, port_id)

    def remove_router_interface(self, router_id, subnet_id=None, port_id=None):
        return self._router_action(router_id, 'remove_router_interface', subnet_id, port_id)

    def _router_action(self, router_id, action, subnet_id, port_id):
        body = {k: v for k, v in (('subnet_id', subnet_id), ('port_id', port_id)) if v}
        return self.ops.action(self.context, 'routers', router_id, action, body)

    # ---- floating IPs ------------------------------------------------------------------------

    def create_floatingip(self, **attrs):
        return self.create('floatingips', 'floatingip', attrs)

    def show_floatingip(self, floatingip_id, fields=None):
        return self.show('floatingips', 'floatingip', floatingip_id, fields)

    def update_floatingip(self, floatingip_id, **attrs):
        return self.update('floatingips', 'floatingip', floatingip_id, attrs)

    def delete_floatingip(self, floatingip_id):
        self.delete('floatingips', floatingip_id)

    def list_floatingips(self, **filters):
        return self.list('floatingips', **filters)

    # ---- security groups ---------------------------------------------------------------------

    def create_security_group(self, **attrs):
        return self.create('security_groups', 'security_group', attrs)

    def show_security_group(self, group_id, fields=None):
        return self.show('security_groups', 'security_group', group_id, fields)

    def update_security_group(self, group_id, **attrs):
        return self.update('security_groups', 'security_group', group_id, attrs)

    def delete_security_group(self, group_id):
        self.delete('security_groups', group_id)

    def list_security_groups(self, **filters):
        return self.list('security_groups', **filters)

    def create_security_group_rule(self, **attrs):
        return self.create('security_group_rules', 'security_group_rule', attrs)

    def create_security_group_rules(self, items):
        return self.create_bulk('security_group_rules', items)

    def show_security_group_rule(self, rule_id, fields=None):
        return self.show('security_group_rules', 'security_group_rule', rule_id, fields)

    def delete_security_group_rule(self, rule_id):
        self.delete('security_group_rules', rule_id)

    def list_security_group_rules(self, **filters):
        return self.list('security_group_rules', **filters)

    # ---- Melange extras ---------------------------------------------------------------------

    def set_ip_policy(self, subnet_id, policy):
        """Replace a subnet's IP policy (netmgr.ipam.requests.IPPolicy); admin or owner."""
        self.ops.authorize_update(self.context, 'subnets', subnet_id)
        self.services.subnets.set_ip_policy(self.context, subnet_id, policy)

    def get_ip_policy(self, subnet_id):
        return self.services.subnets.get_ip_policy(self.context, subnet_id)

    def count_free_ips(self, subnet_id):
        return self.services.subnets.count_free_ips(self.context, subnet_id)
