"""The one map from netmgr exceptions to HTTP: base classes only; leaves inherit."""

import json
import logging

import webob

from netmgr import exceptions

LOG = logging.getLogger(__name__)

FAULT_MAP = [
    (exceptions.BadRequest, 400),
    (exceptions.NotAuthorized, 403),
    (exceptions.NotFound, 404),
    (exceptions.MethodNotAllowed, 405),
    (exceptions.Conflict, 409),
    (exceptions.ServiceUnavailable, 503),
]


def status_for(exc):
    for base, code in FAULT_MAP:
        if isinstance(exc, base):
            return code
    return 500


def error_body(error_type, message, detail=''):
    return {'NeutronError': {'type': error_type, 'message': message, 'detail': detail}}


def json_response(status, body, request_id=None):
    payload = json.dumps(body).encode('utf-8') if body is not None else b''
    response = webob.Response(status=status, body=payload, charset='UTF-8',
                              content_type='application/json')
    if not payload:
        # webob (and eventlet >= 0.36) leave a 204 without Content-Length; Neutron sends
        # "Content-Length: 0" and keep-alive clients rely on always getting one.
        response.headers['Content-Length'] = '0'
    if request_id:
        response.headers['X-Openstack-Request-Id'] = request_id
    return response


def to_response(exc, request_id=None):
    if isinstance(exc, exceptions.NetmgrException) and status_for(exc) != 500:
        return json_response(status_for(exc), error_body(type(exc).__name__, str(exc)),
                             request_id)
    LOG.exception('Request %s failed', request_id)
    return json_response(500, error_body(
        'HTTPInternalServerError',
        'Request Failed: internal server error while processing your request.'), request_id)
