# shellcheck shell=bash
# The broker role: Mosquitto with the files andon provision wrote (passwords, ACL, the
# client ids, TLS, the bridge to the enterprise). Sourced by install.sh.

install_broker() {
    local file
    say "Mosquitto: $MOSQUITTO_CONF_DIR/andon.conf and $MOSQUITTO_ANDON_DIR/"
    grep -q "^password_file /etc/mosquitto/andon/passwd$" "$BROKER_FILES/andon.conf" ||
        printf 'warning: %s does not name /etc/mosquitto/andon/passwd (provisioned with another --broker-dir?)\n' \
            "$BROKER_FILES/andon.conf"
    make_dir "$MOSQUITTO_CONF_DIR" 0755
    make_dir "$MOSQUITTO_ANDON_DIR" 0750 "root:mosquitto"
    # Started as root, Mosquitto switches to the mosquitto user and then reads these.
    install_file "$BROKER_FILES/passwd" "$MOSQUITTO_ANDON_DIR/passwd" 0600 mosquitto:mosquitto
    install_file "$BROKER_FILES/acl" "$MOSQUITTO_ANDON_DIR/acl" 0600 mosquitto:mosquitto
    # Binds every account to its client id (the dynamic security plugin reads it).
    if [[ -f $BROKER_FILES/clientids.json ]]; then
        install_file "$BROKER_FILES/clientids.json" "$MOSQUITTO_ANDON_DIR/clientids.json" 0600 mosquitto:mosquitto
    elif grep -q "^plugin_opt_config_file " "$BROKER_FILES/andon.conf"; then
        die "$BROKER_FILES/clientids.json is missing: copy the whole broker/ directory andon provision wrote"
    fi
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
    install_watchdog
}

# The broker watchdog's bundle (clients/watchdog/ beside broker/): restarts a hung Mosquitto.
install_watchdog() {
    local bundle
    bundle="$(dirname "$BROKER_FILES")/clients/watchdog"
    if [[ ! -f $bundle/plant.toml ]]; then
        printf 'warning: %s is missing (provisioned before the watchdog existed?): no broker watchdog\n' \
            "$bundle/plant.toml"
        return 0
    fi
    say "broker watchdog: $ETC_DIR/watchdog/"
    make_dir "$ETC_DIR/watchdog" 0700 root:root
    install_file "$bundle/plant.toml" "$ETC_DIR/watchdog/plant.toml" 0600 root:root
    install_file "$bundle/mqtt.password" "$ETC_DIR/watchdog/mqtt.password" 0600 root:root
    if [[ -f $bundle/ca.crt ]]; then
        install_file "$bundle/ca.crt" "$ETC_DIR/watchdog/ca.crt" 0644 root:root
    fi
    UNITS+=(andon-broker-watchdog.service)
}
