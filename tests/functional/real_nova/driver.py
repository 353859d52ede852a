"""Drive Nova's own Neutron network API (``nova.network.neutron.API``, unmodified) against a
netmgr server. Runs under the separate Nova virtualenv (``.venv-nova``), never under netmgr's.

    driver.py --url http://127.0.0.1:PORT --state-dir DIR

Nova's configuration is what an operator would write: ``[neutron] auth_type = none`` (the
keystoneauth1 plugin for services in noauth mode) and ``endpoint_override`` = the netmgr URL.
Nova's cell database is SQLite in DIR (instances, their info cache and virtual interfaces
live there, as in a real cell). Nova's log goes to DIR/nova.log.

Protocol: one JSON object per line on stdin, one JSON answer per line on stdout. The first
line out is ``{"ready": true, "nova_version": ..., "seconds": ...}``. Commands:

    {"op": "create_instance", "project_id": P, "host": H}           -> {"result": uuid}
    {"op": "validate_networks", "project_id": P, "nics": [...], "num_instances": N}
    {"op": "allocate_for_instance", "instance": uuid, "nics": [...],
     "security_groups": [...]}                                      -> {"result": [vif, ...]}
    {"op": "get_instance_nw_info", "instance": uuid}                 -> {"result": [vif, ...]}
    {"op": "deallocate_for_instance", "instance": uuid, "nics": [...]} -> {"result": null}
    {"op": "quit"}

``nics`` mirror ``nova boot --nic``: ``{"net_id": X}``, ``{"port_id": Y}``,
``{"net_id": X, "v4_fixed_ip": Z}``. A Nova exception comes back as
``{"error": <Nova exception class name>, "message": ...}``. Every answer carries "seconds".
"""

import argparse
import json
import logging
import os
import sys
import time
import uuid

STARTED = time.monotonic()

NOVA_CONF = """\
[DEFAULT]
host = netmgr-real-nova

[database]
connection = sqlite:///{state}/nova.sqlite

[api_database]
connection = sqlite:///{state}/nova_api.sqlite

[neutron]
auth_type = none
endpoint_override = {url}
http_retries = 0
timeout = 30
"""


def _parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--url', required=True, help='netmgr API, http://host:port')
    parser.add_argument('--state-dir', required=True)
    return parser.parse_args(argv)


class NovaSide:
    """What a Nova cell needs around its network API: config, a DB, contexts, instances."""

    def __init__(self, url, state_dir):
        # Imported here: the module doc must load without Nova for --help.
        from nova import context as nova_context
        from nova.db import migration
        from nova.network import model as network_model
        from nova.network import neutron as neutron_api
        from nova import objects
        import nova.conf
        import nova.version

        self.nova_context = nova_context
        self.objects = objects
        self.network_model = network_model
        self.version = nova.version.version_string()
        conf_path = os.path.join(state_dir, 'nova.conf')
        with open(conf_path, 'w') as conf_file:
            conf_file.write(NOVA_CONF.format(state=state_dir, url=url))
        nova.conf.CONF(['--config-file', conf_path], project='nova')
        objects.register_all()
        migration.db_sync(database='main')
        self.api = neutron_api.API()

    def context(self, project_id):
        # A user's request as nova-api would pass it on: a project, a token, no admin role.
        return self.nova_context.RequestContext(
            user_id='nova-user', project_id=project_id, auth_token='token-%s' % project_id,
            roles=['member'], is_admin=False)

    def create_instance(self, project_id, host):
        objects = self.objects
        context = self.context(project_id)
        flavor = objects.Flavor(
            id=1, flavorid='1', name='m1.tiny', memory_mb=64, vcpus=1, root_gb=1,
            ephemeral_gb=0, swap=0, rxtx_factor=1.0, extra_specs={}, vcpu_weight=None,
            disabled=False, is_public=True, description=None)
        instance = objects.Instance(
            context=context, uuid=str(uuid.uuid4()), project_id=project_id,
            user_id='nova-user', host=host, availability_zone='nova', flavor=flavor,
            vm_state='building', task_state='networking', display_name='vm')
        # As nova-api fills it in before the instance row is created.
        instance.info_cache = objects.InstanceInfoCache(
            instance_uuid=instance.uuid, network_info=self.network_model.NetworkInfo())
        instance.create()
        return instance.uuid

    def instance(self, instance_uuid):
        """The instance as nova-compute loads it for each operation."""
        context = self.nova_context.get_admin_context()
        found = self.objects.Instance.get_by_uuid(
            context, instance_uuid, expected_attrs=['info_cache', 'flavor'])
        return self.context(found.project_id), found

    def requests(self, nics):
        objects = self.objects
        return objects.NetworkRequestList(objects=[objects.NetworkRequest(
            network_id=nic.get('net_id'), port_id=nic.get('port_id'),
            address=nic.get('v4_fixed_ip')) for nic in nics])

    # ---- commands --------------------------------------------------------------------------

    def validate_networks(self, project_id, nics, num_instances=1):
        return self.api.validate_networks(self.context(project_id), self.requests(nics),
                                          num_instances)

    def allocate_for_instance(self, instance, nics, security_groups=None):
        context, found = self.instance(instance)
        nw_info = self.api.allocate_for_instance(
            context, found, self.requests(nics), security_groups=security_groups,
            bind_host_id=found.host)
        return json.loads(nw_info.json())

    def get_instance_nw_info(self, instance):
        context, found = self.instance(instance)
        return json.loads(self.api.get_instance_nw_info(context, found).json())

    def deallocate_for_instance(self, instance, nics=()):
        # compute passes the requested networks only when it cleans up a failed build
        context, found = self.instance(instance)
        self.api.deallocate_for_instance(
            context, found, requested_networks=self.requests(nics) if nics else None)


def serve(side, lines_in, out):
    commands = {'create_instance': side.create_instance,
                'validate_networks': side.validate_networks,
                'allocate_for_instance': side.allocate_for_instance,
                'get_instance_nw_info': side.get_instance_nw_info,
                'deallocate_for_instance': side.deallocate_for_instance}
    for line in lines_in:
        if not line.strip():
            continue
        args = json.loads(line)
        op = args.pop('op')
        if op == 'quit':
            return
        started = time.monotonic()
        try:
            answer = {'result': commands[op](**args)}
        except Exception as exc:  # the caller asserts on Nova's exception class
            logging.getLogger(__name__).exception('%s failed', op)
            answer = {'error': type(exc).__name__, 'module': type(exc).__module__,
                      'message': str(exc)}
        answer['seconds'] = round(time.monotonic() - started, 4)
        out.write(json.dumps(answer) + '\n')
        out.flush()


def main(argv=None):
    args = _parse_args(argv)
    os.makedirs(args.state_dir, exist_ok=True)
    logging.basicConfig(filename=os.path.join(args.state_dir, 'nova.log'), level=logging.DEBUG,
                        format='%(asctime)s %(levelname)s %(name)s %(message)s')
    logging.captureWarnings(True)
    # The protocol owns stdout: whatever else prints goes to stderr.
    out, sys.stdout = sys.stdout, sys.stderr
    side = NovaSide(args.url, os.path.abspath(args.state_dir))
    out.write(json.dumps({'ready': True, 'nova_version': side.version,
                          'seconds': round(time.monotonic() - STARTED, 3)}) + '\n')
    out.flush()
    serve(side, sys.stdin, out)


if __name__ == '__main__':
    main()
