// The exam paper: save each answer as soon as it changes, and show the time left.
// Without this script the page still works: "Save my answers" and "Hand in" post the form.
(function () {
  "use strict";
  var form = document.getElementById("paper");
  var clock = document.getElementById("exam-clock");
  if (!form || !clock) return;
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var timers = {};

  function responseOf(fieldset) {
    var inputs = fieldset.querySelectorAll("input");
    var values = [];
    inputs.forEach(function (input) {
      if (input.type === "text") values.push(input.value);
      else if (input.checked) values.push(input.value);
    });
    return values;
  }

  function show(fieldset, text) {
    var state = fieldset.querySelector(".saved-state");
    if (state) state.textContent = text;
  }

  function save(fieldset) {
    var body = new FormData();
    body.append("question", fieldset.dataset.question);
    var values = responseOf(fieldset);
    if (values.length === 0) body.append("response", "");
    values.forEach(function (v) { body.append("response", v); });
    show(fieldset, form.dataset.labelSaving);
    fetch(form.dataset.answerUrl, {
      method: "POST",
      body: body,
      headers: { "X-CSRFToken": token, "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (result.ok) {
        show(fieldset, result.data.message);
      } else if (result.data.finished) {
        window.location.assign(form.dataset.resultUrl);
      } else {
        show(fieldset, result.data.detail || form.dataset.labelFailed);
      }
    }).catch(function () {
      show(fieldset, form.dataset.labelFailed);
    });
  }

  form.querySelectorAll("fieldset.question").forEach(function (fieldset) {
    fieldset.addEventListener("change", function () { save(fieldset); });
    fieldset.addEventListener("input", function (event) {
      if (event.target.type !== "text") return;
      var id = fieldset.dataset.question;
      clearTimeout(timers[id]);
      timers[id] = setTimeout(function () { save(fieldset); }, 1200);
    });
  });

  // The server's deadline decides; the page only counts down the seconds it was given.
  var endsAt = Date.now() + parseInt(clock.dataset.secondsLeft, 10) * 1000;
  var timeLeft = document.getElementById("time-left");
  var handedIn = false;
  function tick() {
    var seconds = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    if (seconds > 60) {
      timeLeft.textContent = form.dataset.labelMinutes.replace("%(n)s", Math.ceil(seconds / 60));
    } else {
      timeLeft.textContent = form.dataset.labelSeconds;
    }
    if (seconds === 0 && !handedIn) {
      handedIn = true;
      var handIn = form.querySelector("button[formaction]");
      if (form.requestSubmit) form.requestSubmit(handIn); else handIn.click();
    }
  }
  setInterval(tick, 5000);
  tick();
})();
