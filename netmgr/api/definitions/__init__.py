"""One pure-data module per resource: its RESOURCE_ATTRIBUTE_MAP (and ACTION_MAP if any).

Keywords an attribute may carry are exactly ``ATTRIBUTE_KEYWORDS``; a unit test keeps it so.
"""

ATTRIBUTE_KEYWORDS = frozenset([
    'allow_post',          # may be given on create
    'allow_put',           # may be given on update
    'default',             # value when absent on create (absent key: attribute is required)
    'validate',            # {'type:<name>': arg}
    'convert_to',          # converter applied before validation
    'convert_list_to',     # converter applied to the list of values of a list filter
    'is_visible',          # returned to the client
    'is_filter',           # usable as a list filter
    'is_sort_key',         # usable as sort_key
    'required_by_policy',  # always fetched, policy needs it
    'enforce_policy',      # create_<res>:<attr> / update_<res>:<attr> rules apply
    'primary_key',
])

# Marks "the client gave nothing"; distinct from None, which clients send on purpose.
ATTR_NOT_SPECIFIED = object()
