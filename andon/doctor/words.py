"""What ``andon doctor`` finds and what to fix, as whole sentences marked for the catalogs.

Each check writes its finding in English from one of these templates (paths,
users, hosts and commands as they are); :func:`andon.doctor.result.render`
writes them in the reader's language. A shell command in a fix stays as typed.
"""

from __future__ import annotations

from andon.i18n.markers import N_, registered

# -- broker -----------------------------------------------------------------------------
UNREACHABLE_HINT = N_(
    "check [broker] host and port in the plant file, the network (ping {host}), and that\n"
    "Mosquitto runs on the broker host: systemctl status mosquitto"
)
REFUSED_HINT = N_(
    "the password file must hold the password andon provision made for {user}, and the\n"
    "broker must have the current passwd file: sudo deploy/install.sh --role broker "
    "--broker-files DIR"
)
TLS_HINT = N_(
    "ca_file must be the plant's CA (ca.crt of the bundle) and the broker's certificate must\n"
    "name {host}: andon provision --tls --tls-name {host} --renew-cert, then install it"
)
ANONYMOUS = N_("(anonymous)")
NOT_TRUSTED = N_("{endpoint}: the broker's certificate is not trusted: {error}")
TLS_FAILED = N_("{endpoint}: TLS failed: {error}")
CANNOT_RESOLVE = N_("cannot resolve the broker host {host}")
NOTHING_LISTENS = N_("{endpoint}: nothing listens there (connection refused)")
NO_ANSWER = N_("{endpoint}: no answer")
OS_ERROR = "{endpoint}: {error}"
"""The operating system's own words, kept as they are (not a sentence of andon's)."""
CLOSED_BEFORE_LOGIN = N_(
    "{endpoint} closed the connection before accepting the login (a TLS port spoken to "
    "without TLS?)"
)
SILENT_BEFORE_LOGIN = N_(
    "{endpoint} did not answer in {seconds} s before accepting the login (a TLS port spoken "
    "to without TLS?)"
)
PORTS_HINT = N_("plain MQTT is port 1883, TLS 8883: match [broker] port and tls to the broker")
REFUSED_USER = N_("{endpoint} refused user {user}: {reason}")
ACCEPTED_USER = N_("{endpoint} accepted user {user}")

# -- mosquitto (this host's broker) -----------------------------------------------------
MOSQUITTO_NO_VERSION = N_("{program} -h does not name its version")
MOSQUITTO_NO_CONFIG = N_("Mosquitto {version}, but no configuration {config}")
MOSQUITTO_NO_TLS_BRIDGE = N_(
    "Mosquitto {version}: no TLS bridge in {config} or the files it includes"
)
MOSQUITTO_FIXED = N_(
    "Mosquitto {version} with the TLS bridge {bridge} ({file}): 2.0.15 or later, without the "
    "hang of eclipse-mosquitto/mosquitto#2594"
)
MOSQUITTO_HANGS_WATCHED = N_(
    "Mosquitto {version} with the TLS bridge {bridge} ({file}) can hang at 100 % CPU after a "
    "failed TLS handshake (eclipse-mosquitto/mosquitto#2594, fixed in 2.0.15); the broker "
    "watchdog is installed ({unit}) and restarts it"
)
MOSQUITTO_HANGS = N_(
    "Mosquitto {version} with the TLS bridge {bridge} ({file}) can hang at 100 % CPU after a "
    "failed TLS handshake (eclipse-mosquitto/mosquitto#2594, fixed in 2.0.15), and no broker "
    "watchdog is installed ({unit} is missing)"
)
MOSQUITTO_UNREADABLE = N_(
    "Mosquitto {version}: {file} is not readable for this user, so a TLS bridge in it (this "
    "version can hang on one: eclipse-mosquitto/mosquitto#2594) cannot be checked"
)
UPGRADE_HINT = N_(
    "upgrade Mosquitto to 2.0.15 or later (Debian 13 has 2.0.21; Mosquitto's own apt\n"
    "repository has it for Debian 12); until then the watchdog keeps the site's bus: {issue}"
)
WATCHDOG_HINT = N_(
    "install the broker watchdog (sudo deploy/install.sh --role broker --broker-files DIR,\n"
    "with clients/watchdog/ of andon provision beside broker/) or upgrade Mosquitto to 2.0.15\n"
    "or later: {issue}"
)
READ_AS_ROOT_HINT = N_(
    "run andon doctor with sudo to read it, or look yourself: sudo grep -n bridge_ {file}"
)

# -- clock ------------------------------------------------------------------------------
SYNC_HINT = N_(
    "the Pi has no battery clock: it needs NTP. Check: timedatectl timesync-status\n"
    "set the plant's NTP server: sudo deploy/install.sh --ntp SERVER (or NTP= in\n"
    "/etc/systemd/timesyncd.conf.d/andon.conf) and allow UDP port 123 to it"
)
NEVER_SET = N_("the clock says {time} UTC: never set")
SYNCED_TIMEDATECTL = N_("{time} UTC, synchronized (timedatectl)")
NOT_SYNCED_TIMEDATECTL = N_("{time} UTC, not synchronized (timedatectl)")
CANNOT_TELL = N_("{time} UTC; cannot tell whether it is synchronized")
NOT_SYNCED_KERNEL = N_("{time} UTC, not synchronized (kernel adjtimex)")
SYNCED_KERNEL = N_("{time} UTC, synchronized (kernel adjtimex state {state})")

