# shellcheck shell=bash disable=SC2034
# The command line of deploy/install.sh: roles and options, checked before anything
# changes, and the paths under the install root. Sourced by install.sh; the variables
# set here are read by the other files of deploy/lib/ (hence SC2034 off in this file).

readonly ROLES_KNOWN="station board board-web store broker notify historian web"

usage() {
    cat <<'TEXT'
Usage: install.sh --role ROLE [--role ROLE ...] [options]

Roles:
  station     the station agent (andon-station@NAME.service)    needs --config
  board       the progress board full screen on tty1 (kiosk)    needs --config
  board-web   the progress board served to browsers             needs --config
  store       the store's material-call board                   needs --config
  notify      maintenance alerts                                needs --config
  historian   the history of every event, for reports           needs --config (plant)
  broker      Mosquitto with the plant's passwords and ACL      needs --broker-files
  web         the web and phone view, HTTPS (andon-web)         needs --config (web),
                                                                --tls-cert, --tls-key

Options:
  --config FILE        the role's configuration file (station, board, store, notify or
                       web; the plant file for the historian);
                       the plant file it names is installed beside it, and so are
                       mqtt.password and ca.crt found next to FILE (an andon provision bundle)
  --name NAME          instance name of a station (default: FILE's name without .toml)
  --broker-files DIR   the broker/ directory written by andon provision
  --tls-cert FILE      the web role's certificate (the deploy's, for this host's name)
  --tls-key FILE       and its private key
  --ntp SERVER         the plant's NTP server (repeatable): the Pi has no battery clock
  --source DIR         what to pip install (default: the checkout holding this script)
  --no-venv            leave /opt/andon/venv alone (configuration and units only)
  --no-start           enable the services but do not (re)start them
  --prefix DIR         install every path under DIR; no system-wide change (for tests)
  --dry-run            print the steps, change nothing
  -h, --help           this text
TEXT
}

parse_arguments() {
    PREFIX=""
    DRY_RUN=0
    NO_VENV=0
    NO_START=0
    CONFIG=""
    STATION_NAME=""
    BROKER_FILES=""
    TLS_CERT=""
    TLS_KEY=""
    ROLES=()
    NTP_SERVERS=()
    local more
    while (($# > 0)); do
        case $1 in
            --role)
                (($# >= 2)) || die "--role needs a value"
                IFS=, read -r -a more <<<"$2"
                ROLES+=("${more[@]}")
                shift 2
                ;;
            --config) (($# >= 2)) || die "--config needs a file"; CONFIG=$2; shift 2 ;;
            --name) (($# >= 2)) || die "--name needs a value"; STATION_NAME=$2; shift 2 ;;
            --broker-files) (($# >= 2)) || die "--broker-files needs a directory"; BROKER_FILES=$2; shift 2 ;;
            --tls-cert) (($# >= 2)) || die "--tls-cert needs a file"; TLS_CERT=$2; shift 2 ;;
            --tls-key) (($# >= 2)) || die "--tls-key needs a file"; TLS_KEY=$2; shift 2 ;;
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
}

has_role() {
    local role
    for role in "${ROLES[@]}"; do
        [[ $role == "$1" ]] && return 0
    done
    return 1
}

check_arguments() {
    local role file needs_config=0
    ((${#ROLES[@]} > 0)) || { usage >&2; die "say which role(s) to install with --role"; }
    for role in "${ROLES[@]}"; do
        [[ " $ROLES_KNOWN " == *" $role "* ]] || die "unknown role '$role' (one of: $ROLES_KNOWN)"
    done
    for role in station board board-web store notify historian web; do
        has_role "$role" && needs_config=1
    done
    if ((needs_config)); then
        [[ -n $CONFIG ]] || die "the role(s) ${ROLES[*]} need --config FILE"
        [[ -f $CONFIG ]] || die "no configuration file $CONFIG"
    elif [[ -n $CONFIG ]]; then
        die "--config is for the station, board, board-web, store, notify, historian and web roles"
    fi
    if has_role broker; then
        [[ -n $BROKER_FILES ]] || die "the broker role needs --broker-files DIR (andon provision's broker/)"
        for file in andon.conf passwd acl; do
            [[ -f $BROKER_FILES/$file ]] || die "$BROKER_FILES/$file is missing: run andon provision first"
        done
    fi
    if ! has_role web && [[ -n $TLS_CERT$TLS_KEY ]]; then
        die "--tls-cert and --tls-key are for the web role"
    fi
    if [[ -n $PREFIX ]]; then
        [[ $PREFIX == /* ]] || PREFIX=$PWD/$PREFIX
        PREFIX=${PREFIX%/}
        [[ -n $PREFIX ]] || die "--prefix / is the machine itself: leave --prefix out"
    fi
}

# Every path the install writes, under the install root (--prefix, or the machine).
set_paths() {
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
}
