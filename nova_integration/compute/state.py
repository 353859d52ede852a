"""netmgr-compute's instances, in one JSON file read and written under an exclusive lock, so
several netmgr-compute commands may run at once."""

import contextlib
import fcntl
import json
import os


class InstanceExists(Exception):
    pass


class InstanceNotFound(Exception):
    pass


class StateFile:
    def __init__(self, path):
        self.path = path

    @contextlib.contextmanager
    def _locked(self):
        os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
        with open(self.path + '.lock', 'a') as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _read(self):
        try:
            with open(self.path) as source:
                return json.load(source)
        except FileNotFoundError:
            return {}

    def _write(self, instances):
        temporary = self.path + '.tmp'
        with open(temporary, 'w') as target:
            json.dump(instances, target, indent=1, sort_keys=True)
        os.replace(temporary, self.path)

    def instances(self):
        with self._locked():
            return self._read()

    def get(self, name):
        found = self.instances().get(name)
        if found is None:
            raise InstanceNotFound('no instance named %s' % name)
        return found

    def add(self, name, record):
        """Record a new instance; InstanceExists if the name is taken."""
        with self._locked():
            instances = self._read()
            if name in instances:
                raise InstanceExists('an instance named %s exists' % name)
            instances[name] = record
            self._write(instances)

    def update(self, name, **values):
        with self._locked():
            instances = self._read()
            instances[name].update(values)
            self._write(instances)

    def remove(self, name):
        with self._locked():
            instances = self._read()
            instances.pop(name, None)
            self._write(instances)
