"""security_group_rules (URL security-group-rules), the second collection of
'security-group'."""

from netmgr.api.definitions import common
from netmgr.api import converters
from netmgr import constants as const

EXTENSION = None
RESOURCE = 'security_group_rule'
COLLECTION = 'security_group_rules'
PATH = 'security-group-rules'


def _filterable(**spec):
    return dict(spec, is_visible=True, is_filter=True, is_sort_key=True)


RESOURCE_ATTRIBUTE_MAP = {
    COLLECTION: {
        'id': common.id_attr(),
        'tenant_id': common.project_attr(),
        'project_id': common.project_attr(),
        'description': common.description_attr(),
        'created_at': common.timestamp_attr(),
        'updated_at': common.timestamp_attr(),
        'security_group_id': _filterable(allow_post=True, allow_put=False,
                                         validate={'type:uuid': None},
                                         required_by_policy=True),
        'remote_group_id': _filterable(allow_post=True, allow_put=False, default=None,
                                       validate={'type:uuid_or_none': None}),
        'direction': _filterable(allow_post=True, allow_put=False,
                                 validate={'type:values': [const.INGRESS, const.EGRESS]}),
        'protocol': _filterable(allow_post=True, allow_put=False, default=None,
                                convert_to=converters.convert_protocol),
        'port_range_min': _filterable(allow_post=True, allow_put=False, default=None,
                                      convert_to=converters.convert_port_value),
        'port_range_max': _filterable(allow_post=True, allow_put=False, default=None,
                                      convert_to=converters.convert_port_value),
        'ethertype': _filterable(allow_post=True, allow_put=False, default=const.IPV4,
                                 convert_to=converters.convert_ethertype,
                                 validate={'type:values': list(converters.ETHERTYPES)}),
        'remote_ip_prefix': _filterable(allow_post=True, allow_put=False, default=None,
                                        convert_to=converters.convert_ip_prefix),
    },
}
