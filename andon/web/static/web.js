// The live part of an andon page: replaced by every server-sent event; when the
// stream is silent for STALE_MS the page says the connection is lost and how old
// its data is, and catches up as soon as the stream is back (the server sends the
// whole live part first). Texts come from the page, in its language.
(function () {
  "use strict";
  var STALE_MS = 3000;
  var main = document.getElementById("live");
  var lost = document.getElementById("stream-lost");
  if (!main || !main.dataset.stream || !window.EventSource) { return; }
  var heard = Date.now();
  var source = null;

  function shownClock() {
    var clock = main.querySelector(".plant-clock b");
    return clock ? clock.textContent : "";
  }

  function age(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    var m = Math.floor(s / 60);
    var h = Math.floor(m / 60);
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return h ? h + ":" + pad(m % 60) + ":" + pad(s % 60) : m + ":" + pad(s % 60);
  }

  function fresh() {
    heard = Date.now();
    if (!lost.hidden) {
      lost.hidden = true;
      document.body.classList.remove("stale");
    }
  }

  function check() {
    var silent = Date.now() - heard;
    if (silent < STALE_MS) { return; }
    lost.textContent = lost.dataset.text
      .replace("{clock}", shownClock())
      .replace("{age}", age(silent));
    lost.hidden = false;
    document.body.classList.add("stale");
    if (source && source.readyState === EventSource.CLOSED) { connect(); }
  }

  function connect() {
    if (source) { source.close(); }
    source = new EventSource(main.dataset.stream);
    source.addEventListener("live", function (event) {
      main.innerHTML = event.data;
      fresh();
    });
    source.addEventListener("tick", fresh);
  }

  connect();
  setInterval(check, 500);
})();
