#!/usr/bin/env bash
# Install andon on Raspberry Pi OS Bookworm (Debian 12): a station, a board, a store
# board, the notifier, the historian, the web view or the plant's broker. Run it from a
# checkout of the repository, as root. Running it again is safe: it changes only what differs.
#
#   sudo deploy/install.sh --role station --config BUNDLE/station-a1.toml
#   sudo deploy/install.sh --role broker --broker-files PROVISIONED/broker
#   sudo deploy/install.sh --role web --config BUNDLE/web.toml --tls-cert web.crt --tls-key web.key
#
# The steps live in deploy/lib/ (sourced): arguments.sh, common.sh (how each step
# runs), machine.sh, roles.sh, web.sh, broker.sh, host.sh.
#
# What it does:
#   - installs system packages (python3-venv, mosquitto-clients, ...; mosquitto for a broker)
#   - creates the system user andon, in the groups gpio, dialout and input
#   - creates /opt/andon/venv (the andon package with the extras the roles need),
#     /etc/andon (configuration) and /var/lib/andon (data: journals, queues)
#   - installs the configuration: /etc/andon/NAME/ holds the role's file, the plant file
#     and, from an `andon provision` bundle, mqtt.password (mode 0600) and ca.crt
#   - installs the systemd units, the udev rules for scanners and the journald settings,
#     then enables and (re)starts the role's service
#
# --prefix DIR puts every path under DIR and changes nothing else on the machine: no
# packages, no users, no systemctl; it prints what it would have run instead.
# --dry-run prints every step and changes nothing at all.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly DEPLOY_DIR=$SCRIPT_DIR
SOURCE_DIR=$(dirname "$SCRIPT_DIR")

# shellcheck source=lib/common.sh
. "$DEPLOY_DIR/lib/common.sh"
# shellcheck source=lib/arguments.sh
. "$DEPLOY_DIR/lib/arguments.sh"
# shellcheck source=lib/machine.sh
. "$DEPLOY_DIR/lib/machine.sh"
# shellcheck source=lib/roles.sh
. "$DEPLOY_DIR/lib/roles.sh"
# shellcheck source=lib/web.sh
. "$DEPLOY_DIR/lib/web.sh"
# shellcheck source=lib/broker.sh
. "$DEPLOY_DIR/lib/broker.sh"
# shellcheck source=lib/host.sh
. "$DEPLOY_DIR/lib/host.sh"

parse_arguments "$@"
check_arguments
set_paths

preflight                          # 0. root, Bookworm, the configuration's kind
install_packages                   # 1. system packages
install_user                       # 2. the service user
install_directories                # 3. directories
install_venv                       #    and the virtualenv
install_roles                      # 4. configuration of each role
if has_role broker; then
    install_broker                 # 5. the broker
fi
install_host_files                 # 6. systemd units, udev rules, journald
install_time_sync                  #    and time sync
start_services                     # 7. services
