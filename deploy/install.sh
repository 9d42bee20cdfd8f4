#!/usr/bin/env bash
# Install andon on Raspberry Pi OS Bookworm (Debian 12): a station, a board, a store
# board, the notifier or the plant's broker. Run it from a checkout of the repository,
# as root. Running it again is safe: it changes only what differs.
#
#   sudo deploy/install.sh --role station --config BUNDLE/station-a1.toml
#   sudo deploy/install.sh --role broker --broker-files PROVISIONED/broker
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
set -euo pipefail

readonly ROLES_KNOWN="station board board-web store broker notify historian"

usage() {
    cat <<'EOF'
Usage: install.sh --role ROLE [--role ROLE ...] [options]

Roles:
  station     the station agent (andon-station@NAME.service)    needs --config
  board       the progress board full screen on tty1 (kiosk)    needs --config
  board-web   the progress board served to browsers             needs --config
  store       the store's material-call board                   needs --config
  notify      maintenance alerts                                needs --config
  historian   the history of every event, for reports           needs --config (plant)
  broker      Mosquitto with the plant's passwords and ACL      needs --broker-files

Options:
  --config FILE        the role's configuration file (station, board, store or notify;
                       the plant file for the historian);
                       the plant file it names is installed beside it, and so are
                       mqtt.password and ca.crt found next to FILE (an andon provision bundle)
  --name NAME          instance name of a station (default: FILE's name without .toml)
  --broker-files DIR   the broker/ directory written by andon provision
  --ntp SERVER         the plant's NTP server (repeatable): the Pi has no battery clock
  --source DIR         what to pip install (default: the checkout holding this script)
  --no-venv            leave /opt/andon/venv alone (configuration and units only)
  --no-start           enable the services but do not (re)start them
  --prefix DIR         install every path under DIR; no system-wide change (for tests)
  --dry-run            print the steps, change nothing
  -h, --help           this text
EOF
}

die() {
    printf 'install.sh: error: %s\n' "$*" >&2
    exit 2
}

# --- arguments -------------------------------------------------------------------------
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DEPLOY_DIR=$SCRIPT_DIR
SOURCE_DIR=$(dirname "$SCRIPT_DIR")
PREFIX=""
DRY_RUN=0
NO_VENV=0
NO_START=0
CONFIG=""
NAME=""
BROKER_FILES=""
ROLES=()
NTP_SERVERS=()

