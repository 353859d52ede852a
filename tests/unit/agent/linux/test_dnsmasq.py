"""dnsmasq's files and command line rendered from subnet and port dicts."""

import os

from netmgr.agent.linux import dnsmasq


def _subnet(sid='s1', cidr='10.0.0.0/24', gateway='10.0.0.1', **extra):
    subnet = {'id': sid, 'cidr': cidr, 'ip_version': 6 if ':' in cidr else 4,
              'gateway_ip': gateway, 'enable_dhcp': True, 'dns_nameservers': [],
              'host_routes': [], 'ipv6_address_mode': None}
    subnet.update(extra)
    return subnet


def _port(pid, mac, *fixed):
    return {'id': pid, 'mac_address': mac,
            'fixed_ips': [{'subnet_id': s, 'ip_address': ip} for s, ip in fixed]}


def test_hosts_file_has_one_line_per_address_on_served_subnets():
    subnets = [_subnet('s1'), _subnet('s2', '10.1.0.0/24', enable_dhcp=False),
               _subnet('s6', 'fd00::/64', 'fd00::1', ipv6_address_mode='dhcpv6-stateful'),
               _subnet('slaac', 'fd01::/64', 'fd01::1', ipv6_address_mode='slaac')]
    ports = [_port('p2', 'fa:16:3e:00:00:02', ('s1', '10.0.0.12'), ('s2', '10.1.0.5'),
                   ('s6', 'fd00::c'), ('slaac', 'fd01::f816:3eff:fe00:2')),
             _port('p1', 'fa:16:3e:00:00:01', ('s1', '10.0.0.11'))]
    assert dnsmasq.render_hosts(ports, subnets, domain='openstacklocal') == (
        'fa:16:3e:00:00:01,host-10-0-0-11.openstacklocal,10.0.0.11\n'
        'fa:16:3e:00:00:02,host-10-0-0-12.openstacklocal,10.0.0.12\n'
        'fa:16:3e:00:00:02,host-fd00--c.openstacklocal,[fd00::c]\n')
    assert dnsmasq.render_hosts(ports[1:], subnets) == (
        'fa:16:3e:00:00:01,host-10-0-0-11,10.0.0.11\n')


def test_opts_router_dns_and_classless_routes_per_subnet():
    subnets = [
        _subnet('a', dns_nameservers=['8.8.8.8', '8.8.4.4'],
                host_routes=[{'destination': '192.168.0.0/16', 'nexthop': '10.0.0.254'}]),
        _subnet('b', '10.1.0.0/24', gateway=None),
        _subnet('c', 'fd00::/64', 'fd00::1', ipv6_address_mode='dhcpv6-stateful',
                dns_nameservers=['2001:db8::53'])]
    assert dnsmasq.render_opts(subnets, dns_servers=['1.1.1.1']) == (
        'tag:subnet-a,option:dns-server,8.8.8.8,8.8.4.4\n'
        'tag:subnet-a,option:classless-static-route,'
        '192.168.0.0/16,10.0.0.254,0.0.0.0/0,10.0.0.1\n'
        'tag:subnet-a,249,192.168.0.0/16,10.0.0.254,0.0.0.0/0,10.0.0.1\n'
        'tag:subnet-a,option:router,10.0.0.1\n'
        'tag:subnet-b,option:dns-server,1.1.1.1\n'
        'tag:subnet-b,option:router\n'
        'tag:subnet-c,option6:dns-server,[2001:db8::53]\n')


def test_opts_leave_out_subnets_without_dhcp_and_add_mtu():
    subnets = [_subnet('a'), _subnet('off', '10.1.0.0/24', enable_dhcp=False)]
    assert dnsmasq.render_opts(subnets, mtu=1450) == (
        'tag:subnet-a,option:router,10.0.0.1\n'
        'tag:subnet-a,option:mtu,1450\n')


def test_command_line_static_ranges_lease_time_and_files(tmp_path):
    files = dnsmasq.Files(str(tmp_path))
    subnets = [_subnet('a'), _subnet('b', '10.2.0.0/16'),
               _subnet('c', 'fd00::/64', 'fd00::1', ipv6_address_mode='dhcpv6-stateful'),
               _subnet('off', '10.1.0.0/24', enable_dhcp=False)]
    argv = dnsmasq.command_line('dnsmasq', 'tap1234', files, subnets, 600,
                                domain='example.org', user='root')
    assert argv[0] == 'dnsmasq'
    assert '--conf-file=/dev/null' in argv and '--port=0' in argv
    assert '--interface=tap1234' in argv and '--bind-interfaces' in argv
    assert '--pid-file=%s' % files.pid in argv
    assert '--dhcp-hostsfile=%s' % files.hosts in argv
    assert '--dhcp-optsfile=%s' % files.opts in argv
    assert [a for a in argv if a.startswith('--dhcp-range=')] == [
        '--dhcp-range=set:subnet-a,10.0.0.0,static,255.255.255.0,600s',
        '--dhcp-range=set:subnet-b,10.2.0.0,static,255.255.0.0,600s',
        '--dhcp-range=set:subnet-c,fd00::,static,64,600s']
    assert '--dhcp-lease-max=%d' % (256 + 65536) in argv
    assert '--domain=example.org' in argv and '--user=root' in argv
    infinite = dnsmasq.command_line('dnsmasq', 'tap1234', files, subnets[:1], -1)
    assert '--dhcp-range=set:subnet-a,10.0.0.0,static,255.255.255.0,infinite' in infinite


def test_replace_file_reports_whether_the_content_changed(tmp_path):
    path = str(tmp_path / 'host')
    assert dnsmasq.replace_file(path, 'a\n')
    assert not dnsmasq.replace_file(path, 'a\n')
    assert dnsmasq.replace_file(path, 'b\n')
    with open(path) as f:
        assert f.read() == 'b\n'
    assert os.listdir(tmp_path) == ['host']
