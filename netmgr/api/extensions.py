"""Extensions this server supports, as GET /v2.0/extensions lists them (Neutron aliases)."""

from netmgr.api.definitions import quotas as quotas_def
from netmgr.api import resources

UPDATED = '2026-11-21T00:00:00-00:00'


def _ext(alias, name, description):
    return {'alias': alias, 'name': name, 'description': description,
            'updated': UPDATED, 'links': []}


SUPPORTED = [
    _ext('pagination', 'Pagination support', 'Extension that indicates that pagination is '
         'enabled.'),
    _ext('sorting', 'Sorting support', 'Extension that indicates that sorting is enabled.'),
    _ext('project-id', 'project_id field enabled', 'Extension that indicates that project_id '
         'field is enabled.'),
    _ext('standard-attr-description', 'standard-attr-description', 'Extension to add '
         'descriptions to standard attributes'),
    _ext('standard-attr-timestamp', 'Resource timestamps', 'Adds created_at and updated_at '
         'fields to all Neutron resources that have Neutron standard attributes.'),
    _ext('filter-validation', 'Filter parameters validation', 'Provides validation on '
         'filter parameters.'),
]


SUPPORTED += [dict(ext, updated=UPDATED, links=[])
              for ext in [module.EXTENSION for module in resources.EXTENSIONS
                          if module.EXTENSION is not None] +
              quotas_def.EXTENSIONS]


def by_alias(alias, supported=None):
    for ext in supported or SUPPORTED:
        if ext['alias'] == alias:
            return ext
    return None