while (($# > 0)); do
    case $1 in
        --role)
            (($# >= 2)) || die "--role needs a value"
            IFS=, read -r -a more <<<"$2"
            ROLES+=("${more[@]}")
            shift 2
            ;;
        --config) (($# >= 2)) || die "--config needs a file"; CONFIG=$2; shift 2 ;;
        --name) (($# >= 2)) || die "--name needs a value"; NAME=$2; shift 2 ;;
        --broker-files) (($# >= 2)) || die "--broker-files needs a directory"; BROKER_FILES=$2; shift 2 ;;
        --ntp) (($# >= 2)) || die "--ntp needs a server"; NTP_SERVERS+=("$2"); shift 2 ;;
        --source) (($# >= 2)) || die "--source needs a directory"; SOURCE_DIR=$2; shift 2 ;;
        --prefix) (($# >= 2)) || die "--prefix needs a directory"; PREFIX=$2; shift 2 ;;
        --no-venv) NO_VENV=1; shift ;;
        --no-start) NO_START=1; shift ;;
        --dry-run) DRY_RUN=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done

((${#ROLES[@]} > 0)) || { usage >&2; die "say which role(s) to install with --role"; }

has_role() {
    local role
    for role in "${ROLES[@]}"; do
        [[ $role == "$1" ]] && return 0
    done
    return 1
}

for role in "${ROLES[@]}"; do
    [[ " $ROLES_KNOWN " == *" $role "* ]] || die "unknown role '$role' (one of: $ROLES_KNOWN)"
done

NEEDS_CONFIG=0
for role in station board board-web store notify historian; do
    has_role "$role" && NEEDS_CONFIG=1
done
if ((NEEDS_CONFIG)); then
    [[ -n $CONFIG ]] || die "the role(s) ${ROLES[*]} need --config FILE"
    [[ -f $CONFIG ]] || die "no configuration file $CONFIG"
elif [[ -n $CONFIG ]]; then
    die "--config is for the station, board, board-web, store, notify and historian roles"
fi
if has_role broker; then
    [[ -n $BROKER_FILES ]] || die "the broker role needs --broker-files DIR (andon provision's broker/)"
    for file in andon.conf passwd acl; do
        [[ -f $BROKER_FILES/$file ]] || die "$BROKER_FILES/$file is missing: run andon provision first"
    done
fi
if [[ -n $PREFIX ]]; then
    [[ $PREFIX == /* ]] || PREFIX=$PWD/$PREFIX
    PREFIX=${PREFIX%/}
    [[ -n $PREFIX ]] || die "--prefix / is the machine itself: leave --prefix out"
fi

# --- paths -----------------------------------------------------------------------------
readonly ROOT=$PREFIX
readonly OPT_DIR=$ROOT/opt/andon
readonly VENV=$OPT_DIR/venv
readonly ETC_DIR=$ROOT/etc/andon
readonly DATA_DIR=$ROOT/var/lib/andon
readonly UNIT_DIR=$ROOT/etc/systemd/system
readonly UDEV_DIR=$ROOT/etc/udev/rules.d
readonly JOURNALD_DIR=$ROOT/etc/systemd/journald.conf.d
readonly TIMESYNCD_DIR=$ROOT/etc/systemd/timesyncd.conf.d
readonly MOSQUITTO_CONF_DIR=$ROOT/etc/mosquitto/conf.d
readonly MOSQUITTO_ANDON_DIR=$ROOT/etc/mosquitto/andon
readonly BIN_LINK=$ROOT/usr/local/bin/andon
readonly SERVICE_USER=andon
readonly SERVICE_GROUPS=(gpio dialout input)

# --- how each step runs ----------------------------------------------------------------
quote() {
    local out
    printf -v out '%q ' "$@"
    printf '%s' "${out% }"
}

say() {
    printf '==> %s\n' "$*"
}

# A change under the install root: done (and shown), or only shown with --dry-run.
run() {
    printf '+ %s\n' "$(quote "$@")"
    ((DRY_RUN)) || "$@"
}

# A change to the machine as a whole (packages, users, services): skipped under --prefix.
system() {
    if [[ -n $PREFIX ]]; then
        printf 'skipped (--prefix): %s\n' "$(quote "$@")"
    elif ((DRY_RUN)); then
        printf 'would run: %s\n' "$(quote "$@")"
    else
        printf '+ %s\n' "$(quote "$@")"
        "$@"
    fi
}

# install_file SRC DEST MODE [OWNER]: copy unless DEST already holds the same bytes;
# a DEST that differs is kept as DEST.bak.
install_file() {
    local src=$1 dest=$2 mode=$3 owner=${4:-}
    if [[ -f $dest ]] && cmp -s -- "$src" "$dest"; then
        run chmod "$mode" "$dest"
    else
        if [[ -f $dest ]]; then
            run cp -p -- "$dest" "$dest.bak"
        fi
        run install -m "$mode" -- "$src" "$dest"
    fi
    if [[ -n $owner ]]; then
        system chown "$owner" "$dest"
    fi
}

# install_text DEST MODE TEXT: install_file for generated text.
install_text() {
    local dest=$1 mode=$2 text=$3 tmp
    tmp=$(mktemp)
    printf '%s' "$text" >"$tmp"
    install_file "$tmp" "$dest" "$mode"
    rm -f -- "$tmp"
}

make_dir() {  # make_dir DIR MODE [OWNER]
    run install -d -m "$2" -- "$1"
    if [[ -n ${3:-} ]]; then
        system chown "$3" "$1"
    fi
}

# toml_strings FILE KEY...: top-level strings of a TOML file, one a line ("" when absent).
toml_strings() {
    python3 - "$@" <<'PY'
import sys
import tomllib

path, keys = sys.argv[1], sys.argv[2:]
try:
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
except (OSError, tomllib.TOMLDecodeError) as error:
    sys.exit(f"install.sh: error: {path}: {error}")
for key in keys:
    value = data.get(key, "")
    print(value if isinstance(value, str) and "\n" not in value else "")
PY
}

# --- 0. preflight ----------------------------------------------------------------------
if [[ -z $PREFIX ]] && ((!DRY_RUN)) && ((EUID != 0)); then
    die "run as root (sudo), or use --prefix DIR / --dry-run"
fi
command -v python3 >/dev/null || die "python3 is missing (apt-get install python3)"
if [[ -z $PREFIX && -r /etc/os-release ]]; then
    # shellcheck disable=SC1091
    codename=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")
    [[ $codename == bookworm ]] || printf 'warning: written for Bookworm, this is %s\n' "${codename:-unknown}"
fi

CONFIG_KIND=""
PLANT_FILE=""
if [[ -n $CONFIG ]]; then
    { read -r CONFIG_KIND; read -r plant_ref; } < <(toml_strings "$CONFIG" kind plant) ||
        die "cannot read $CONFIG"
    for role in "${ROLES[@]}"; do
        case $role in
            station | store | notify) want=$role ;;
            board | board-web) want=board ;;
            historian) want=plant ;;
            *) want="" ;;
        esac
        if [[ -n $want && $CONFIG_KIND != "$want" ]]; then
            die "$CONFIG is kind = \"${CONFIG_KIND:-?}\", the $role role needs kind = \"$want\""
        fi
    done
    if [[ -n $plant_ref ]]; then
        [[ $plant_ref == plant.toml ]] ||
            die "$CONFIG: set plant = \"plant.toml\" (installed, the plant file sits beside it) or install an andon provision bundle"
        PLANT_FILE=$(dirname "$CONFIG")/plant.toml
        [[ -f $PLANT_FILE ]] || die "$CONFIG names the plant file $PLANT_FILE, which does not exist"
    fi
fi
if has_role station; then
    NAME=${NAME:-$(basename "$CONFIG" .toml)}
    [[ $NAME =~ ^[a-z0-9][a-z0-9_-]*$ ]] || die "--name: expected lowercase letters, digits, - and _, got '$NAME'"
fi

# --- 1. system packages ----------------------------------------------------------------
say "system packages"
PACKAGES=(python3 python3-venv python3-pip mosquitto-clients ca-certificates openssl)
if ! command -v chronyd >/dev/null 2>&1; then
    PACKAGES+=(systemd-timesyncd)
fi
if has_role broker; then
    PACKAGES+=(mosquitto)
fi
system apt-get update
system env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${PACKAGES[@]}"

# --- 2. the service user ---------------------------------------------------------------
say "user $SERVICE_USER in ${SERVICE_GROUPS[*]}"
for group in "${SERVICE_GROUPS[@]}"; do
    if ! getent group "$group" >/dev/null 2>&1; then
        system groupadd --system "$group"
    fi
done
if ! id -u "$SERVICE_USER" >/dev/null 2>&1; then
    system useradd --system --user-group --home-dir /var/lib/andon --no-create-home \
        --shell /usr/sbin/nologin "$SERVICE_USER"
fi
system usermod --append --groups "$(IFS=,; printf '%s' "${SERVICE_GROUPS[*]}")" "$SERVICE_USER"

# --- 3. directories and the virtualenv -------------------------------------------------
say "directories"
make_dir "$OPT_DIR" 0755
make_dir "$ETC_DIR" 0750 "root:$SERVICE_USER"
make_dir "$DATA_DIR" 0750 "$SERVICE_USER:$SERVICE_USER"

EXTRAS=()
if has_role station || has_role store; then EXTRAS+=(pi); fi
if has_role board-web; then EXTRAS+=(web); fi
if has_role notify; then EXTRAS+=(notify); fi
if has_role historian; then EXTRAS+=(historian); fi
if ((${#EXTRAS[@]})); then
    SPEC="${SOURCE_DIR}[$(IFS=,; printf '%s' "${EXTRAS[*]}")]"
else
    SPEC=$SOURCE_DIR
fi
if ((NO_VENV)); then
    say "virtualenv left alone (--no-venv)"
else
    say "virtualenv $VENV with $SPEC"
    [[ -f $SOURCE_DIR/pyproject.toml ]] || die "--source $SOURCE_DIR has no pyproject.toml"
    if [[ ! -x $VENV/bin/python ]]; then
        run python3 -m venv "$VENV"
    fi
    run "$VENV/bin/pip" install --disable-pip-version-check --upgrade "$SPEC"
    run install -d -m 0755 -- "$(dirname "$BIN_LINK")"
    run ln -sfn /opt/andon/venv/bin/andon "$BIN_LINK"
fi

# --- 4. configuration ------------------------------------------------------------------
UNITS=()
install_config() {  # install_config DIR FILE_NAME
    local dir=$1 name=$2 source_dir
    source_dir=$(dirname "$CONFIG")
    say "configuration in $dir"
    make_dir "$dir" 0750 "root:$SERVICE_USER"
    install_file "$CONFIG" "$dir/$name" 0640 "root:$SERVICE_USER"
    if [[ -n $PLANT_FILE ]]; then
        install_file "$PLANT_FILE" "$dir/plant.toml" 0640 "root:$SERVICE_USER"
    fi
    if [[ -f $source_dir/mqtt.password ]]; then
        install_file "$source_dir/mqtt.password" "$dir/mqtt.password" 0600 "$SERVICE_USER:$SERVICE_USER"
    fi
    if [[ -f $source_dir/ca.crt ]]; then
        install_file "$source_dir/ca.crt" "$dir/ca.crt" 0644
    fi
    # The notifier's channel URLs (passwords): read by systemd as root, never by andon.
    if [[ $name == notify.toml && -f $source_dir/notify.env ]]; then
        install_file "$source_dir/notify.env" "$dir/notify.env" 0600 root:root
    fi
    # The historian's database URL and retention (read by systemd).
    if [[ $dir == "$ETC_DIR/historian" && -f $source_dir/historian.env ]]; then
        install_file "$source_dir/historian.env" "$dir/historian.env" 0600 root:root
    fi
}

if has_role station; then
    install_config "$ETC_DIR/$NAME" station.toml
    UNITS+=("andon-station@$NAME.service")
fi
if has_role board || has_role board-web; then
    install_config "$ETC_DIR/board" board.toml
    if has_role board; then UNITS+=(andon-board.service); fi
    if has_role board-web; then UNITS+=(andon-board-web.service); fi
fi
if has_role store; then
    install_config "$ETC_DIR/store" store.toml
    UNITS+=(andon-store.service)
fi
if has_role notify; then
    install_config "$ETC_DIR/notify" notify.toml
    UNITS+=(andon-notify.service)
fi
if has_role historian; then
    install_config "$ETC_DIR/historian" plant.toml
    UNITS+=(andon-historian.service)
fi

# --- 5. the broker ---------------------------------------------------------------------
if has_role broker; then
    say "Mosquitto: $MOSQUITTO_CONF_DIR/andon.conf and $MOSQUITTO_ANDON_DIR/"
    grep -q "^password_file /etc/mosquitto/andon/passwd$" "$BROKER_FILES/andon.conf" ||
        printf 'warning: %s does not name /etc/mosquitto/andon/passwd (provisioned with another --broker-dir?)\n' \
            "$BROKER_FILES/andon.conf"
    make_dir "$MOSQUITTO_CONF_DIR" 0755
    make_dir "$MOSQUITTO_ANDON_DIR" 0750 "root:mosquitto"
    # Started as root, Mosquitto switches to the mosquitto user and then reads these.
    install_file "$BROKER_FILES/passwd" "$MOSQUITTO_ANDON_DIR/passwd" 0600 mosquitto:mosquitto
    install_file "$BROKER_FILES/acl" "$MOSQUITTO_ANDON_DIR/acl" 0600 mosquitto:mosquitto
    for file in ca.crt server.crt enterprise-ca.crt; do
        if [[ -f $BROKER_FILES/$file ]]; then
            install_file "$BROKER_FILES/$file" "$MOSQUITTO_ANDON_DIR/$file" 0644 mosquitto:mosquitto
        fi
    done
    if [[ -f $BROKER_FILES/server.key ]]; then
        install_file "$BROKER_FILES/server.key" "$MOSQUITTO_ANDON_DIR/server.key" 0600 mosquitto:mosquitto
    fi
    install_file "$BROKER_FILES/andon.conf" "$MOSQUITTO_CONF_DIR/andon.conf" 0644 root:root
    # The site's bridge to the enterprise (andon provision --enterprise): read after andon.conf,
    # as root, and it holds the site's enterprise password.
    if [[ -f $BROKER_FILES/bridge.conf ]]; then
        install_file "$BROKER_FILES/bridge.conf" "$MOSQUITTO_CONF_DIR/bridge.conf" 0600 root:root
    fi
    UNITS+=(mosquitto.service)
fi

# --- 6. systemd units, udev rules, journald, time sync ---------------------------------
say "systemd units in $UNIT_DIR"
make_dir "$UNIT_DIR" 0755
for unit in "$DEPLOY_DIR"/systemd/*.service; do
    install_file "$unit" "$UNIT_DIR/$(basename "$unit")" 0644
done

say "udev rules for scanners"
make_dir "$UDEV_DIR" 0755
install_file "$DEPLOY_DIR/udev/99-andon-scanners.rules" "$UDEV_DIR/99-andon-scanners.rules" 0644
system udevadm control --reload
system udevadm trigger --action=add --subsystem-match=tty --subsystem-match=input

say "journald: persistent, capped"
make_dir "$JOURNALD_DIR" 0755
install_file "$DEPLOY_DIR/journald/andon.conf" "$JOURNALD_DIR/andon.conf" 0644
system systemctl restart systemd-journald

if ((${#NTP_SERVERS[@]})); then
    say "time sync from ${NTP_SERVERS[*]}"
    if command -v chronyd >/dev/null 2>&1; then
        printf 'note: chrony is installed; add "server %s iburst" to /etc/chrony/conf.d/andon.conf\n' "${NTP_SERVERS[0]}"
    else
        make_dir "$TIMESYNCD_DIR" 0755
        install_text "$TIMESYNCD_DIR/andon.conf" 0644 "# The plant's time servers (deploy/install.sh --ntp). The Pi has no battery clock.
[Time]
NTP=${NTP_SERVERS[*]}
"
        system systemctl enable systemd-timesyncd.service
        system systemctl restart systemd-timesyncd.service
    fi
fi
system timedatectl set-ntp true

# --- 7. services -----------------------------------------------------------------------
system systemctl daemon-reload
for unit in "${UNITS[@]}"; do
    system systemctl enable "$unit"
    if ((!NO_START)); then
        system systemctl restart "$unit"
    fi
done

say "done"
if ((${#UNITS[@]})); then
    printf 'services: %s\n' "${UNITS[*]}"
fi
if has_role station; then
    printf 'check the device:  sudo -u %s /opt/andon/venv/bin/andon doctor --config /etc/andon/%s/station.toml\n' \
        "$SERVICE_USER" "$NAME"
    printf 'follow the logs:   journalctl -u andon-station@%s -f\n' "$NAME"
fi
