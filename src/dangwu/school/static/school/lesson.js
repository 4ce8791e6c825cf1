// The lesson page's heartbeat: it reports the study time really spent on the page.
// Time counts only while the page is visible (Page Visibility API) and the person was active
// in the last few minutes (mouse, keyboard, scroll, touch) or a video plays. About once a
// interval the counted seconds are sent; the server credits no more than the time that has
// really passed, so the numbers here are a claim it checks, not a fact it trusts.
(function () {
  "use strict";
  var box = document.getElementById("study-progress");
  if (!box || !box.dataset.beatUrl || !window.fetch) { return; }
  var url = box.dataset.beatUrl;
  var token = box.dataset.token;
  var intervalMs = Number(box.dataset.interval) * 1000;
  var windowMs = Number(box.dataset.window) * 1000;
  var required = Number(box.dataset.required);
  var status = document.getElementById("study-status");
  var errorBox = document.getElementById("study-error");
  var bar = document.getElementById("lesson-progress");
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
  var video = document.querySelector("video[data-lesson-video]");

  var lastActivity = Date.now();
  var lastTick = Date.now();
  var lastSent = Date.now();
  var activeMs = 0;
  var sending = false;
  var finished = false;
  // Video: how far it has been watched without skipping, and that at the last report.
  var watched = Number(box.dataset.position) || 0;
  var watchedAtSend = watched;
  var lastTime = null;
  var lastWall = null;

  function markActive() { lastActivity = Date.now(); }
  ["mousemove", "mousedown", "keydown", "scroll", "wheel", "touchstart", "pointerdown"].forEach(
    function (name) { window.addEventListener(name, markActive, { passive: true, capture: true }); }
  );
  // Reading a PDF happens inside the browser's viewer, whose events do not reach this page:
  // the pointer entering the document, or the focus moving into it, counts as activity.
  var frame = document.querySelector("iframe.lesson-pdf");
  if (frame) {
    frame.addEventListener("mouseenter", markActive);
    window.addEventListener("blur", function () {
      if (document.activeElement === frame) { markActive(); }
    });
  }
  function visible() { return document.visibilityState === "visible"; }
  function playing() { return video && !video.paused && !video.ended; }

  function show(data) {
    var minutes = Math.floor(data.seconds / 60);
    var percent = data.completed ? 100 : Math.min(Math.floor(data.seconds * 100 / required), 100);
    if (bar) { bar.value = percent; bar.textContent = percent + "%"; }
    if (data.completed) {
      finished = true;
      status.textContent = box.dataset.msgDone;
    } else {
      status.textContent = box.dataset.msgProgress
        .replace("{done}", String(minutes))
        .replace("{required}", String(Math.round(required / 60)));
    }
  }

  function send() {
    if (sending || finished) { return; }
    var seconds = Math.floor(activeMs / 1000);
    var body = { token: token, seconds: seconds };
    if (video) { body.position = Math.floor(watched); }
    sending = true;
    activeMs -= seconds * 1000;
    lastSent = Date.now();
    watchedAtSend = watched;
    window.fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      sending = false;
      if (result.ok) {
        errorBox.hidden = true;
        show(result.data);
      } else {
        errorBox.textContent = result.data.detail || box.dataset.msgError;
        errorBox.hidden = false;
      }
    }).catch(function () {
      sending = false;
      errorBox.textContent = box.dataset.msgError;
      errorBox.hidden = false;
    });
  }

  window.setInterval(function () {
    var now = Date.now();
    var step = Math.min(now - lastTick, 2000);
    lastTick = now;
    if (finished) { return; }
    if (visible() && (now - lastActivity < windowMs || playing())) { activeMs += step; }
    if (now - lastSent >= intervalMs && activeMs >= 1000) { send(); }
  }, 1000);

  if (video) {
    video.addEventListener("timeupdate", function () {
      var now = Date.now();
      var t = video.currentTime;
      if (lastTime !== null && !video.seeking && lastTime <= watched + 1) {
        var played = t - lastTime;
        var wall = (now - lastWall) / 1000;
        // Counted only when playing on from what was watched, at no more than real speed.
        if (played > 0 && played <= wall + 0.25) {
          var cap = watchedAtSend + (now - lastSent) / 1000;
          watched = Math.max(watched, Math.min(t, cap));
        }
      }
      lastTime = t;
      lastWall = now;
    });
    video.addEventListener("seeking", function () { lastTime = null; });
    video.addEventListener("ended", function () {
      watched = Math.max(watched, Math.min(video.duration || watched,
        watchedAtSend + (Date.now() - lastSent) / 1000));
      send();
    });
  }
}());
