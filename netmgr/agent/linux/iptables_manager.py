"""iptables of one namespace, held in memory and applied in one save/restore round.

An IptablesManager owns chains whose names start with its wrap prefix (the binary name cut to
14 characters, then ``-``: ``netmgr-l3-agen-snat``) and the jumps from the built-in chains to
its wrapped built-ins (``-A POSTROUTING -j netmgr-l3-agen-POSTROUTING``). ``apply()`` runs
``iptables-save`` once, replaces what the manager owns in the tables it changed (including
chains of the same prefix left by an earlier run) and keeps every other rule as it was, then
runs ``iptables-restore`` once with those tables. ``defer_apply()`` batches many changes into
one apply. Rule text is iptables' own (``-s 10.0.0.0/24 -j SNAT --to-source 1.2.3.4``);
``$name`` in a rule stands for the wrapped chain ``name``.
"""

import contextlib
import re
import threading

from netmgr.agent.linux import executor as agent_executor

MAX_CHAIN_LEN = 28
WRAP_PREFIX_LEN = 14
BUILTIN_CHAINS = {
    'filter': ('INPUT', 'FORWARD', 'OUTPUT'),
    'nat': ('PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'),
    'mangle': ('PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'),
    'raw': ('PREROUTING', 'OUTPUT'),
}
# Built-in chains of each table the manager wraps (nat INPUT is left alone, as in Neutron).
WRAPPED_BUILTINS = {
    'filter': ('INPUT', 'FORWARD', 'OUTPUT'),
    'nat': ('PREROUTING', 'OUTPUT', 'POSTROUTING'),
    'mangle': ('PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'),
    'raw': ('PREROUTING', 'OUTPUT'),
}
_COUNTERS = re.compile(r'^\[\d+:\d+\]\s+')


def wrap_prefix(binary_name):
    return binary_name[:WRAP_PREFIX_LEN] + '-'


class Rule:
    __slots__ = ('chain', 'text', 'wrap', 'top', 'tag')

    def __init__(self, chain, text, wrap=True, top=False, tag=None):
        self.chain, self.text, self.wrap, self.top, self.tag = chain, text, wrap, top, tag

    def key(self):
        return (self.chain, self.text, self.wrap)


class IptablesTable:
    """One table (filter, nat, ...) as the manager wants it."""

    def __init__(self, name, prefix):
        self.name = name
        self.prefix = prefix
        self.chains = []            # wrapped chain names (short), in creation order
        self.unwrapped_chains = []  # full names
        self.rules = []
        self.dirty = True
        for chain in WRAPPED_BUILTINS.get(name, ()):
            self.add_chain(chain)

    def wrapped(self, chain):
        return (self.prefix + chain)[:MAX_CHAIN_LEN]

    def add_chain(self, name, wrap=True):
        chains = self.chains if wrap else self.unwrapped_chains
        if name not in chains:
            chains.append(name)
            self.dirty = True

    def remove_chain(self, name, wrap=True):
        """Remove a chain, its rules and every rule that jumps to it."""
        chains = self.chains if wrap else self.unwrapped_chains
        if name not in chains:
            return
        target = self.wrapped(name) if wrap else name
        self.rules = [r for r in self.rules
                      if not (r.chain == name and r.wrap == wrap) and
                      target not in self._render_text(r).split()]
        chains.remove(name)
        self.dirty = True

    def add_rule(self, chain, text, wrap=True, top=False, tag=None):
        """Add ``text`` to ``chain`` (a wrapped chain of this manager unless wrap=False);
        adding a rule that is already there does nothing."""
        if wrap and chain not in self.chains:
            raise ValueError('unknown chain %s in table %s' % (chain, self.name))
        rule = Rule(chain, text, wrap, top, tag)
        if any(r.key() == rule.key() for r in self.rules):
            return
        self.rules.append(rule)
        self.dirty = True

    def remove_rule(self, chain, text, wrap=True):
        kept = [r for r in self.rules if r.key() != (chain, text, wrap)]
        if len(kept) != len(self.rules):
            self.rules = kept
            self.dirty = True

    def clear_rules_by_tag(self, tag):
        kept = [r for r in self.rules if r.tag != tag]
        if len(kept) != len(self.rules):
            self.rules = kept
            self.dirty = True

    def set_rules(self, chain, texts, wrap=True, tag=None):
        """Make ``texts`` the rules of ``chain``, in that order; the table only needs
        writing when that changes anything."""
        if wrap and chain not in self.chains:
            raise ValueError('unknown chain %s in table %s' % (chain, self.name))
        current = [r for r in self.rules if r.chain == chain and r.wrap == wrap]
        if [(r.text, r.top, r.tag) for r in current] == [(t, False, tag) for t in texts]:
            return
        self.rules = [r for r in self.rules if not (r.chain == chain and r.wrap == wrap)]
        self.rules += [Rule(chain, text, wrap, False, tag) for text in texts]
        self.dirty = True

    def empty_chain(self, chain, wrap=True):
        kept = [r for r in self.rules if not (r.chain == chain and r.wrap == wrap)]
        if len(kept) != len(self.rules):
            self.rules = kept
            self.dirty = True

    def _render_text(self, rule):
        text = rule.text
        for chain in sorted(self.chains, key=len, reverse=True):
            text = text.replace('$' + chain, self.wrapped(chain))
        return text

    def owned_rule_lines(self):
        """{chain full name: ['-A chain ...', ...]} of this manager's rules, top ones first;
        the jumps from built-in chains to the wrapped built-ins lead their chains."""
        lines = {}
        for chain in WRAPPED_BUILTINS.get(self.name, ()):
            if chain in self.chains:
                lines.setdefault(chain, []).append('-A %s -j %s' % (chain, self.wrapped(chain)))
        ordered = [r for r in self.rules if r.top] + [r for r in self.rules if not r.top]
        for rule in ordered:
            chain = self.wrapped(rule.chain) if rule.wrap else rule.chain
            lines.setdefault(chain, []).append('-A %s %s' % (chain, self._render_text(rule)))
        return lines

    def owned_chain_names(self):
        return [self.wrapped(c) for c in self.chains] + list(self.unwrapped_chains)


