"""Tunnel endpoints: each L2 agent that carries tunnel networks announces its host's tunnel IP
(tunnel_sync) and learns every host's. A new or changed endpoint is told to the other agents
(fanout tunnel_update) after commit, so hosts find each other without listing their peers in
their configuration."""

import ipaddress

import sqlalchemy as sa

from netmgr import context as nm_context
from netmgr.db.models import agents
from netmgr.db import api as db_api
from netmgr import exceptions
from netmgr.services import notifier as notifier_mod

ENDPOINTS = agents.TunnelEndpoint.__table__


class TunnelService:
    def __init__(self, db, notifier=None, retries=20):
        self.db = db
        self.notifier = notifier or notifier_mod.NullNotifier()
        self._write = db_api.RetriedWriter(db, retries)

    def sync(self, tunnel_ip, tunnel_type, host):
        """Record ``host``'s endpoint (replacing an earlier IP of the host, or the host an IP
        had); return every endpoint of ``tunnel_type`` as [{'ip_address', 'host'}]."""
        try:
            tunnel_ip = str(ipaddress.ip_address(tunnel_ip))
        except ValueError:
            raise exceptions.InvalidInput(
                error_message='tunnel_ip %r of host %s is not an IP address'
                              % (tunnel_ip, host)) from None
        host = host or ''

        def run(session):
            rows = session.execute(sa.select(ENDPOINTS).where(
                ENDPOINTS.c.tunnel_type == tunnel_type)).mappings().all()
            mine = {'ip_address': tunnel_ip, 'host': host}
            known = [{'ip_address': r['ip_address'], 'host': r['host']} for r in rows]
            if mine in known:
                return known, False
            session.execute(ENDPOINTS.delete().where(
                ENDPOINTS.c.tunnel_type == tunnel_type,
                sa.or_(ENDPOINTS.c.host == host, ENDPOINTS.c.ip_address == tunnel_ip)))
            session.execute(ENDPOINTS.insert().values(tunnel_type=tunnel_type, **mine))
            kept = [e for e in known
                    if e['host'] != host and e['ip_address'] != tunnel_ip]
            return kept + [mine], True
        endpoints, changed = self._write(run)
        if changed:
            self.notifier.tunnel_added(nm_context.admin_context(), tunnel_ip, tunnel_type,
                                       host)
        return sorted(endpoints, key=lambda e: (e['host'], e['ip_address']))
