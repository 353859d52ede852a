"""The L3 agent: routers as ``qrouter-`` namespaces on this host.

Threads: the notification endpoint only queues router ids; the main loop (``run``) takes the
queue, asks the server for just those routers (one sync_routers call), configures them and
reports their floating IP statuses when they changed. A full sync (every router, and removal
of the qrouter- namespaces of routers that no longer exist, also those an earlier run left)
runs on start, every ``periodic_interval`` seconds, and after an error, retried with a
delay that doubles up to ``resync_interval``. A qrouter- namespace whose devices are plugged
into bridges this agent does not use belongs to another L3 agent of this machine (simulated
hosts) and is left alone.
"""

import logging
import threading
import time

from netmgr.agent.common import loop as agent_loop
from netmgr.agent.l3 import router as router_mod
from netmgr.agent.linux import ip_lib
from netmgr import constants as const
from netmgr import context as nm_context
from netmgr import devnames

LOG = logging.getLogger(__name__)
BINARY = 'netmgr-l3-agent'


class L3Agent:
    def __init__(self, host, plugin_rpc, driver, executor, external_bridge='', arp_count=0,
                 periodic_interval=40.0, resync_interval=5.0):
        self.host = host
        self.plugin_rpc = plugin_rpc
        self.driver = driver
        self.executor = executor
        self.external_bridge = external_bridge or ''
        self.arp_count = arp_count
        self.periodic_interval = periodic_interval
        self.context = nm_context.admin_context()
        self.routers = {}           # router id -> router_mod.Router
        self._reported = {}         # router id -> floating IP statuses last reported
        self._lock = threading.Lock()
        self.loop = agent_loop.AgentLoop(self._pass, self._until_periodic, resync_interval,
                                         name='router processing')
        self._updated = set()
        self._deleted = set()
        self._fullsync = True
        self._last_full = 0.0
        self._synced_once = False   # empty qrouter- namespaces are ours only at start
        self._counts = (0, 0, 0)    # routers, floating IPs, interfaces

    # ---- inputs (any thread) -------------------------------------------------------------

    def routers_updated(self, router_ids):
        with self._lock:
            self._updated.update(router_ids)
        self.loop.wake()

    def router_deleted(self, router_id):
        with self._lock:
            self._deleted.add(router_id)
            self._updated.discard(router_id)
        self.loop.wake()

    def fullsync(self):
        with self._lock:
            self._fullsync = True
        self.loop.wake()

    # ---- the loop ------------------------------------------------------------------------

    def stop(self):
        self.loop.stop()

    def run(self):
        self.loop.run()

    def _pass(self):
        """Full when due or after a failure, else what was queued."""
        if time.monotonic() - self._last_full >= self.periodic_interval:
            self._fullsync = True
        try:
            self.process_once()
        except Exception:
            self.fullsync()
            raise

    def _until_periodic(self):
        return max(0.05, self.periodic_interval - (time.monotonic() - self._last_full))

    def process_once(self):
        """Everything queued; on failure what was taken goes back to the queue."""
        with self._lock:
            updated, deleted, fullsync = self._updated, self._deleted, self._fullsync
            self._updated, self._deleted, self._fullsync = set(), set(), False
        try:
            if fullsync:
                self._full_sync()
            else:
                self._partial_sync(updated, deleted)
        except Exception:
            with self._lock:
                self._updated |= updated - self._deleted
                self._deleted |= deleted
                self._fullsync = self._fullsync or fullsync
            raise
        finally:
            self._count()

    def _partial_sync(self, updated, deleted):
        for router_id in sorted(deleted):
            self._remove(router_id)
        if not updated:
            return
        routers = self.plugin_rpc.sync_routers(self.context, self.host, sorted(updated))
        found = self._process(routers)
        for router_id in sorted(updated - found):     # gone meanwhile
            self._remove(router_id)

    def _full_sync(self):
        started = time.monotonic()
        routers = self.plugin_rpc.sync_routers(self.context, self.host)
        wanted = {r['id'] for r in routers if r['admin_state_up']}
        for router_id in sorted(set(self.routers) - wanted):
            self._remove(router_id)
        for namespace in ip_lib.list_namespaces():
            router_id = devnames.router_of_namespace(namespace)
            if router_id and router_id not in wanted and router_id not in self.routers and \
                    not router_mod.plugged_elsewhere(namespace, self.driver,
                                                     self.external_bridge,
                                                     empty_is_mine=not self._synced_once):
                LOG.info('removing namespace %s of a router that no longer exists', namespace)
                router_mod.remove_namespace(namespace, self.driver, self.external_bridge)
        self._process(routers)
        self._last_full = started
        self._synced_once = True
        LOG.info('full sync: %d router(s)', len(self.routers))

    def _process(self, routers):
        """Configure each router (an admin-down router is removed); returns the ids seen.
        A failure on one router does not stop the others; the first is raised at the end."""
        seen, failed = set(), None
        for router in routers:
            router_id = router['id']
            seen.add(router_id)
            if not router['admin_state_up']:
                self._remove(router_id)
                continue
            try:
                ri = self.routers.get(router_id)
                if ri is None:
                    ri = self.routers[router_id] = router_mod.Router(
                        router_id, self.driver, self.executor, self.external_bridge,
                        self.arp_count)
                statuses = ri.process(router)
                if self._reported.get(router_id, {}) != statuses:
                    self.plugin_rpc.update_floatingip_statuses(self.context, router_id,
                                                               statuses)
                    self._reported[router_id] = statuses
            except Exception as exc:
                LOG.warning('router %s: %s', router_id, exc)
                with self._lock:
                    self._updated.add(router_id)
                failed = failed or exc
        if failed is not None:
            raise failed
        return seen

    def _remove(self, router_id):
        ri = self.routers.pop(router_id, None)
        self._reported.pop(router_id, None)
        if ri is not None:
            ri.delete()
            LOG.info('router %s removed', router_id)
            return
        namespace = devnames.router_namespace(router_id)
        if ip_lib.namespace_exists(namespace) and not router_mod.plugged_elsewhere(
                namespace, self.driver, self.external_bridge):
            router_mod.remove_namespace(namespace, self.driver, self.external_bridge)
            LOG.info('router %s removed', router_id)

    # ---- state ---------------------------------------------------------------------------

    def _count(self):
        routers = list(self.routers.values())
        self._counts = (len(routers), sum(len(r.floating_ips) for r in routers),
                        sum(r.interfaces for r in routers))

    def state(self, start_flag=False):
        routers, floating_ips, interfaces = self._counts
        state = {'binary': BINARY, 'host': self.host, 'topic': const.TOPIC_L3_AGENT,
                 'agent_type': const.AGENT_TYPE_L3,
                 'configurations': {'routers': routers, 'floating_ips': floating_ips,
                                    'interfaces': interfaces,
                                    'external_network_bridge': self.external_bridge}}
        if start_flag:
            state['start_flag'] = True
        return state