def parse_save(text):
    """iptables-save output -> {table: (chain lines, rule lines)} in their saved order;
    packet counters are dropped."""
    tables = {}
    current = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        if line.startswith('*'):
            current = tables.setdefault(line[1:], ([], []))
        elif line == 'COMMIT':
            current = None
        elif current is not None:
            line = _COUNTERS.sub('', line)
            if line.startswith(':'):
                current[0].append(line)
            elif line.startswith('-A '):
                current[1].append(line)
    return tables


def _chain_of(rule_line):
    return rule_line.split()[1]


def render_table(table, saved):
    """The iptables-restore text of ``table`` (an IptablesTable): the saved chains and rules
    that are not the manager's, then the manager's. ``saved`` is (chain lines, rule lines)
    from parse_save, or None when the table is not there yet."""
    chain_lines, rule_lines = saved or ([], [])
    prefix = table.prefix
    owned_chains = set(table.owned_chain_names())

    def ours(chain):
        return chain.startswith(prefix) or chain in owned_chains

    def jumps_to_ours(line):
        words = line.split()
        return any(words[i] in ('-j', '-g') and i + 1 < len(words) and ours(words[i + 1])
                   for i in range(len(words)))

    foreign_chains = [c for c in chain_lines if not ours(c[1:].split()[0])]
    present = [c[1:].split()[0] for c in foreign_chains]
    for builtin in BUILTIN_CHAINS.get(table.name, ()):
        if builtin not in present:
            foreign_chains.append(':%s ACCEPT [0:0]' % builtin)
            present.append(builtin)
    owned_lines = table.owned_rule_lines()
    out = ['*%s' % table.name] + foreign_chains
    out += [':%s - [0:0]' % name for name in table.owned_chain_names()]
    foreign_rules = [r for r in rule_lines if not ours(_chain_of(r)) and not jumps_to_ours(r)]
    # Built-in chains: the manager's jumps first, then everyone else's rules.
    for chain in present:
        out += owned_lines.pop(chain, [])
    out += foreign_rules
    for name in table.owned_chain_names():
        out += owned_lines.pop(name, [])
    for lines in owned_lines.values():     # rules in chains of others (wrap=False)
        out += lines
    out.append('COMMIT')
    return out


class IptablesManager:
    """The iptables of one namespace (None: the agent's own) for one binary."""

    def __init__(self, executor=None, namespace=None, binary_name='netmgr-l3-agent',
                 tables=('filter', 'nat')):
        self.executor = executor or agent_executor.Executor()
        self.namespace = namespace
        self.prefix = wrap_prefix(binary_name)
        self.ipv4 = {name: IptablesTable(name, self.prefix) for name in tables}
        self._lock = threading.Lock()
        self._deferred = 0

    @contextlib.contextmanager
    def defer_apply(self):
        """Changes made inside are applied once, on leaving the outermost block."""
        self._deferred += 1
        try:
            yield self
        finally:
            self._deferred -= 1
        if not self._deferred:
            self.apply()

    def apply(self):
        """Write the changed tables (if any) in one iptables-save/iptables-restore round;
        returns whether anything was written."""
        if self._deferred:
            return False
        with self._lock:
            dirty = [t for t in self.ipv4.values() if t.dirty]
            if not dirty:
                return False
            saved = parse_save(self.executor.execute(['iptables-save'],
                                                     namespace=self.namespace))
            lines = []
            for table in dirty:
                lines += render_table(table, saved.get(table.name))
            self.executor.execute(['iptables-restore'], namespace=self.namespace,
                                  process_input='\n'.join(lines) + '\n')
            for table in dirty:
                table.dirty = False
            return True

    def mark_dirty(self):
        """Make the next apply write every table again (after a restart or a failure)."""
        for table in self.ipv4.values():
            table.dirty = True
