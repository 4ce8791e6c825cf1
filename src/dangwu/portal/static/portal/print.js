// The print page works without JavaScript (the browser's own Print); with it, one button.
(function () {
  "use strict";
  var button = document.getElementById("print-now");
  if (!button || !window.print) { return; }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
}());
