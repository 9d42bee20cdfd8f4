"""The words of ``andon bench``'s table: row names, references, targets, why not measured.

Every row is made in English from one of these templates (the ``--json`` report
keeps them so, for scripts and for comparing machines); :func:`andon.bench.table.render`
finds the template again and writes the row in the terminal's language
(:func:`shown`), its notes and the Raspberry Pi estimates too, for the plain run as
for ``--web``, ``--sites`` and ``--history``. The peer harness's table (``--peers``)
stays English (docs/i18n.md). Numbers in a field are written
before they are filled in, so a template has no format specifications.
"""

from __future__ import annotations

from andon.i18n.catalog import Translator
from andon.i18n.markers import N_, registered
from andon.i18n.sentences import translated

INDENT = "  "
"""Before a row that is part of the row above (``of which …``, ``then …``)."""

# -- rows: the station ----------------------------------------------------------------
PRESS_LAMP = N_("press → lamp output (station)")
PRESS_LAMP_WORK = N_("of which the station's work (HAL event → lamp)")
PRESS_APPEND = N_("then the press's durable append")

# -- rows: over the broker --------------------------------------------------------------
RAW_ROUND_TRIP = N_("raw paho publish → receive (reference)")
PRESS_EVENT = N_("press → event at a plain MQTT subscriber")
PRESS_BOARD_MODEL = N_("press → board model updated")
PRESS_BOARD_PAINT = N_("press → board repainted (Textual, headless)")
INGEST_RATE = N_("board ingest, {lines} lines × {per_line} stations")
CPU_BOARD_INGEST = N_("CPU per event, board feed + model")
BOARD_VISIBLE = N_("event → visible on the board while a stream flows in")
CPU_PUBLISH = N_("CPU per message, paho QoS 1 publisher (reference)")
HISTORIAN_INGEST = N_("historian ingest into SQLite, {lines} lines × {per_line} stations")
CPU_HISTORIAN = N_("CPU per event, historian into SQLite (its process)")
HISTORIAN_INGEST_PG = N_("historian ingest into PostgreSQL (fsync off)")
CPU_HISTORIAN_PG = N_("CPU per event, historian into PostgreSQL (its process)")

# -- rows: the board's view, in-process --------------------------------------------------------
VIEW_ONE_LINE = N_("board view, {lines} lines × {per_line} stations, one line changed (CPU)")
VIEW_NOTHING = N_("board view, {lines} lines × {per_line} stations, nothing changed (CPU)")

# -- rows: the processes -----------------------------------------------------------------
CPU_STATION = N_("CPU per event, station process")
CPU_STATION_IDLE = N_("station process idle CPU")
RSS_STATION_IDLE = N_("station RSS idle")
RSS_STATION_LOAD = N_("station RSS under load")
CPU_BOARD_PROCESS = N_("CPU per event, board process (incl. screen)")
RSS_BOARD_IDLE = N_("board RSS idle")
RSS_BOARD_LOAD = N_("board RSS under load")
START_EMPTY = N_("start-up to first lamp output (empty journal)")
START_JOURNAL = N_("start-up to first lamp output ({journal_events} events)")
START_REPLAY = N_("start-up, {journal_events} events, no checkpoint")
RESTORE_PER_EVENT = N_("journal replay at start-up, per event")

# -- rows: the retained state --------------------------------------------------------------
STATE_SIZE = N_("retained state, {closed} closed calls: size")
STATE_PUBLISH = N_("working it out and encoding it, per publish")

# -- references (measured in the same run) ---------------------------------------------------
HAL_ALONE_P99 = N_("simulated HAL alone p99")
APPEND_P99 = N_("one durable journal append p99")
RAW_ROUND_TRIP_P99 = N_("raw round trip p99")
PRESS_EVENT_P99 = N_("press → event p99")
RAW_SUBSCRIBER = N_("raw paho subscriber")
BOARD_INGEST = N_("board ingest")
INTO_SQLITE = N_("into SQLite")
BARE_PYTHON = N_("bare Python")
BARE_PYTHON_START = N_("bare Python start")
PAHO_PUBLISH = N_("paho QoS 1 publish")
STATE_V1 = N_("listing them (state v1)")
NO_CLOSED_CALLS_P99 = N_("at 0 closed calls p99")
PUBLISHED_TO_MODEL_P99 = N_("published → board model p99")
EVERY_LINE_REBUILT_P99 = N_("every line built again (a new second) p99")

