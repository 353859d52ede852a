"""``netmgr-compute [--config-file F] boot|delete|list|show``: instances as namespaces."""

import argparse
import json
import logging
import sys

from netmgr.cmd import startup
from netmgr import exceptions as nm_exc
from nova_integration.compute import host as host_mod
from nova_integration.compute import state as state_mod
from nova_integration import exceptions as nova_exc
from nova_integration import network_api

LOG = logging.getLogger('netmgr.compute')


def parser():
    top = argparse.ArgumentParser(prog='netmgr-compute', description=__doc__)
    top.add_argument('--config-file', action='append', default=[],
                     help='netmgr config file (default: $NETMGR_CONFIG_FILE or '
                          '/etc/netmgr/netmgr.conf); may be repeated.')
    top.add_argument('-d', '--debug', action='store_true')
    commands = top.add_subparsers(dest='command', required=True)
    boot = commands.add_parser('boot', help='boot an instance (a namespace); several names '
                               'boot together and print {name: network_info}')
    boot.add_argument('--nic', action='append', default=[], type=host_mod.parse_nic,
                      help='net-id=X[,v4-fixed-ip=Z] or port-id=Y (repeatable)')
    boot.add_argument('--security-group', action='append', default=[], dest='security_groups',
                      metavar='NAME_OR_ID', help="for the ports it creates (repeatable; "
                      "default: the project's 'default' group)")
    boot.add_argument('name', nargs='+')
    delete = commands.add_parser('delete', help='delete instances')
    delete.add_argument('name', nargs='+')
    commands.add_parser('list', help='instances and their addresses')
    commands.add_parser('show', help="an instance's network_info").add_argument('name')
    return top


ERRORS = (nova_exc.NovaException, nm_exc.NetmgrException, state_mod.InstanceExists,
          state_mod.InstanceNotFound)


def _boot(compute, names, nics, security_groups=()):
    if len(names) == 1:
        print(json.dumps(compute.boot(names[0], nics, security_groups), indent=1))
        return 0
    done = compute.boot_many(names, nics, security_groups)
    failed = {n: r for n, r in done.items() if isinstance(r, BaseException)}
    for name, exc in sorted(failed.items()):
        if not isinstance(exc, ERRORS):
            raise exc
        print('ERROR %s (%s): %s' % (name, type(exc).__name__, exc), file=sys.stderr)
    print(json.dumps({n: r for n, r in done.items() if n not in failed}, indent=1))
    return 1 if failed else 0


def main(argv=None):
    args = parser().parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING,
                        format=startup.LOG_FORMAT)
    conf = network_api.load_conf(args.config_file)
    compute = host_mod.ComputeHost(conf)
    try:
        if args.command == 'boot':
            return _boot(compute, args.name, args.nic, args.security_groups)
        elif args.command == 'show':
            print(json.dumps(compute.network_info(args.name), indent=1))
        elif args.command == 'delete':
            for name in args.name:
                compute.delete(name)
        else:
            for name, uuid, namespace, addresses in compute.list():
                print('%s\t%s\t%s\t%s' % (name, uuid, namespace, ' '.join(
                    '%s=%s' % (dev, ','.join(cidrs)) for dev, cidrs in
                    sorted(addresses.items()))))
    except ERRORS as exc:
        print('ERROR (%s): %s' % (type(exc).__name__, exc), file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
