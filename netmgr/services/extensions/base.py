"""Attributes that extensions add to an existing collection, kept in the extension's own tables.

The collection's service calls its ExtensionSet inside the API call's transaction, so an
extension's rows are written and removed with the resource (composition, not mixins)."""

import abc

import sqlalchemy as sa


class AttributeExtension(abc.ABC):
    collection = None
    attributes = ()
    # Attributes of other extensions that this one reads from the resource, where an earlier
    # extension of the same set has put them (ExtensionSet refuses any other order).
    reads = ()

    def visibility(self, context):
        """An SQL condition that makes more rows visible to the context (OR-ed), or None."""
        return None

    @abc.abstractmethod
    def create(self, session, context, resource, data):
        """Store this extension's attributes of a new resource; add them to ``resource``."""

    @abc.abstractmethod
    def update(self, session, context, resource, data):
        """Apply the attributes present in ``data`` to an existing resource."""

    @abc.abstractmethod
    def extend(self, session, resources, ids):
        """Add this extension's attributes to a batch of resource dicts (one query).

        ``ids`` is what ``column.in_()`` takes to select the batch's rows: the resources' ids,
        or for a big page the page's own id query. Iterate the result rather than holding it
        (``.all()``): thousands of live rows make the garbage collector run full collections
        far more often, which can cost more than the query."""

    @abc.abstractmethod
    def filter(self, name, values):
        """SQL condition on the collection's table for a list filter on one attribute."""


class ExtensionSet:
    """The extensions of one collection, called in order: an extension comes after those whose
    attributes it reads (ValueError otherwise)."""

    def __init__(self, extensions=()):
        self.extensions = tuple(extensions)
        self._owner = {}
        for ext in self.extensions:
            unset = [name for name in ext.reads if name not in self._owner]
            if unset:
                raise ValueError('%s reads %s: the extension setting it must come first' % (
                    type(ext).__name__, ', '.join(unset)))
            self._owner.update(dict.fromkeys(ext.attributes, ext))

    def owns(self, name):
        return name in self._owner

    def split(self, data):
        """(core attributes, extension attributes) of a create/update body."""
        core = {k: v for k, v in data.items() if k not in self._owner}
        return core, {k: v for k, v in data.items() if k in self._owner}

    def scope(self, context, base):
        extra = [c for c in (ext.visibility(context) for ext in self.extensions)
                 if c is not None]
        return sa.or_(base, *extra) if extra else base

    def create(self, session, context, resource, data):
        for ext in self.extensions:
            ext.create(session, context, resource, data)

    def update(self, session, context, resource, data):
        for ext in self.extensions:
            if any(name in data for name in ext.attributes):
                ext.update(session, context, resource, data)

    def extend(self, session, resources, ids=None):
        """Add every extension's attributes to ``resources``; ``ids`` as in
        AttributeExtension.extend (by default the resources' ids)."""
        if resources:
            if ids is None:
                ids = [r['id'] for r in resources]
            for ext in self.extensions:
                ext.extend(session, resources, ids)
        return resources

    def split_filters(self, filters):
        """(filters on the collection's own columns, SQL conditions from extensions)."""
        core, conditions = {}, []
        for name, values in filters.items():
            if name in self._owner:
                conditions.append(self._owner[name].filter(name, values))
            else:
                core[name] = values
        return core, conditions
