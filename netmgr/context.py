"""Who is asking: the request context every service call receives."""

import dataclasses
import uuid


@dataclasses.dataclass(frozen=True)
class RequestContext:
    user_id: str | None
    tenant_id: str | None
    roles: tuple = ()
    is_admin: bool = False
    request_id: str = dataclasses.field(
        default_factory=lambda: 'req-' + str(uuid.uuid4()))

    @property
    def project_id(self):
        return self.tenant_id

    def to_policy_values(self):
        """Credentials as oslo.policy expects them."""
        return {'user_id': self.user_id, 'tenant_id': self.tenant_id,
                'project_id': self.tenant_id, 'roles': list(self.roles),
                'is_admin': self.is_admin}


def admin_context(tenant_id=None):
    return RequestContext(user_id=None, tenant_id=tenant_id, roles=('admin',), is_admin=True)


def tenant_context(tenant_id, user_id=None, roles=('member',)):
    return RequestContext(user_id=user_id, tenant_id=tenant_id, roles=tuple(roles),
                          is_admin='admin' in roles)
