# shellcheck shell=bash
# The machine under every role: preflight, system packages, the service user, the
# directories and the virtualenv. Sourced by install.sh.

# Root (unless --prefix or --dry-run), python3, Bookworm; the configuration's kind and
# plant file checked against the roles.
preflight() {
    local codename plant_ref role want
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
                web) want=web ;;
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
        STATION_NAME=${STATION_NAME:-$(basename "$CONFIG" .toml)}
        [[ $STATION_NAME =~ ^[a-z0-9][a-z0-9_-]*$ ]] || die "--name: expected lowercase letters, digits, - and _, got '$STATION_NAME'"
    fi
    if has_role web; then
        check_web
    fi
}

install_packages() {
    local packages=(python3 python3-venv python3-pip mosquitto-clients ca-certificates openssl)
    say "system packages"
    if ! command -v chronyd >/dev/null 2>&1; then
        packages+=(systemd-timesyncd)
    fi
    if has_role broker; then
        packages+=(mosquitto)
    fi
    system apt-get update
    system env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}"
}

install_user() {
    local group
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
}

install_directories() {
    say "directories"
    make_dir "$OPT_DIR" 0755
    make_dir "$ETC_DIR" 0750 "root:$SERVICE_USER"
    make_dir "$DATA_DIR" 0750 "$SERVICE_USER:$SERVICE_USER"
}

# /opt/andon/venv with the package and the extras the roles need.
install_venv() {
    local extras=() spec
    if has_role station || has_role store; then extras+=(pi); fi
    if has_role board-web || has_role web; then extras+=(web); fi
    if has_role notify; then extras+=(notify); fi
    if has_role historian; then extras+=(historian); fi
    if ((${#extras[@]})); then
        spec="${SOURCE_DIR}[$(IFS=,; printf '%s' "${extras[*]}")]"
    else
        spec=$SOURCE_DIR
    fi
    if ((NO_VENV)); then
        say "virtualenv left alone (--no-venv)"
        return
    fi
    say "virtualenv $VENV with $spec"
    [[ -f $SOURCE_DIR/pyproject.toml ]] || die "--source $SOURCE_DIR has no pyproject.toml"
    if [[ ! -x $VENV/bin/python ]]; then
        run python3 -m venv "$VENV"
    fi
    run "$VENV/bin/pip" install --disable-pip-version-check --upgrade "$spec"
    run install -d -m 0755 -- "$(dirname "$BIN_LINK")"
    run ln -sfn /opt/andon/venv/bin/andon "$BIN_LINK"
}
