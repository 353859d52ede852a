"""quotas, quota_details, quota-check-limit: extension descriptors (the API is in
netmgr.api.wsgi.quotas_controller, the rules in netmgr.services.quotas)."""

EXTENSIONS = [
    {'alias': 'quotas', 'name': 'Quota management support',
     'description': 'Expose functions for quotas management per project'},
    {'alias': 'quota_details', 'name': 'Quota details management support',
     'description': 'Expose functions for quotas usage statistics per project'},
    {'alias': 'quota-check-limit', 'name': 'Quota engine limit check',
     'description': 'Support for checking the resource usage before applying a new quota '
                    'limit'},
]
