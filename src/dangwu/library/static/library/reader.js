// The reader's beacon: it keeps the place where a person stopped (the paragraph at the top of the
// screen) and reports the reading time really spent on the page. Time counts only while the page
// is visible and the person was active (mouse, keyboard, scroll, touch) in the last few minutes;
// the server credits no more than the time that has really passed, so the seconds sent here are
// a claim it checks. The place is sent at most every few seconds while scrolling, and when the
// person leaves the page (navigator.sendBeacon).
(function () {
  "use strict";
  var box = document.getElementById("reader");
  if (!box || !box.dataset.reportUrl || !window.fetch) { return; }
  var url = box.dataset.reportUrl;
  var token = box.dataset.token;
  var intervalMs = Number(box.dataset.interval) * 1000;
  var windowMs = Number(box.dataset.window) * 1000;
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
  var paras = Array.prototype.slice.call(box.querySelectorAll(".para[data-index]"));
  var POSITION_EVERY_MS = 3000;

  var lastActivity = Date.now();
  var lastTick = Date.now();
  var lastTimeSent = Date.now();
  var lastPositionSent = 0;
  var activeMs = 0;
  var current = null;
  var saved = null;

  // Continue reading: go to the saved paragraph unless the address names one (#p-12).
  function goTo(index) {
    var target = document.getElementById("p-" + index);
    if (target) { target.scrollIntoView({ block: "start" }); }
  }
  var hash = /^#p-(\d+)$/.exec(window.location.hash);
  if (hash) {
    goTo(hash[1]);
  } else if (Number(box.dataset.at) > 0 && !/[?&]mark=/.test(window.location.search)) {
    goTo(box.dataset.at);
  }

  function topParagraph() {
    // The first paragraph not scrolled (almost) out of the top of the window (binary search).
    var low = 0, high = paras.length - 1, found = 0;
    while (low <= high) {
      var middle = (low + high) >> 1;
      if (paras[middle].getBoundingClientRect().bottom > 40) { found = middle; high = middle - 1; }
      else { low = middle + 1; }
    }
    return paras.length ? Number(paras[found].dataset.index) : 0;
  }

  function form(seconds) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrf ? csrf.value : "");
    data.append("token", token);
    data.append("seconds", String(seconds));
    data.append("paragraph", String(current === null ? topParagraph() : current));
    return data;
  }

  function takeSeconds() {
    var seconds = Math.floor(activeMs / 1000);
    activeMs -= seconds * 1000;
    return seconds;
  }

  function send(withTime) {
    var seconds = withTime ? takeSeconds() : 0;
    if (withTime) { lastTimeSent = Date.now(); }
    lastPositionSent = Date.now();
    saved = current;
    window.fetch(url, { method: "POST", credentials: "same-origin", body: form(seconds), keepalive: true })
      .then(function (response) { box.dataset.lastReport = String(response.status); })
      .catch(function () { box.dataset.lastReport = "error"; });
  }

  function markActive() { lastActivity = Date.now(); }
  ["mousemove", "mousedown", "keydown", "scroll", "wheel", "touchstart", "pointerdown"].forEach(
    function (name) { window.addEventListener(name, markActive, { passive: true, capture: true }); }
  );
  window.addEventListener("scroll", function () { current = topParagraph(); }, { passive: true });
  current = topParagraph();
  saved = current;

  window.setInterval(function () {
    var now = Date.now();
    var step = Math.min(now - lastTick, 2000);
    lastTick = now;
    if (document.visibilityState === "visible" && now - lastActivity < windowMs) { activeMs += step; }
    if (now - lastTimeSent >= intervalMs && activeMs >= 1000) {
      send(true);
    } else if (current !== saved && now - lastPositionSent >= POSITION_EVERY_MS) {
      send(false);
    }
  }, 1000);

  function leave() {
    var seconds = Date.now() - lastTimeSent >= intervalMs ? takeSeconds() : 0;
    if (current === saved && seconds === 0) { return; }  // nothing new to keep
    if (navigator.sendBeacon) {
      navigator.sendBeacon(url, form(seconds));
    } else {
      window.fetch(url, { method: "POST", credentials: "same-origin", body: form(seconds), keepalive: true });
    }
    lastTimeSent = Date.now();
    saved = current;
  }
  window.addEventListener("pagehide", leave);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { leave(); }
  });
}());
