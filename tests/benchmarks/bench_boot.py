"""netmgr-compute benchmark: boot-to-address time for 1 and 20 instances booted together.

    python -m tests.benchmarks.bench_boot [--manager FlatManager|FlatDHCPManager]

Not a test: it measures and prints. It starts a netmgr-server (SQLite, agent RPC over the
local RabbitMQ on a virtual host of its own, removed at the end) and one netmgr-ovs-agent on
prefixed userspace bridges (tests.fixtures.netlab); with FlatDHCPManager also a
netmgr-dhcp-agent on the same host and br-int. A first, separately timed boot makes the
manager's flat network on physnet1 (and, with DHCP, has the DHCP agent start its dnsmasq).
Then N instances (no --nic) boot two ways: N ``netmgr-compute boot`` processes at once, and
one ``netmgr-compute boot NAME1 .. NAMEN`` booting them together in threads (as one
nova-compute does). A boot is timed from the command's start until it has exited with the
instance addressed (FlatManager: injected; FlatDHCPManager: busybox udhcpc got its lease from
dnsmasq, which the command waits for); the addresses inside the namespaces are then checked
against the ports. Instances are deleted the same way. Everything made is removed at the end
(the network, so the DHCP agent removes its qdhcp- namespace; then by record); processes are
stopped by PID.
"""

import argparse
import json
import pathlib
import statistics
import subprocess
import sys
import time

from netmgr.agent.linux import ip_lib
from netmgr import devnames
from tests.benchmarks import lab as bench_lab
from tests.fixtures import agents
from tests.fixtures import server as server_fixture

SIZES = (1, 20)
BIN = pathlib.Path(sys.executable).parent
COMPUTE_BIN = BIN / 'netmgr-compute'


def write_compute_conf(path, host, int_br, prefix, manager, state_dir):
    path.write_text('\n'.join([
        '[DEFAULT]', 'host = %s' % host, 'network_manager = netmgr.managers.%s' % manager,
        'physical_network = physnet1', 'fixed_range = 10.91.0.0/24', '',
        '[compute]', 'state_file = %s' % (state_dir / 'compute.json'),
        'namespace_prefix = %s' % prefix, 'integration_bridge = %s' % int_br,
        'project_id = admin', '']))


def run_together(argvs):
    """Start every command at once; returns (seconds, stdout) per command in ``argvs``
    order, and the failures' stderr tails."""
    procs = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=server_fixture._env()) for argv in argvs]
    start = time.monotonic()
    results, failures = [None] * len(procs), []
    while None in results:
        for index, proc in enumerate(procs):
            if results[index] is None and proc.poll() is not None:
                seconds = time.monotonic() - start
                out, err = proc.communicate()
                results[index] = (seconds, out.decode())
                if proc.returncode != 0:
                    failures.append(err.decode()[-300:])
        time.sleep(0.01)
    return results, failures


def _failed(failures):
    return ', %d failed: %s' % (len(failures), failures[0]) if failures else ''


def booted(names, results):
    """{name: network_info} from ``boot`` outputs: one name per command prints a list,
    several names in one command print {name: network_info}."""
    found = {}
    for (_seconds, out), argv_names in zip(results, names):
        if not out.strip():
            continue
        value = json.loads(out)
        found.update(value if isinstance(value, dict) else {argv_names[0]: value})
    return found


def check_addresses(api, prefix, instances):
    """How many instances hold exactly their port's address (and nothing else)."""
    good = 0
    for name, info in instances.items():
        port = api.show('port', info[0]['id'])
        inside = [a for dev in ip_lib.list_devices(prefix + name) if dev != 'lo'
                  for a in ip_lib.IPDevice(dev, prefix + name).list_addresses(family=4)]
        good += [a.split('/')[0] for a in inside] == [port['fixed_ips'][0]['ip_address']]
    return good


def rounds(api, base, prefix, namespaces, label, one_process):
    """Boot then delete 1 and 20 instances: one command per instance, or one for all."""
    how = 'instance(s) in one netmgr-compute' if one_process else 'process(es) at once'
    for round_no, count in enumerate(SIZES):
        names = ['%s%di%d' % (label, round_no, i) for i in range(count)]
        namespaces += [prefix + n for n in names]
        groups = [names] if one_process else [[n] for n in names]
        results, failures = run_together([base + ['boot'] + g for g in groups])
        times = [seconds for seconds, _out in results]
        good = check_addresses(api, prefix, booted(groups, results))
        print('%3d %s: all addressed in %.2f s (per command mean %.2f s); %d/%d hold their '
              'port\'s address%s' % (count, how, max(times), statistics.mean(times), good,
                                     count, _failed(failures)))
        results, failures = run_together([base + ['delete'] + g for g in groups])
        print('%3d %s: deleted in %.2f s%s' % (
            count, how, max(seconds for seconds, _out in results), _failed(failures)))
        sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--manager', default='FlatManager',
                        choices=('FlatManager', 'FlatDHCPManager'))
    args = parser.parse_args()
    dhcp = args.manager == 'FlatDHCPManager'
    namespaces = []
    try:
        with bench_lab.agent_stack('boot', dhcp=dhcp) as stack:
            run(stack, args.manager, dhcp, stack.lab.prefix + 'vm', namespaces)
    finally:
        for namespace in namespaces:
            ip_lib.delete_namespace(namespace, if_exists=True)


def run(stack, manager, dhcp, prefix, namespaces):
    api, network_ids = stack.api, []
    compute_conf = stack.tmp / 'compute.conf'
    write_compute_conf(compute_conf, stack.host, stack.int_br.name, prefix, manager, stack.tmp)
    base = [str(COMPUTE_BIN), '--config-file', str(stack.server.config),
            '--config-file', str(compute_conf)]
    print('netmgr-compute boot -> %s (%s)' % ('DHCP lease' if dhcp else 'injected address',
                                              manager))

    namespaces.append(prefix + 'first')
    [(seconds, out)], failures = run_together([base + ['boot', 'first']])
    if failures:
        raise SystemExit('first boot failed: %s' % failures[0])
    network_ids.append(json.loads(out)[0]['network']['id'])
    print('  1 first boot (makes the network%s): addressed in %.2f s' % (
        '; the DHCP agent starts dnsmasq' if dhcp else '', seconds))
    run_together([base + ['delete', 'first']])

    rounds(api, base, prefix, namespaces, 'r', one_process=False)
    rounds(api, base, prefix, namespaces, 's', one_process=True)

    for network_id in network_ids:
        api.remove('network', network_id)
    if dhcp:
        agents.wait_for(lambda: not any(
            ip_lib.namespace_exists(devnames.dhcp_namespace(n)) for n in network_ids),
            timeout=30, message='qdhcp- namespace removed by the DHCP agent')


if __name__ == '__main__':
    main()
