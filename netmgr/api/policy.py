"""Authorization with oslo.policy; the defaults live here in code.

Targets carry the resource's own attributes plus ``network:tenant_id`` and ``network:shared``
for resources that hang off a network, so rules can speak of the network's owner.
"""

from oslo_policy import policy as oslo_policy

from netmgr import exceptions

RULE_DEFAULTS = [
    ('context_is_admin', 'role:admin'),
    ('owner', 'tenant_id:%(tenant_id)s'),
    ('admin_or_owner', 'rule:context_is_admin or rule:owner'),
    ('admin_only', 'rule:context_is_admin'),
    ('network_owner', 'tenant_id:%(network:tenant_id)s'),
    ('admin_or_network_owner', 'rule:context_is_admin or rule:network_owner'),
    ('shared', 'True:%(shared)s'),
    ('external', 'True:%(router:external)s'),
    ('network_shared', 'True:%(network:shared)s'),
    # Set by the pipeline: the port's device_owner starts with 'network:'.
    ('network_device', 'True:%(network_device)s'),

    ('create_network', ''),
    ('create_network:shared', 'rule:admin_only'),
    ('create_network:router:external', 'rule:admin_only'),
    ('get_network', 'rule:admin_or_owner or rule:shared or rule:external'),
    ('update_network', 'rule:admin_or_owner'),
    ('update_network:shared', 'rule:admin_only'),
    ('update_network:router:external', 'rule:admin_only'),
    ('delete_network', 'rule:admin_or_owner'),
    ('create_network:provider:network_type', 'rule:admin_only'),
    ('create_network:provider:physical_network', 'rule:admin_only'),
    ('create_network:provider:segmentation_id', 'rule:admin_only'),
    ('get_network:provider:network_type', 'rule:admin_only'),
    ('get_network:provider:physical_network', 'rule:admin_only'),
    ('get_network:provider:segmentation_id', 'rule:admin_only'),
    ('update_network:provider:network_type', 'rule:admin_only'),
    ('update_network:provider:physical_network', 'rule:admin_only'),
    ('update_network:provider:segmentation_id', 'rule:admin_only'),

    ('create_subnet', 'rule:admin_or_network_owner'),
    ('get_subnet', 'rule:admin_or_owner or rule:network_shared'),
    ('update_subnet', 'rule:admin_or_network_owner'),
    ('delete_subnet', 'rule:admin_or_network_owner'),

    ('create_port', ''),
    ('create_port:mac_address', 'rule:admin_or_network_owner'),
    ('create_port:fixed_ips', 'rule:admin_or_network_owner or rule:network_shared'),
    ('create_port:fixed_ips:ip_address', 'rule:admin_or_network_owner'),
    ('create_port:fixed_ips:subnet_id', 'rule:admin_or_network_owner or rule:network_shared'),
    ('create_port:device_owner', 'rule:admin_or_network_owner or not rule:network_device'),
    ('get_port', 'rule:admin_or_owner or rule:admin_or_network_owner'),
    ('update_port', 'rule:admin_or_owner or rule:admin_or_network_owner'),
    ('update_port:fixed_ips', 'rule:admin_or_network_owner or rule:network_shared'),
    ('update_port:fixed_ips:ip_address', 'rule:admin_or_network_owner'),
    ('update_port:fixed_ips:subnet_id', 'rule:admin_or_network_owner or rule:network_shared'),
    ('update_port:device_owner', 'rule:admin_or_network_owner or not rule:network_device'),
    ('delete_port', 'rule:admin_or_owner or rule:admin_or_network_owner'),

    ('create_network:port_security_enabled', ''),
    ('update_network:port_security_enabled', 'rule:admin_or_owner'),
    ('create_port:port_security_enabled', 'rule:admin_or_network_owner'),
    ('update_port:port_security_enabled', 'rule:admin_or_network_owner'),
    ('create_port:allowed_address_pairs', 'rule:admin_or_network_owner'),
    ('update_port:allowed_address_pairs', 'rule:admin_or_network_owner'),
    ('create_security_group', 'rule:admin_or_owner'),
    ('get_security_group', 'rule:admin_or_owner'),
    ('update_security_group', 'rule:admin_or_owner'),
    ('delete_security_group', 'rule:admin_or_owner'),
    ('create_security_group_rule', 'rule:admin_or_owner'),
    ('get_security_group_rule', 'rule:admin_or_owner'),
    ('update_security_group_rule', 'rule:admin_or_owner'),
    ('delete_security_group_rule', 'rule:admin_or_owner'),

    ('create_router', 'rule:admin_or_owner'),
    ('create_router:external_gateway_info', 'rule:admin_or_owner'),
    # The :<key> rules below are checked by the router service when the gateway info names
    # that key.
    ('create_router:external_gateway_info:enable_snat', 'rule:admin_only'),
    ('create_router:external_gateway_info:external_fixed_ips', 'rule:admin_only'),
    ('get_router', 'rule:admin_or_owner'),
    ('update_router', 'rule:admin_or_owner'),
    ('update_router:external_gateway_info', 'rule:admin_or_owner'),
    ('update_router:external_gateway_info:enable_snat', 'rule:admin_only'),
    ('update_router:external_gateway_info:external_fixed_ips', 'rule:admin_only'),
    ('delete_router', 'rule:admin_or_owner'),
    ('add_router_interface', 'rule:admin_or_owner'),
    ('remove_router_interface', 'rule:admin_or_owner'),

    ('create_floatingip', 'rule:admin_or_owner'),
    ('create_floatingip:floating_ip_address', 'rule:admin_only'),
    ('get_floatingip', 'rule:admin_or_owner'),
    ('update_floatingip', 'rule:admin_or_owner'),
    ('delete_floatingip', 'rule:admin_or_owner'),

    ('create_port:binding:host_id', 'rule:admin_only'),
    ('create_port:binding:profile', 'rule:admin_only'),
    ('create_port:binding:vnic_type', 'rule:admin_or_owner'),
    ('update_port:binding:host_id', 'rule:admin_only'),
    ('update_port:binding:profile', 'rule:admin_only'),
    ('update_port:binding:vnic_type', 'rule:admin_or_owner'),
    ('get_port:binding:host_id', 'rule:admin_only'),
    ('get_port:binding:vif_type', 'rule:admin_only'),
    ('get_port:binding:vif_details', 'rule:admin_only'),
    ('get_port:binding:profile', 'rule:admin_only'),

    ('get_agent', 'rule:admin_only'),
    ('update_agent', 'rule:admin_only'),
    ('delete_agent', 'rule:admin_only'),

    ('get_quota', 'rule:admin_only'),
    ('update_quota', 'rule:admin_only'),
    ('delete_quota', 'rule:admin_only'),
]


