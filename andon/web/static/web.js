// The live part of an andon page, kept up to date by server-sent events: "live"
// brings the whole live part (on connecting), "order" the keys of a list's rows
// (new ones get an empty place), "part" one part's HTML in place of the element
// with its data-part key. When the stream is silent for STALE_MS the page says
// the connection is lost and how old its data is, and catches up as soon as the
// stream is back (the server sends the whole live part first). Texts come from
// the page, in its language.
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

  // keys come percent-encoded, as the data-part attributes hold them: safe in a selector
  function find(key) {
    return main.querySelector('[data-part="' + key + '"]');
  }

  function split(data) {
    var cut = data.indexOf("\n");
    if (cut < 0) { return [data, ""]; }
    return [data.slice(0, cut), data.slice(cut + 1)];
  }

  function resync() {  // a change for a part this page does not have: start again
    connect();
  }

  function order(event) {
    var parts = split(event.data);
    var box = find(parts[0]);
    if (!box) { resync(); return; }
    var have = {};
    for (var i = 0; i < box.children.length; i++) {
      var child = box.children[i];
      have[child.getAttribute("data-part")] = child;
    }
    var keys = parts[1] ? parts[1].split("\n") : [];
    var rows = keys.map(function (key) {
      var row = have[key];
      if (!row) {
        row = document.createElement("template");
        row.setAttribute("data-part", key);
      }
      return row;
    });
    box.replaceChildren.apply(box, rows);
    fresh();
  }

  function part(event) {
    var parts = split(event.data);
    var old = find(parts[0]);
    if (!old) { resync(); return; }
    var holder = document.createElement("template");
    holder.innerHTML = parts[1];
    old.replaceWith(holder.content);
    fresh();
  }

  function connect() {
    if (source) { source.close(); }
    source = new EventSource(main.dataset.stream);
    source.addEventListener("live", function (event) {
      main.innerHTML = event.data;
      fresh();
    });
    source.addEventListener("order", order);
    source.addEventListener("part", part);
    source.addEventListener("tick", fresh);
  }

  connect();
  setInterval(check, 500);
})();
