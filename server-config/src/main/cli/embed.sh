#!/usr/bin/env bash
# Runs Surepost's CLI scripts offline: inside `embed-server` on one configuration file of a
# WildFly installation, without starting the server. The build uses it to configure the
# provisioned server; ServerConfigScriptsIT uses it to check configure/restore.
#
# usage: embed.sh JBOSS_HOME CONFIG_FILE SCRIPT.cli...
#   JBOSS_HOME   the WildFly installation
#   CONFIG_FILE  a file in the server's configuration directory, e.g. standalone-full.xml
# Set SUREPOST_BASE_DIR to work on another server base directory (a copy of standalone/).
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: embed.sh JBOSS_HOME CONFIG_FILE SCRIPT.cli..." >&2; exit 2; }
jboss_home=$1; config=$2; shift 2

batch=$(mktemp --suffix=.cli)
trap 'rm -f "$batch"' EXIT
{
    # community: configure-observability.cli adds Micrometer's Prometheus registry, a feature of that level
    echo "embed-server --server-config=$config --std-out=discard --stability=community"
    for script in "$@"; do cat "$script"; echo; done
    echo "stop-embedded-server"
} > "$batch"

if [ -n "${SUREPOST_BASE_DIR:-}" ]; then
    export JAVA_OPTS="${JAVA_OPTS:-} -Djboss.server.base.dir=$SUREPOST_BASE_DIR"
fi
# Unset so a JBOSS_HOME from the caller's shell cannot point the CLI at another server
unset JBOSS_HOME
exec bash "$jboss_home/bin/jboss-cli.sh" --file="$batch"
