"""Attributes every resource shares (id, name, description, project, timestamps)."""

from netmgr.api import converters
from netmgr import constants as const


def id_attr():
    return {'allow_post': False, 'allow_put': False, 'validate': {'type:uuid': None},
            'is_visible': True, 'primary_key': True, 'is_filter': True, 'is_sort_key': True}


def name_attr():
    return {'allow_post': True, 'allow_put': True, 'default': '',
            'validate': {'type:string': const.NAME_MAX_LEN}, 'is_visible': True,
            'is_filter': True, 'is_sort_key': True}


def description_attr():
    return {'allow_post': True, 'allow_put': True, 'default': '',
            'validate': {'type:string': const.DESCRIPTION_MAX_LEN}, 'is_visible': True,
            'is_filter': True, 'is_sort_key': True}


def project_attr():
    return {'allow_post': True, 'allow_put': False,
            'validate': {'type:string': const.NAME_MAX_LEN}, 'required_by_policy': True,
            'is_visible': True, 'is_filter': True, 'is_sort_key': True}


def status_attr():
    return {'allow_post': False, 'allow_put': False, 'is_visible': True, 'is_filter': True,
            'is_sort_key': True}


def admin_state_attr():
    return {'allow_post': True, 'allow_put': True, 'default': True,
            'convert_to': converters.convert_to_boolean, 'validate': {'type:boolean': None},
            'is_visible': True, 'is_filter': True, 'is_sort_key': True}


def timestamp_attr():
    return {'allow_post': False, 'allow_put': False, 'is_visible': True, 'is_sort_key': True}


def standard_attrs():
    return {'id': id_attr(), 'name': name_attr(), 'description': description_attr(),
            'tenant_id': project_attr(), 'project_id': project_attr(),
            'created_at': timestamp_attr(), 'updated_at': timestamp_attr()}