# -- targets ---------------------------------------------------------------------------------
P99_AT_MOST_MS = N_("p99 ≤ {ms} ms")
P99_RAW_MARGIN = N_("p99 ≤ raw p99 + {margin} ms ({limit} ms)")
RAW_SHARE = N_("≥ {share} × raw, no event lost")
HISTORIAN_RATE = N_("≥ {rate} events/s and ≥ 1 × board, no event lost")
AT_MOST_MB = N_("≤ {mb} MB")
AT_MOST_S = N_("≤ {seconds} s")
AT_MOST_KB = N_("≤ {kb} kB")

# -- why a row was not measured ----------------------------------------------------------------
NO_MOSQUITTO = N_("the mosquitto binary is not installed (apt-get install mosquitto)")
NO_POSTGRESQL = N_("PostgreSQL 15 or psycopg missing")
NO_SAMPLES = N_("no samples")

# -- why a measurement is invalid (the row fails, whatever its target) ---------------------------
INVALID_NEGATIVE_SAMPLES = N_(
    "{count} of {samples} samples are below zero (the lowest {lowest} ms): a latency cannot "
    "be negative, so the stamps do not belong to the same message or clock"
)
INVALID_SAMPLES_NOT_NUMBERS = N_("{count} of {samples} samples are not a number")
INVALID_NEGATIVE_VALUE = N_("the value {value} is below zero, which this figure cannot be")
INVALID_NOT_A_NUMBER = N_("the value is not a number")

# -- notes under the table ----------------------------------------------------------------------
NOTE_PRESS_LAMP = N_("from the release edge, which wakes the station's loop")
NOTE_PRESS_WORK = N_("deciding, folding, the lamp rules; the journal's fsync follows the lamp")
NOTE_PRESS_APPEND = N_(
    "the journal's commit of the press's events, after the lamp; nothing is published before it"
)
NOTE_BOARD_PAINT = N_(
    "the screen composed again (post_display_hook); terminal encoding not included"
)
NOTE_INGEST = N_(
    "{events} events from {stations} stations, the median of {rounds} rounds "
    "(ratios {ratios}); lost {lost}, duplicates dropped {dropped}"
)
NOTE_HISTORIAN = N_(
    "{events} events, from the first received to the last committed; lost {lost}; "
    "{mib} MiB of SQLite per million events"
)
NOTE_HISTORIAN_PG = N_("{events} events, lost {lost}; a server on a Unix socket, fsync off")
NOTE_CPU_STATION = N_("a command over MQTT: parsed, journaled, answered, the event published")
NOTE_RESTORE = N_("start-up without a checkpoint minus the empty one, over the journal's events")
NOTE_STATE_SIZE = N_(
    "what is open and a bounded summary of the shift; the reference lists the shift's "
    "closed calls too, as state version 1 did"
)
NOTE_STATE_PUBLISH = N_(
    "the snapshot and its JSON, on the station's loop, before each publish (at most 4 a second)"
)
NOTE_VISIBLE = N_(
    "{events} events published at {rate} messages/s; {views} views built, paced as the app "
    "paces its redraws; never visible {missing}"
)

# -- Raspberry Pi estimates -----------------------------------------------------------------------
ESTIMATE = N_("{device} (assumed ×{factor}, range ×{low}–×{high}): {parts}")
ESTIMATE_STATION = N_("station {ms} ms CPU per event (≈ {rate} events/s per core)")
ESTIMATE_IDLE = N_("station idle ≈ {percent} % of a core")
ESTIMATE_IDLE_OVER = N_("station idle needs more than a whole core")
ESTIMATE_BOARD = N_(
    "board {ms} ms CPU per event (≈ {rate} events/s per core; {busy} events/s would take {load})"
)
ESTIMATE_SHARE = N_("{percent} % of a core")
ESTIMATE_CORES = N_("more than a core: {cores} cores' worth")
ESTIMATE_REPLAY = N_("restart replays ≈ {rate} journal events/s")
ESTIMATE_SEPARATOR = N_("; ")
"""Between the estimates of one device (each a clause of its own)."""

