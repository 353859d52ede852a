"""The error tree: every leaf renders its message and maps to a 4xx/5xx by its base only."""

import inspect

import pytest

from netmgr.api.wsgi import faults
from netmgr import exceptions

LEAVES = [cls for _name, cls in inspect.getmembers(exceptions, inspect.isclass)
          if issubclass(cls, exceptions.NetmgrException)]


def _sample_kwargs(cls):
    import re
    return {name: 'x' for name in re.findall(r'%\((\w+)\)s', cls.message)}


@pytest.mark.parametrize('cls', LEAVES, ids=lambda c: c.__name__)
def test_every_exception_renders_its_message(cls):
    exc = cls(**_sample_kwargs(cls))
    assert '%(' not in str(exc)


@pytest.mark.parametrize('cls', [c for c in LEAVES if c not in (
    exceptions.NetmgrException, exceptions.RetryRequest, exceptions.SchemaOutOfDate)
    and not issubclass(c, exceptions.AgentError)], ids=lambda c: c.__name__)
def test_every_api_exception_has_a_client_error_status(cls):
    assert faults.status_for(cls(**_sample_kwargs(cls))) in (400, 403, 404, 405, 409, 503)


def test_wire_type_is_the_class_name():
    response = faults.to_response(exceptions.IpAddressInUse(net_id='n', ip_address='1.2.3.4'))
    assert response.status_int == 409
    assert response.json['NeutronError']['type'] == 'IpAddressInUse'
    assert response.json['NeutronError']['detail'] == ''


def test_unexpected_errors_are_500_without_internals():
    response = faults.to_response(RuntimeError('secret internals'))
    assert response.status_int == 500
    assert 'secret' not in response.text


def test_fault_map_names_base_classes_only():
    bases = {exceptions.BadRequest, exceptions.NotAuthorized, exceptions.NotFound,
             exceptions.MethodNotAllowed, exceptions.Conflict, exceptions.ServiceUnavailable}
    assert {cls for cls, _code in faults.FAULT_MAP} == bases
