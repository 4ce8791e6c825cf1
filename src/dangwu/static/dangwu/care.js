// Switch care mode in place: the form still posts (the choice is remembered on the server),
// but the page is not reloaded, so a problem list, revealed numbers or a half-filled form stay.
// Without JavaScript the form posts and the page reloads, which works too.
(function () {
  "use strict";
  var form = document.getElementById("care-mode-form");
  if (!form || !window.fetch) { return; }
  var button = form.querySelector("button");
  var enabled = form.querySelector("input[name=enabled]");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var turnOn = enabled.value === "1";
    window.fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin", redirect: "manual"
    }).then(function (response) {
      if (response.type !== "opaqueredirect" && !response.ok) { form.submit(); return; }
      document.documentElement.classList.toggle("care", turnOn);
      enabled.value = turnOn ? "0" : "1";
      button.setAttribute("aria-pressed", turnOn ? "true" : "false");
      button.textContent = turnOn ? button.dataset.labelOn : button.dataset.labelOff;
    }, function () { form.submit(); });
  });
}());