# -- andon bench --web -------------------------------------------------------------------------
WEB_DRAIN = N_("event → {viewers} SSE viewers (during the drain)")
WEB_TO_SERVER = N_("of which published → the server's model")
WEB_TO_VIEWER = N_("then the server's model → each viewer")
WEB_AT_REST = N_("event → {viewers} SSE viewers (at rest)")
WEB_RSS = N_("web server memory per viewer")
WEB_CPU = N_("web server CPU per viewer, quiet (timers)")
WEB_QUIET_BYTES = N_("bytes to each viewer, quiet (timers)")
WEB_DRAIN_BYTES = N_("bytes to each viewer during the drain")
WEB_DRAIN_CPU = N_("web server CPU while draining, {viewers} viewers")
WEB_CPU_WAIT = N_("its threads waiting for a CPU meanwhile")
SERVE_PER_TAB = N_("textual-serve per tab")
SERVE_RSS = N_("textual-serve memory per tab ({processes} board processes)")
SERVE_REFERENCE = N_("textual-serve, per tab")
LOOP_INTAKE_P99 = N_("broker read in the server's loop p99")
LOOP_INTAKE = N_("broker read in the server's loop")
NO_SCHEDSTAT = N_("the kernel does not say (schedstat)")
NO_CHROMIUM = N_("chromium is not installed")
NO_PLAYWRIGHT = N_("playwright is not installed")
NOTE_WEB_DRAIN = N_("{missed} sightings missed; {events} events in {seconds} s")
NOTE_WEB_TO_SERVER = N_("the broker's queue to the server and its feed")
NOTE_WEB_TO_VIEWER = N_("hub, page, socket")
NOTE_WEB_RSS = N_("{idle} MB without viewers, {busy} MB with")
NOTE_WEB_DRAIN_BYTES = N_("sent alike to every viewer of the page")
NOTE_WEB_CPU_WAIT = N_("ready to run, on the run queue (summed over its threads)")
NOTE_WEB_INTAKE_CPU = N_("the server and its intake process")
NOTE_WEB_ROUNDS = N_(
    "p99 of each of {count} rounds: {these} ms; the broker read in the server's loop: {loop} ms"
)
MEASURE_WEB_ROUND = N_("round {round} of {rounds}")
MEASURE_WEB = N_("{viewers} web viewers while {lines} lines drain")
MEASURE_WEB_LOOP = N_(
    "{viewers} web viewers while {lines} lines drain, the broker read in the server's loop"
)
MEASURE_SERVE = N_("textual-serve in {tabs} Chromium tab(s)")

# -- andon bench --sites ------------------------------------------------------------------------
SITES_RATE = N_("sites: sustained rate")
SITES_RATE_OF = N_("sites: sustained rate, {stations} stations over {sites} sites")
SITES_LAG_UP = N_("sites: lag station → enterprise, WAN up")
SITES_LAG_ALL = N_("sites: lag station → enterprise, cuts included")
SITES_LOST = N_("sites: events lost")
SITES_DUPLICATES = N_("sites: duplicates before de-dup")
SITES_FOREIGN = N_("sites: stations with events nobody sent")
SITES_CPU = N_("sites: CPU, {kind}")
SITE_TO_SITE_P99 = N_("station → site p99")
REAL_PLANT = N_("a real plant")
SITES_TARGET = N_("≥ {rate} ({times}× real)")
NOTE_SITES_RATE = N_(
    "{acked} of {published} acknowledged by the site brokers; WAN cut {cuts}× {seconds} s"
)
NOTE_SITES_LAG_UP = N_("events sent while the WAN was up, not within {seconds} s of a cut")
NOTE_SITES_LAG_ALL = N_("the last queued event arrived {seconds} s after the stations stopped")
SITES_RESTARTS = N_("sites: site brokers restarted by their watchdogs")
NOTE_SITES_HANGS = N_("{hangs} hangs seen by the watchdogs")
NOTE_SITES_REPLAYS = N_(
    "{replays} replays asked by the enterprise subscriber, {replayed} events sent again"
)
SITES_LOST_UNHEARD = N_("sites: events the enterprise subscriber never heard of")
NOTE_SITES_LOST_UNHEARD = N_(
    "sent after the last seq that any event or retained state told the enterprise "
    "subscriber of, so that no gap asked for them"
)
NOTE_SITES_DUPLICATES = N_("QoS 1 resends after a cut, removed by (station, seq)")
SITES_DROPPED = N_("sites: events dropped by the site brokers")
NOTE_SITES_DROPPED = N_(
    "acknowledged to a station, then dropped for a full queue (the bridge's): "
    "$SYS/broker/publish/messages/dropped of every process of each site broker"
)
NOTE_SITES_CPU = N_("{us} µs per event; peak memory {mb} MB per process")
NOTE_SITES_CPU_SHARED = N_(
    "{us} µs per event; peak memory {mb} MB per process "
    "({count} processes, per process {percent} %)"
)
SITES_HISTORY_LOST = N_("sites: events missing from the enterprise history (PostgreSQL)")
NOTE_SITES_HISTORY = N_(
    "each of {stations} station journals held to the history (events and last seq, as "
    "verify-journal counts them): {differ} differ; {foreign} stored events nobody sent"
)
SITES_HISTORY_DUPLICATED = N_("sites: duplicated events in the enterprise history")
SITES_HISTORY_LAG = N_("sites: lag station → enterprise history (PostgreSQL)")
NOTE_SITES_HISTORY_LAG = N_(
    "from an event's at to its writing by the enterprise historian; the last was written "
    "{seconds} s after the enterprise subscriber had every event"
)
MEASURE_SITES_HISTORY = N_("sites: waiting for the enterprise historian to store every event")
ENTERPRISE_HISTORIAN = N_("enterprise historian")
ENTERPRISE_DATABASE = N_("enterprise PostgreSQL server")
SITE_BROKER = N_("site broker")
ENTERPRISE_BROKER = N_("enterprise broker")
WAN_RELAY = N_("WAN relay")
ENTERPRISE_SUBSCRIBER = N_("enterprise subscriber")
SITE_SUBSCRIBER = N_("site subscriber (reference)")
STATIONS_PROCESS = N_("stations process")
MEASURE_SITES = N_("sites: {sites} site brokers, an enterprise broker, {stations} stations")
MEASURE_SITES_CUTS = N_("sites: {rate} events/s from each station, the WAN cut {cuts} times")
MEASURE_SITES_DRAIN = N_("sites: waiting for the enterprise subscriber to catch up")

