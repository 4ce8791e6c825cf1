/* The typing exercise: count committed characters only, time from the first one.
 *
 * A pinyin IME first shows the letters being composed (compositionstart … compositionend); only
 * when the person picks a character is it committed. Input events during a composition are
 * ignored, so the clock starts with the first real character and the count never includes
 * pinyin letters. On finishing, the measured seconds go with the form; the server checks them
 * against its own signed start time and recomputes speed and accuracy.
 */
(function () {
  "use strict";
  var form = document.getElementById("typing-form");
  if (!form) return;
  var box = form.querySelector("textarea[name=typed]");
  var seconds = form.querySelector("input[name=seconds]");
  var status = document.getElementById("typing-status");
  var countOut = document.getElementById("typing-count");
  var timeOut = document.getElementById("typing-time");
  var composing = false;
  var started = null;
  var timer = null;

  function committed() {
    return box.value.replace(/\s+/g, "").length;
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return String(values[key]); });
  }

  function elapsed() {
    return started === null ? 0 : Math.max(1, Math.round((Date.now() - started) / 1000));
  }

  function show() {
    var s = elapsed();
    countOut.textContent = fill(status.dataset.templateCount, { count: committed() });
    timeOut.textContent = fill(status.dataset.templateTime, {
      minutes: Math.floor(s / 60), seconds: s % 60
    });
  }

  function onCommitted() {
    if (started === null && committed() > 0) {
      started = Date.now();
      status.hidden = false;
      timer = window.setInterval(show, 1000);
    }
    if (started !== null) show();
  }

  box.addEventListener("compositionstart", function () { composing = true; });
  box.addEventListener("compositionend", function () { composing = false; onCommitted(); });
  box.addEventListener("input", function (event) {
    if (composing || event.isComposing) return;
    onCommitted();
  });
  form.addEventListener("submit", function () {
    if (timer !== null) window.clearInterval(timer);
    seconds.value = started === null ? "" : String(elapsed());
  });
})();