# -- credentials ------------------------------------------------------------------------
PROVISION_HINT = N_(
    "copy the device's bundle from andon provision (mqtt.password, ca.crt) next to its "
    "configuration: sudo deploy/install.sh --role ROLE --config BUNDLE/FILE.toml"
)
CA_UNREADABLE = N_("CA certificate {path} is missing or unreadable")
CERT_UNREADABLE = N_("client certificate {path} is missing or unreadable")
KEY_UNREADABLE = N_("client key {path} is missing or unreadable")
NO_USERNAME = N_("no username: the broker must allow anonymous clients")
NO_PASSWORD_FILE = N_("username {user} but no password_file in [broker]")
PASSWORD_FILE_ERROR = N_("password file {path}: {error}")
PASSWORD_NOT_UTF8 = N_("password file {path} is not UTF-8 text")
PASSWORD_EMPTY = N_("password file {path} is empty")
PASSWORD_SHARED = N_("password file {path} is readable by other users")
CREDENTIALS_OK = N_("user {user}, password file {path} (private)")
CREDENTIALS_OK_CA = N_("user {user}, password file {path} (private), CA {ca}")

# -- disk -------------------------------------------------------------------------------
FREE_SPACE_HINT = N_(
    "free space on the SD card: sudo journalctl --vacuum-size=100M, remove old files\n"
    "(apt-get clean); a full disk stops the journal and loses events"
)
NO_DIRECTORY = N_("{directory} does not exist")
NOT_WRITABLE = N_("{directory} is not writable for this user")
FREE = N_("{free} free of {total} ({share}) at {directory}")

# -- pins -------------------------------------------------------------------------------
NO_PINS = N_("no GPIO pins in this configuration")
MOCK_PINS = N_("GPIOZERO_PIN_FACTORY=mock: the pins would be simulated")
UNSET_MOCK = N_("unset GPIOZERO_PIN_FACTORY in the service's environment")
NO_CHIP = N_(
    "no GPIO chip ({pattern}): this is not a Raspberry Pi, or the kernel has no GPIO "
    "character device"
)
ON_A_PI = N_("run the station on a Raspberry Pi with Raspberry Pi OS Bookworm")
NO_PERMISSION_OPEN = N_("{device}: no permission to open")
GPIO_GROUP = N_(
    "add the service user to the gpio group (sudo usermod -aG gpio andon; deploy/install.sh "
    "does), then restart the service"
)
NO_PIN_LIBRARY = N_("the pin library {module} is not installed: gpiozero cannot drive the pins")
PI_EXTRA = N_(
    "install the pi extra: sudo /opt/andon/venv/bin/pip install 'andon[pi]' "
    "(deploy/install.sh does)"
)
PINS_OK = N_("{count} pins ({pins}) on {chips}; {module} imports")

# -- scanners ---------------------------------------------------------------------------
UDEV_HINT = N_(
    "plug the scanner in (USB serial/CDC mode) and look for it: ls -l /dev/andon-scanner*\n"
    "the udev rule /etc/udev/rules.d/99-andon-scanners.rules names it; for a scanner it does\n"
    "not know, add its vendor id (udevadm info /dev/ttyACM0 | grep ID_VENDOR_ID) and replug"
)
NO_SCANNERS = N_("no scanners in this configuration")
DIALOUT_GROUP = N_(
    "add the service user to the dialout group (sudo usermod -aG dialout andon; "
    "deploy/install.sh does), then restart the service"
)
DOES_NOT_OPEN = N_("{device} does not open: {error}")
HOLDS_THE_PORT = N_(
    "check the cable and that no other program holds the port (sudo fuser -v {device})"
)
OPENS = N_("{device} ({found}) opens at {baud} baud")
LOOK_FOR_IT = N_("plug the scanner in and look for it: ls -l /dev/input/by-id/")
NO_PERMISSION_READ = N_("{device}: no permission to read")
INPUT_GROUP = N_(
    "add the service user to the input group (sudo usermod -aG input andon; "
    "deploy/install.sh does), then restart the service"
)
READABLE = N_("{device} ({found}) is readable")
NO_DEVICE_FILE = N_("{device} does not exist")
DEVICE_ERROR = "{device}: {error}"
"""The operating system's own words, kept as they are."""
NOT_A_DEVICE = N_("{device} is not a device")
CHARACTER_DEVICE = N_("character device")

# -- the file and the user --------------------------------------------------------------
CONFIG_OK = N_("{file}: {kind} {summary}")
MORE_ISSUES = N_("{issues} (and {count} more)")
AS_ROOT = N_("running as root: permissions are those of root, not of the service")

# -- the verdict ------------------------------------------------------------------------
FIX = N_("fix: {fix}")
ONE_FAILED = N_("{count} check failed")
FAILED = N_("{count} checks failed")
ALL_PASSED = N_("all checks passed")


TEMPLATES: tuple[str, ...] = registered(
    globals(), leave_out=("OS_ERROR", "DEVICE_ERROR", "CONFIG_OK", "MORE_ISSUES", "FIX")
)
"""The findings and fixes above, the most specific first, found again when the results are
shown (the configuration's findings are written in the reader's language by the runner)."""
