#!/bin/sh
# `make prod-local`: what docker-compose.yml runs, started on this machine without Docker, so that benchmarks and
# browser tests go through the proxy as production does. The same scripts and Caddyfile as the containers:
# migrate.sh, then web.sh (gunicorn), ws.sh twice (two daphne behind Caddy), worker.sh and Caddy, on the local
# PostgreSQL and Redis. DEBUG is off; the only settings that differ from a server are those of plain HTTP.
# Ctrl+C stops everything. `platform/local.sh --check` checks what it can without starting anything.
# Every PROD_LOCAL_* variable below may be set by the caller (bench/ws_fanout.py --production-path does).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# The Makefile's virtualenv; the tests point it at the one running them.
BIN=${PROD_LOCAL_BIN:-$ROOT/.venv/bin}

PORT=${PROD_LOCAL_PORT:-8080}
# Not 8000, the port `make run` takes: both may run side by side.
WEB_PORT=${PROD_LOCAL_WEB_PORT:-8100}
WS_PORTS=${PROD_LOCAL_WS_PORTS:-8101 8102}
DIR=${PROD_LOCAL_DIR:-/tmp/placette-prod-local}
LOGS="$DIR/logs"
DATABASE=${PROD_LOCAL_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/placette_prod_local}
# Tests use Redis databases 0 to 3 and the benchmarks flush 9: the local stack keeps to its own.
REDIS=${PROD_LOCAL_REDIS_URL:-redis://127.0.0.1:6379/12}
DEMO=${PROD_LOCAL_DEMO:-1}
SETTINGS=${PROD_LOCAL_SETTINGS:-placette.settings}

say() { printf '%s\n' "$*"; }
fail() {
    printf '%s\n' "$*" >&2
    exit 1
}

# The environment every process gets, whatever the caller's shell holds (a DEBUG=1 or DATABASE_URL left exported
# there must not leak in). Production's own values, from platform/.env.example, but for addresses and folders.
production_environment() {
    export DJANGO_SETTINGS_MODULE="$SETTINGS" PYTHONPATH="$ROOT" PATH="$BIN:$PATH"
    export DEBUG=0 LOG_LEVEL="${LOG_LEVEL:-INFO}" WEB_CONCURRENCY="${WEB_CONCURRENCY:-2}"
    export DATABASE_URL="$DATABASE" REDIS_URL="$REDIS"
    export ALLOWED_HOSTS="localhost,127.0.0.1"
    export CSRF_TRUSTED_ORIGINS="http://localhost:$PORT,http://127.0.0.1:$PORT"
    export WAGTAILADMIN_BASE_URL="http://localhost:$PORT"
    # One proxy before Django, as in docker-compose.yml: Caddy writes X-Forwarded-For.
    export TRUSTED_PROXY_COUNT=1
    export STATIC_ROOT="$DIR/static" MEDIA_ROOT="$DIR/media" PRIVATE_MEDIA_ROOT="$DIR/private-media" SERVE_MEDIA=0
    # E-mails and SMS are written in the logs, never sent: sign-in codes are read in web.log.
    export EMAIL_URL="consolemail://" SMS_BACKEND="notifications.sms.backends.console.SmsBackend"
    # Refused by the settings whenever DEBUG is off.
    unset MFA_TOTP_INSECURE_BYPASS_CODE
    # Caddy: the same Caddyfile, pointed at loopback; no admin endpoint, so two stacks never fight over :2019.
    ws_upstreams=""
    for ws_port in $WS_PORTS; do ws_upstreams="$ws_upstreams 127.0.0.1:$ws_port"; done
    export SITE_ADDRESS=":$PORT" SITE_HOSTS="localhost 127.0.0.1" WEB_UPSTREAM="127.0.0.1:$WEB_PORT"
    export WS_UPSTREAMS="${ws_upstreams# }" MEDIA_DIR="$DIR/media" CADDY_ADMIN=off
    export XDG_DATA_HOME="$DIR/caddy" XDG_CONFIG_HOME="$DIR/caddy"
}

# Like the Makefile's `browser` target: install Debian's package when we can, say so when we cannot.
ensure_caddy() {
    command -v caddy >/dev/null && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "Installation de Caddy (paquet Debian)…"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq caddy >/dev/null && return 0
    fi
    fail "Caddy est absent et ne peut pas être installé ici (il faut être root avec apt-get) : installez le paquet caddy (https://caddyserver.com/docs/install), puis relancez."
}

check_programs() {
    for program in python gunicorn daphne; do
        [ -x "$BIN/$program" ] || fail "$BIN/$program est absent : lancez d'abord make install."
    done
}

# Nothing may already listen on the ports: a second stack, or another program, would answer in our place.
check_ports() {
    for port in $PORT $WEB_PORT $WS_PORTS; do
        "$BIN/python" -c '
import socket, sys
with socket.socket() as probe:
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        probe.bind(("127.0.0.1", int(sys.argv[1])))
    except OSError:
        sys.exit(1)
' "$port" || fail "Le port $port est déjà pris. Choisissez-en d'autres : PROD_LOCAL_PORT (Caddy), PROD_LOCAL_WEB_PORT (gunicorn), PROD_LOCAL_WS_PORTS (daphne, séparés par des espaces)."
    done
}

validate_caddyfile() {
    caddy validate --adapter caddyfile --config platform/Caddyfile >"$DIR/caddy-validate.log" 2>&1 ||
        fail "platform/Caddyfile est refusé par Caddy (détails dans $DIR/caddy-validate.log)."
}

# PostgreSQL's own database for this stack, created when absent; Redis only has to answer.
prepare_services() {
    "$BIN/python" -c '
import sys
from urllib.parse import urlsplit, urlunsplit
import psycopg2, redis
from psycopg2 import sql

parts = urlsplit(sys.argv[1])
name = parts.path.strip("/")
try:
    connection = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
except psycopg2.OperationalError:
    sys.exit(f"PostgreSQL ne répond pas à {parts.hostname}:{parts.port or 5432} : démarrez-le, ou donnez PROD_LOCAL_DATABASE_URL.")
connection.autocommit = True
with connection.cursor() as cursor:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    if cursor.fetchone() is None:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
connection.close()
try:
    redis.Redis.from_url(sys.argv[2], socket_connect_timeout=2).ping()
except redis.RedisError:
    sys.exit(f"Redis ne répond pas à {sys.argv[2]} : démarrez-le, ou donnez PROD_LOCAL_REDIS_URL.")
' "$DATABASE" "$REDIS"
}

# A key of production's length, kept in the stack's folder so that sessions outlive a restart.
secret_key() {
    if [ -n "${PROD_LOCAL_SECRET_KEY:-}" ]; then
        SECRET_KEY=$PROD_LOCAL_SECRET_KEY
    else
        if [ ! -s "$DIR/secret_key" ]; then
            (umask 077 && "$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))' >"$DIR/secret_key")
        fi
        SECRET_KEY=$(cat "$DIR/secret_key")
    fi
    export SECRET_KEY
}

# migrate.sh's `check --deploy` sees the settings of a server that terminates HTTPS, so that it judges the same
# configuration production runs; the servers below then get the two settings plain HTTP needs.
migrate() {
    say "Vérifications de production et migrations (journal : $LOGS/migrate.log)…"
    SECURE_SSL_REDIRECT=1 SESSION_COOKIE_SECURE=1 platform/migrate.sh >"$LOGS/migrate.log" 2>&1 || {
        tail -n 20 "$LOGS/migrate.log" >&2
        fail "platform/migrate.sh a échoué : rien n'est démarré."
    }
    # The image collects the static files when it is built; here, once per start, into the stack's folder.
    python manage.py collectstatic --noinput --verbosity 0 >>"$LOGS/migrate.log" 2>&1 ||
        fail "collectstatic a échoué (voir $LOGS/migrate.log)."
    if [ "$DEMO" = 1 ]; then
        python manage.py demo
    fi
}

# A child that exited stays a zombie until the shell reaps it, and `kill -0` still finds a zombie.
alive() {
    [ -r "/proc/$1/stat" ] && [ "$(sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f1)" != Z ]
}

PROCESSES=""
start() {
    name=$1
    shift
    "$@" >"$LOGS/$name.log" 2>&1 &
    PROCESSES="$PROCESSES $name:$!"
    say "$name $!" >>"$DIR/pids"
}

stop_all() {
    trap - EXIT INT TERM
    for entry in $PROCESSES; do kill "${entry#*:}" 2>/dev/null || true; done
    # gunicorn and daphne finish their requests first; whatever still runs after 15 s is killed.
    tries=0
    for entry in $PROCESSES; do
        while alive "${entry#*:}" && [ $tries -lt 150 ]; do
            sleep 0.1
            tries=$((tries + 1))
        done
        kill -9 "${entry#*:}" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    rm -f "$DIR/pids"
    say "Tout est arrêté. Journaux : $LOGS"
}

# Waits until every port answers, like compose's depends_on on healthy services; a process that died is named.
wait_for_ports() {
    "$BIN/python" -c '
import socket, sys, time
ports = [int(port) for port in sys.argv[2].split()]
processes = dict(entry.split(":") for entry in sys.argv[1].split())
deadline = time.monotonic() + 90
while ports and time.monotonic() < deadline:
    for name, pid in processes.items():
        try:
            with open(f"/proc/{pid}/stat") as stat:
                state = stat.read().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            state = "Z"
        if state == "Z":
            sys.exit(f"{name} s’est arrêté au démarrage.")
    try:
        socket.create_connection(("127.0.0.1", ports[0]), timeout=1).close()
        ports.pop(0)
    except OSError:
        time.sleep(0.2)
if ports:
    sys.exit(f"Rien ne répond sur le port {ports[0]} après 90 s.")
' "$PROCESSES" "$*" || fail "Le démarrage a échoué : voir les journaux dans $LOGS."
}

if [ "${1:-}" = "--check" ]; then
    check_programs
    production_environment
    mkdir -p "$DIR"
    if command -v caddy >/dev/null; then
        validate_caddyfile
        say "Caddy $(caddy version | cut -d' ' -f1) accepte platform/Caddyfile pour cette pile."
    else
        say "Caddy est absent : make prod-local l'installera si possible (root avec apt-get)."
    fi
    check_ports
    say "Prêt : Caddy sur le port $PORT, gunicorn sur $WEB_PORT, daphne sur $WS_PORTS ; base $DATABASE ; Redis $REDIS."
    exit 0
elif [ $# -gt 0 ]; then
    fail "Usage : platform/local.sh [--check]"
fi

check_programs
ensure_caddy
production_environment
mkdir -p "$LOGS" "$DIR/media"
: >"$DIR/pids"
validate_caddyfile
check_ports
prepare_services
secret_key
migrate

trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0
start web env WEB_BIND="127.0.0.1:$WEB_PORT" platform/web.sh
number=0
for ws_port in $WS_PORTS; do
    number=$((number + 1))
    start "ws$number" env WS_HOST=127.0.0.1 WS_PORT="$ws_port" platform/ws.sh
done
start worker platform/worker.sh
wait_for_ports $WEB_PORT $WS_PORTS
start proxy caddy run --adapter caddyfile --config platform/Caddyfile
wait_for_ports "$PORT"

say ""
say "Placette tourne comme en production sur http://localhost:$PORT/ (Ctrl+C arrête tout)."
say "  Caddy :$PORT → gunicorn 127.0.0.1:$WEB_PORT et daphne $WS_UPSTREAMS ; travail de fond : platform/worker.sh."
say "  Base $DATABASE ; Redis $REDIS ; DEBUG éteint."
say "  Journaux dans $LOGS : $(for entry in $PROCESSES; do printf '%s.log ' "${entry%%:*}"; done)migrate.log."
say "  Se connecter : http://localhost:$PORT/compte/connexion/ avec l'adresse d'un habitant de la démo"
say "  (relais.<centre>@placette.example, mediateur.<centre>@placette.example) ; le code arrive dans $LOGS/web.log."
say "  L'administration demande la double vérification, sans code de démonstration quand DEBUG est éteint :"
say "  pour l'essayer avec la démo, utilisez make run."

while :; do
    for entry in $PROCESSES; do
        if ! alive "${entry#*:}"; then
            fail "${entry%%:*} s'est arrêté : voir $LOGS/${entry%%:*}.log. Arrêt de tout le reste."
        fi
    done
    sleep 1
done
