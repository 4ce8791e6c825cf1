// Warn two minutes before the idle sign-out and offer one button to stay signed in
// (WCAG 2.2.1: the person is told before the time limit and can extend it simply).
(function () {
  "use strict";
  var box = document.getElementById("idle-warning");
  if (!box) { return; }
  var idleMs = Number(box.dataset.idleMinutes) * 60 * 1000;
  var warnBeforeMs = 2 * 60 * 1000;
  var timer = null;
  function arm() {
    window.clearTimeout(timer);
    box.hidden = true;
    timer = window.setTimeout(function () {
      box.hidden = false;
      box.querySelector("button").focus();
    }, Math.max(idleMs - warnBeforeMs, 20 * 1000));
  }
  box.querySelector("button").addEventListener("click", function () {
    window.fetch(box.dataset.keepalive, { credentials: "same-origin" }).then(arm);
  });
  arm();
}());
