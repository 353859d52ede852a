"""What the API pipeline calls: one service per resource collection."""

import abc


class ResourceService(abc.ABC):
    """CRUD of one collection. Every call is one transaction; data is already converted and
    validated by the attribute map, and policy is already enforced by the pipeline."""

    collection = None
    # Set by the services that create through create_items (_write: a db_api.RetriedWriter):
    db = quotas = _write = None

    def create(self, context, data):
        """Create one resource; return its dict."""
        return self.create_bulk(context, [data])[0]

    @abc.abstractmethod
    def create_bulk(self, context, items):
        """Create several in one transaction: all or none."""

    def create_items(self, resource, items, create_one):
        """``create_one(session, item)`` for each item in one writer transaction, retried on
        races, after the quota check of ``resource`` (first: see QuotaService.check)."""
        def run(session):
            if self.quotas is not None:
                self.quotas.check_items(session, resource, items)
            return [create_one(session, item) for item in items]
        return self._write(run)

    @abc.abstractmethod
    def update(self, context, resource_id, data):
        """Update; return the new dict."""

    @abc.abstractmethod
    def delete(self, context, resource_id):
        """Delete, or raise an InUse error leaving everything as it was."""

    @abc.abstractmethod
    def get(self, context, resource_id):
        """The resource's dict, or its NotFound error when absent or not visible."""

    @abc.abstractmethod
    def list(self, context, query):
        """Dicts matching a ListQuery, visible to the context."""

    def perform_action(self, context, resource_id, action, body):
        """A member action listed in the collection's ACTION_MAP (policy already enforced)."""
        raise NotImplementedError(action)

    @abc.abstractmethod
    def not_found(self, resource_id):
        """The NotFound error of this resource (its Neutron class name is the wire type)."""

    @abc.abstractmethod
    def policy_target(self, context, resource_id):
        """The dict policy rules see for an existing resource (NotFound if absent)."""
