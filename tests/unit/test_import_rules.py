"""The import arrows of DESIGN.md section 2, checked on the source with ``ast``.

Each rule is a predicate over (module path, imported module); the rules hold vacuously for
directories that do not exist yet and start biting as soon as they appear.
"""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKAGES = ('netmgr', 'nova_integration')
SHELL_OUT = ('subprocess', 'pyroute2', 'ovsdbapp')
DEFINITIONS_MAY_IMPORT = ('netmgr.api.converters', 'netmgr.api.definitions', 'netmgr.constants')


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix('').parts)
    if parts[-1] == '__init__':
        parts.pop()
    return '.'.join(parts)


def imports_of(source, name, is_package=False):
    """[(lineno, [candidate module names])] for every import, including importlib calls.

    ``from a.b import c`` yields both 'a.b' and 'a.b.c' (c may be a module or a name)."""
    package = name if is_package else name.rpartition('.')[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, [alias.name]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ''
            if node.level:
                anchor = package.split('.')[:len(package.split('.')) - node.level + 1]
                base = '.'.join(anchor + ([base] if base else []))
            found.extend((node.lineno, [base, '%s.%s' % (base, alias.name)])
                         for alias in node.names)
        elif isinstance(node, ast.Call) and node.args and \
                isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            func = node.func
            fname = func.attr if isinstance(func, ast.Attribute) else getattr(func, 'id', '')
            if fname in ('import_module', '__import__'):
                found.append((node.lineno, [node.args[0].value]))
    return found


def monkey_patch_calls(source):
    """Line numbers of eventlet.monkey_patch() / monkey_patch() / patcher.monkey_patch()."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, 'id', '')
            if name == 'monkey_patch':
                lines.append(node.lineno)
    return lines


def is_under(name, prefix):
    return name == prefix or name.startswith(prefix + '.')


def sources():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob('*.py')):
            yield path


SOURCES = list(sources())


def load(path):
    return path.read_text(), module_name(path), path.name == '__init__.py'


# ---- the rules -----------------------------------------------------------------------------

def agent_violation(module, candidates):
    """Agents talk RPC only: never services, db or api."""
    return is_under(module, 'netmgr.agent') and any(
        is_under(c, p) for c in candidates
        for p in ('netmgr.services', 'netmgr.db', 'netmgr.api'))


def nova_violation(module, candidates):
    """netmgr never imports nova_integration."""
    return is_under(module, 'netmgr') and any(is_under(c, 'nova_integration')
                                              for c in candidates)


def shell_out_violation(module, candidates):
    """subprocess, pyroute2 and ovsdbapp only under netmgr/agent/linux/."""
    return is_under(module, 'netmgr') and not is_under(module, 'netmgr.agent.linux') and any(
        is_under(c, lib) for c in candidates for lib in SHELL_OUT)


def definitions_violation(module, candidates):
    """api/definitions: pure data, importing nothing but converters, definitions, constants."""
    if not is_under(module, 'netmgr.api.definitions'):
        return False
    return not any(is_under(c, allowed) for c in candidates for allowed in DEFINITIONS_MAY_IMPORT)


def leaf_violation(module, candidates):
    """constants and exceptions are leaves: no netmgr imports; devnames imports at most
    constants."""
    allowed = ('netmgr.constants',) if module == 'netmgr.devnames' else ()
    return module in ('netmgr.constants', 'netmgr.exceptions', 'netmgr.devnames') and any(
        is_under(c, 'netmgr') and c not in allowed for c in candidates[-1:])


def layer_violation(module, candidates):
    """Imports go one way: ipam and db never reach up to services or api."""
    return (is_under(module, 'netmgr.ipam') or is_under(module, 'netmgr.db')) and any(
        is_under(c, p) for c in candidates for p in ('netmgr.services', 'netmgr.api'))


LOWER_LAYERS = ('netmgr.services', 'netmgr.drivers', 'netmgr.ipam', 'netmgr.db', 'netmgr.rpc')
COMPOSERS = ('netmgr.wiring', 'netmgr.client', 'netmgr.cmd', 'netmgr.managers')


def upward_violation(module, candidates):
    """The composition root and what sits on it (wiring, client, cmd, managers) are imported
    by nothing below them: services, drivers, ipam, db, rpc and the API."""
    below = any(is_under(module, p) for p in LOWER_LAYERS + ('netmgr.api',))
    return below and any(is_under(c, p) for c in candidates for p in COMPOSERS)


def api_from_services_violation(module, candidates):
    """Services see the API's data (definitions, converters, validators), never its HTTP side
    or its pipeline."""
    return any(is_under(module, p) for p in LOWER_LAYERS) and any(
        is_under(c, p) for c in candidates
        for p in ('netmgr.api.wsgi', 'netmgr.api.operations', 'netmgr.api.policy'))


def wiring_violation(module, candidates):
    """Only commands and the Nova integration build the services (netmgr.wiring)."""
    allowed = ('netmgr.cmd', 'netmgr.wiring', 'nova_integration')
    return not any(is_under(module, p) for p in allowed) and any(
        is_under(c, 'netmgr.wiring') for c in candidates)


RULES = [agent_violation, nova_violation, shell_out_violation, definitions_violation,
         leaf_violation, layer_violation, upward_violation, api_from_services_violation,
         wiring_violation]


def violations(rule, files):
    found = []
    for path, (source, name, is_package) in files:
        for lineno, candidates in imports_of(source, name, is_package):
            if rule(name, candidates):
                found.append('%s:%d imports %s' % (path, lineno, candidates[-1]))
    return found


@pytest.fixture(scope='module')
def project_files():
    return [(p.relative_to(ROOT), load(p)) for p in SOURCES]


@pytest.mark.parametrize('rule', RULES, ids=[r.__name__ for r in RULES])
def test_import_rule_holds(rule, project_files):
    assert violations(rule, project_files) == []


def test_eventlet_monkey_patch_only_in_cmd(project_files):
    bad = ['%s:%d' % (path, line) for path, (source, name, _) in project_files
           if not is_under(name, 'netmgr.cmd') for line in monkey_patch_calls(source)]
    assert bad == []


def test_the_real_shell_out_modules_are_scanned(project_files):
    """The rule is not vacuous: agent/linux does import each library the rule confines."""
    seen = {lib for _path, (source, name, is_package) in project_files
            if is_under(name, 'netmgr.agent.linux')
            for _line, candidates in imports_of(source, name, is_package)
            for lib in SHELL_OUT if any(is_under(c, lib) for c in candidates)}
    assert seen == set(SHELL_OUT)


def module_graph(files):
    """{module: {project modules it imports at module level}}; ``from pkg import mod`` counts
    as importing pkg.mod alone."""
    names = {name for _path, (_source, name, _pkg) in files}
    graph = {}
    for _path, (source, name, is_package) in files:
        top = [n for n in ast.parse(source).body if isinstance(n, (ast.Import, ast.ImportFrom))]
        deps = set()
        for _line, candidates in imports_of(ast.unparse(ast.Module(top, [])), name,
                                            is_package):
            known = [c for c in candidates if c in names]
            deps.update(known[-1:])
        graph[name] = deps - {name}
    return graph


def cycles(graph):
    """Every import cycle, each as the sorted list of its modules (Tarjan's components)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for dep in sorted(graph.get(node, ())):
            if dep not in index:
                visit(dep)
                low[node] = min(low[node], low[dep])
            elif dep in on_stack:
                low[node] = min(low[node], index[dep])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles(project_files):
    """Module-level imports form no circle (db/models once did: models imported its areas,
    which imported models)."""
    assert cycles(module_graph(project_files)) == []


def test_cycle_check_can_fail():
    graph = {'netmgr.db.models.core': {'netmgr.db.models.l3'},
             'netmgr.db.models.l3': {'netmgr.db.models.core'}, 'netmgr.x': set()}
    assert cycles(graph) == [['netmgr.db.models.core', 'netmgr.db.models.l3']]


def test_the_scan_sees_the_project():
    names = {module_name(p) for p in SOURCES}
    assert {'netmgr.api.definitions.port', 'netmgr.ipam.db_backend', 'netmgr.wiring',
            'netmgr.services.core.ports', 'netmgr.agent.l2.ovs.agent'} <= names


# ---- the checker itself can fail ---------------------------------------------------------

def _fake(path, source):
    name = path.replace('/', '.').removesuffix('.py').removesuffix('.__init__')
    return [(path, (source, name, path.endswith('__init__.py')))]


@pytest.mark.parametrize('rule, path, source', [
    (agent_violation, 'netmgr/agent/l2/ovs/agent.py', 'from netmgr.services import core\n'),
    (agent_violation, 'netmgr/agent/dhcp/agent.py', 'from netmgr import db\n'),
    (agent_violation, 'netmgr/agent/l3/agent.py', 'from ...api import operations\n'),
    (agent_violation, 'netmgr/agent/l2/__init__.py',
     'import importlib\nimportlib.import_module("netmgr.db.api")\n'),
    (nova_violation, 'netmgr/services/core/ports.py', 'import nova_integration.nw_info\n'),
    (shell_out_violation, 'netmgr/drivers/openvswitch.py', 'import subprocess\n'),
    (shell_out_violation, 'netmgr/agent/l2/ovs.py', 'from ovsdbapp.backend import ovs_idl\n'),
    (shell_out_violation, 'netmgr/agent/l3/x.py', 'def f():\n    import pyroute2\n'),
    (definitions_violation, 'netmgr/api/definitions/router.py',
     'from netmgr.api import validators\n'),
    (definitions_violation, 'netmgr/api/definitions/router.py', 'import re\n'),
    (definitions_violation, 'netmgr/api/definitions/router.py', 'from .. import policy\n'),
    (leaf_violation, 'netmgr/exceptions.py', 'from netmgr import constants\n'),
    (leaf_violation, 'netmgr/devnames.py', 'from netmgr.agent.linux import ip_lib\n'),
    (layer_violation, 'netmgr/ipam/db_backend.py', 'from netmgr.services import rows\n'),
    (upward_violation, 'netmgr/api/wsgi/app.py', 'from netmgr import client\n'),
    (upward_violation, 'netmgr/services/rpc/l3.py', 'from netmgr import wiring\n'),
    (api_from_services_violation, 'netmgr/services/core/ports.py',
     'from netmgr.api.wsgi import faults\n'),
    (wiring_violation, 'netmgr/api/wsgi/server.py', 'from netmgr import wiring\n'),
])
def test_checker_catches(rule, path, source):
    assert violations(rule, _fake(path, source))


@pytest.mark.parametrize('rule, path, source', [
    (agent_violation, 'netmgr/agent/l2/ovs/agent.py', 'from netmgr.rpc import plugin_api\n'),
    (shell_out_violation, 'netmgr/agent/linux/executor.py', 'import subprocess\n'),
    (shell_out_violation, 'netmgr/agent/linux/ip_lib.py',
     'import pyroute2\nfrom pyroute2 import netns\n'),
    (shell_out_violation, 'netmgr/agent/linux/ovs_lib.py',
     'from ovsdbapp.schema.open_vswitch import impl_idl\n'),
    (definitions_violation, 'netmgr/api/definitions/router.py',
     'from netmgr.api.definitions import common\nfrom netmgr import constants as const\n'
     'from netmgr.api import converters\nfrom . import ATTR_NOT_SPECIFIED\n'),
    (nova_violation, 'nova_integration/network_api.py', 'from netmgr import client\n'),
    (upward_violation, 'netmgr/cmd/server.py', 'from netmgr import wiring\n'),
    (api_from_services_violation, 'netmgr/services/l3/routers.py',
     'from netmgr.api.definitions import router\nfrom netmgr.api import converters\n'),
    (wiring_violation, 'nova_integration/network_api.py', 'from netmgr import wiring\n'),
    (leaf_violation, 'netmgr/devnames.py', 'import hashlib\nfrom netmgr import constants\n'),
])
def test_checker_allows(rule, path, source):
    assert violations(rule, _fake(path, source)) == []


def test_monkey_patch_detection():
    assert monkey_patch_calls('import eventlet\neventlet.monkey_patch()\n') == [2]
    assert monkey_patch_calls('from eventlet import patcher\npatcher.monkey_patch(os=False)\n')
    assert monkey_patch_calls('import eventlet\n') == []