def _describe(name):
    if ':' in name:
        action, _, attribute = name.partition(':')
        return 'Set %s in %s' % (attribute.replace(':', ' '), action.replace('_', ' '))
    verb, _, resource = name.partition('_')
    if verb in ('create', 'get', 'update', 'delete', 'add', 'remove'):
        return '%s a %s' % (verb.capitalize(), resource.replace('_', ' '))
    return 'Building block: %s' % name.replace('_', ' ')


def list_rules():
    """Entry point for oslopolicy-sample-generator and the Enforcer."""
    return [oslo_policy.RuleDefault(name, check, description=_describe(name))
            for name, check in RULE_DEFAULTS]


OWN_CACHE_SIZE = 4096


class PolicyEngine:
    def __init__(self, conf):
        self._enforcer = oslo_policy.Enforcer(conf)
        self._enforcer.register_defaults(list_rules())
        self._enforcer.load_rules()
        self._own_rules, self._own_cache = None, {}

    def check(self, context, action, target):
        return self._enforcer.enforce(action, target, context.to_policy_values())

    def enforce(self, context, action, target):
        if not self.check(context, action, target):
            raise exceptions.PolicyNotAuthorized(action=action)

    def has_rule(self, action):
        return action in self._enforcer.rules

    def check_own(self, context, action):
        """The rule judged on the caller's own project: the same answer for every request of
        the same credentials, so it is remembered until the rules change (reloaded file)."""
        rules = self._enforcer.rules
        if rules is not self._own_rules:
            self._own_rules, self._own_cache = rules, {}
        key = (action, context.user_id, context.tenant_id, context.roles, context.is_admin)
        answer = self._own_cache.get(key)
        if answer is None:
            if len(self._own_cache) >= OWN_CACHE_SIZE:
                self._own_cache.clear()
            answer = self._own_cache[key] = bool(
                self.check(context, action, {'tenant_id': context.tenant_id}))
        return answer

    def is_default(self, action):
        """True when the operator has not overridden the rule (lists can rely on SQL scoping)."""
        self._enforcer.load_rules()
        rule = self._enforcer.rules.get(action)
        default = self._enforcer.registered_rules.get(action)
        return rule is not None and default is not None and str(rule) == str(default.check)
