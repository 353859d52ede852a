#!/usr/bin/env bash
# Prepare this machine (Debian 12, as root) for netmgr: Debian packages, the local
# services (RabbitMQ, MariaDB, PostgreSQL, Open vSwitch) and the virtualenv <repo>/.venv.
#
# Idempotent: a second run only checks and takes a few seconds. Safe on a fresh machine
# and on a clean clone. It never touches a network interface.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO/.venv"
WAIT_SECONDS="${NETMGR_SETUP_WAIT:-60}"
export DEBIAN_FRONTEND=noninteractive

log() { echo "setup: $*"; }
die() { echo "setup: ERROR: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (apt-get, services and Open vSwitch need it)"

# One setup at a time per clone (tests may be started from several shells).
LOCK="/tmp/netmgr-setup-$(printf '%s' "$REPO" | md5sum | cut -c1-12).lock"
exec 9>"$LOCK"
flock -w 900 9 || die "another tools/setup.sh holds $LOCK"
# Daemons started below must not inherit fd 9, or they would hold the lock for good:
# every command that may start one runs with "9>&-".

# --- Debian packages --------------------------------------------------------------------
APT_UPDATED=0
missing_packages() {
    local pkg
    for pkg in "$@"; do
        if [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)" != 'install ok installed' ]
        then
            echo "$pkg"
        fi
    done
}

apt_install() {
    local missing
    missing="$(missing_packages "$@")"
    [ -n "$missing" ] || return 0
    # shellcheck disable=SC2086
    log "installing Debian packages: $(echo $missing)"
    if [ "$APT_UPDATED" -eq 0 ]; then
        apt-get -o DPkg::Lock::Timeout=300 update -qq 9>&-
        APT_UPDATED=1
    fi
    # shellcheck disable=SC2086
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends $missing 9>&-
}

PACKAGES=(openvswitch-switch dnsmasq-base dnsmasq-utils iptables iproute2 ethtool iputils-ping
          iputils-arping busybox conntrack mariadb-client postgresql-client)
# The project's python3 may be pyenv's, which carries venv; Debian's needs python3-venv.
if ! [ -x "$VENV/bin/python" ] && ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    PACKAGES+=(python3-venv)
fi
# The services, when not there at all (a fresh machine), come from apt too.
PACKAGES+=(rabbitmq-server mariadb-server postgresql)
apt_install "${PACKAGES[@]}"
log "Debian packages present"

# --- services -------------------------------------------------------------------------
port_open() {
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

wait_port() {  # name port
    local i
    for ((i = 0; i < WAIT_SECONDS; i++)); do
        port_open "$2" && return 0
        sleep 1
    done
    die "$1 did not answer on 127.0.0.1:$2 within ${WAIT_SECONDS}s"
}

ensure_service() {  # name port start-function
    if port_open "$2"; then
        log "$1 up on 127.0.0.1:$2"
        return 0
    fi
    log "starting $1"
    "$3" 9>&- || log "$1 start command returned $?; waiting for its port anyway"
    wait_port "$1" "$2"
    log "$1 up on 127.0.0.1:$2"
}

start_rabbitmq() { rabbitmq-server -detached; }

start_mariadb() {
    if id mysql >/dev/null 2>&1; then
        install -d -o mysql -g mysql -m 0755 /run/mysqld
    fi
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
}

pg_version() { ls /etc/postgresql | sort -V | tail -n 1; }

start_postgresql() {
    pg_ctlcluster --skip-systemctl-redirect "$(pg_version)" main start
}

ensure_service RabbitMQ 5672 start_rabbitmq
ensure_service MariaDB 3306 start_mariadb
ensure_service PostgreSQL 5432 start_postgresql

# MariaDB: root without a password over TCP, and the database `test`.
if ! mysql -h 127.0.0.1 -uroot -e 'SELECT 1' >/dev/null 2>&1; then
    # A fresh Debian install lets root in through the unix socket only.
    log "MariaDB: allowing root@localhost without a password over TCP"
    mysql -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR
                     mysql_native_password USING PASSWORD(''); FLUSH PRIVILEGES;"
fi
mysql -h 127.0.0.1 -uroot -e 'CREATE DATABASE IF NOT EXISTS test' ||
    die "MariaDB: cannot create database test"
log "MariaDB database test present"

# PostgreSQL: user postgres trusted over TCP on 127.0.0.1, and the database `test`.
PSQL=(psql -w -h 127.0.0.1 -U postgres -d postgres -Atq)
if ! "${PSQL[@]}" -c 'SELECT 1' >/dev/null 2>&1; then
    # A fresh Debian cluster asks for a password over TCP: trust loopback, as on the lab.
    log "PostgreSQL: trusting 127.0.0.1 and ::1"
    hba="$(runuser -u postgres -- psql -Atqc 'SHOW hba_file')"
    if ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
        sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    fi
    pg_ctlcluster --skip-systemctl-redirect "$(pg_version)" main reload 9>&-
    sleep 1
    "${PSQL[@]}" -c 'SELECT 1' >/dev/null || die "PostgreSQL: cannot connect as postgres"
fi
if [ "$("${PSQL[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'test'")" != 1 ]; then
    "${PSQL[@]}" -c 'CREATE DATABASE test'
fi
log "PostgreSQL database test present"

# Open vSwitch: userspace datapath (bridges need datapath_type=netdev; see DESIGN.md 4).
if ovs-vsctl --timeout=5 show >/dev/null 2>&1; then
    log "Open vSwitch running"
else
    log "starting Open vSwitch"
    /usr/share/openvswitch/scripts/ovs-ctl start --system-id=random 9>&- ||
        log "ovs-ctl returned $? (its ulimit/kernel-module warnings are expected here)"
    ovs-vsctl --timeout=10 show >/dev/null || die "Open vSwitch did not start"
    log "Open vSwitch running"
fi

# --- virtualenv ---------------------------------------------------------------------------
# pip, minus the noise of configured local index folders that this machine lacks.
vpip() {
    "$VENV/bin/python" -m pip "$@" \
        2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
}
if [ -x "$VENV/bin/python" ] && ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
    log "virtualenv $VENV is broken; recreating it"
    rm -rf "$VENV"
fi
if ! [ -x "$VENV/bin/python" ]; then
    log "creating virtualenv $VENV"
    python3 -m venv "$VENV"
    vpip install -q --upgrade pip
fi

# Reinstall only when what pip reads changed (a stamp keeps re-runs fast). The editable
# install picks up new modules by itself; new entry points need setup.cfg, so they count.
STAMP="$VENV/.netmgr-setup.stamp"
# Which top-level packages exist counts too: the editable install maps them when it runs.
want="$(cd "$REPO" && { cat setup.cfg setup.py test-requirements.txt
                        ls -d netmgr/__init__.py nova_integration/__init__.py \
                              migrations/__init__.py; } 2>/dev/null |
        sha256sum | cut -d' ' -f1)"
if [ "$(cat "$STAMP" 2>/dev/null || true)" != "$want" ] || ! [ -x "$VENV/bin/pytest" ]; then
    log "installing netmgr (editable) and test requirements into $VENV"
    rm -f "$STAMP"
    vpip install -q -e "$REPO" -r "$REPO/test-requirements.txt"
    echo "$want" >"$STAMP"
fi
log "virtualenv ready: $VENV"

# Nova, unmodified, in a virtualenv of its own (its pins would break netmgr's): used only by
# tests/functional/test_real_nova.py, which skips without it. NETMGR_SETUP_NOVA=0 leaves it out.
NOVA_VENV="$REPO/.venv-nova"
NOVA_CONSTRAINTS="$REPO/tests/functional/real_nova/constraints.txt"
NOVA_STAMP="$NOVA_VENV/.netmgr-setup.stamp"
if [ "${NETMGR_SETUP_NOVA:-1}" != 0 ] && [ -f "$NOVA_CONSTRAINTS" ]; then
    want="$(sha256sum "$NOVA_CONSTRAINTS" | cut -d' ' -f1)"
    if [ "$(cat "$NOVA_STAMP" 2>/dev/null || true)" != "$want" ]; then
        log "installing nova into $NOVA_VENV (about a minute)"
        [ -x "$NOVA_VENV/bin/python" ] || python3 -m venv "$NOVA_VENV"
        rm -f "$NOVA_STAMP"
        if "$NOVA_VENV/bin/python" -m pip install -q -c "$NOVA_CONSTRAINTS" nova \
                2> >(grep -v "is ignored: it is neither a file nor a directory" >&2); then
            echo "$want" >"$NOVA_STAMP"
        else
            log "WARNING: nova did not install; test_real_nova.py will skip"
        fi
    fi
    if [ -f "$NOVA_STAMP" ]; then
        log "nova virtualenv ready: $NOVA_VENV"
    fi
fi
log "done"