# -- andon bench --history ---------------------------------------------------------------------
LINE_SHIFT = N_("report: one line's shift ({db})")
SITE_SHIFT = N_("report: the site's shift, 100 stations ({db})")
FIRST_LINE_MONTH = N_("first report: one line's whole month, shift sections written ({db})")
LINE_MONTH = N_("report: one line's whole month, from shift sections ({db})")
HISTORY_SIZE = N_("history size per million events ({db})")
STORE_FOLDED = N_("store and fold as the historian does, {batch} events a batch ({db})")
LINE_SHIFT_PG = N_("report line shift: PostgreSQL against SQLite")
SITE_SHIFT_PG = N_("report site shift: PostgreSQL against SQLite")
LINE_SHIFT_OF = N_("line shift ({db})")
SQLITE_LINE_SHIFT = N_("SQLite line_shift")
SQLITE_SITE_SHIFT = N_("SQLite site_shift")
UNDER_S = N_("< {seconds} s")
NO_POSTGRESQL_INSTALLED = N_("PostgreSQL 15 or psycopg is not installed")
MEASURE_HISTORY = N_("history: {days} days × {stations} stations (cached in {cache})")
MEASURE_REPORTS_SQLITE = N_(
    "reports on SQLite ({events} events; the historian's fold caught up {folded} events)"
)
MEASURE_REPORTS_SQLITE_NEW = N_(
    "reports on SQLite ({events} events, generated now; the historian's fold caught up"
    " {folded} events)"
)
MEASURE_PG_STORE = N_("storing the history into PostgreSQL as the historian does")
MEASURE_REPORTS_PG = N_("reports on PostgreSQL")

# -- what is measured next (progress) -------------------------------------------------------------
MEASURE_APPENDS = N_("durable journal appends")
MEASURE_HAL = N_("press → lamp on the simulated HAL alone (reference)")
MEASURE_PRESSES = N_("press → lamp and press → event at a plain subscriber")
MEASURE_ROUND_TRIPS = N_("raw paho round trips")
MEASURE_BOARD = N_("press → board model and repaint")
MEASURE_INGEST = N_("board ingest: {lines} lines × {per_line} stations")
MEASURE_VISIBLE = N_("event → visible: {lines} lines × {per_line} stations, live")
MEASURE_HISTORIAN = N_("historian ingest: {lines} lines × {per_line} stations")
MEASURE_HISTORIAN_PG = N_("historian ingest into PostgreSQL")
MEASURE_BARE = N_("bare interpreter")
MEASURE_STATION = N_("station process: idle, then {count} commands")
MEASURE_BOARD_PROCESS = N_("board process: idle, then {count} events")
MEASURE_START_UP = N_("start-up, empty journal and {count} events")
MEASURE_VIEWS = N_("board views of {lines} lines × {per_line} stations, in-process")
MEASURE_STATE = N_("the retained state at 0, 200 and 2 000 closed calls")

TEMPLATES: tuple[str, ...] = registered(globals(), leave_out=("INDENT", "ESTIMATE_SEPARATOR"))
"""Every text above, found again by :func:`shown`."""


def shown(text: str, tr: Translator) -> str:
    """A row's text (kept in English) in ``tr``'s language, its indentation kept; a text
    no template wrote (another program's error) as it is."""
    body = text.lstrip(" ")
    return text[: len(text) - len(body)] + translated(body, TEMPLATES, tr, WORDS)


def _word(value: str, tr: Translator) -> str:
    return translated(value, TEMPLATES, tr)


WORDS = {"kind": _word}
"""Fields whose value is itself one of the texts above (the part of a load test)."""
