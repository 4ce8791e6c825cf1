// The file library's upload with progress: one request per chosen file, a bar for each.
// Without JavaScript the form posts all files at once and the page lists the results.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  var list = document.getElementById("upload-progress");
  if (!form || !list || !window.XMLHttpRequest || !window.FormData) return;
  var input = form.querySelector("input[type=file]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  function row(file) {
    var item = document.createElement("li");
    var label = document.createElement("span");
    label.textContent = file.name;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", file.name);
    var status = document.createElement("span");
    status.className = "status";
    item.appendChild(label);
    item.appendChild(bar);
    item.appendChild(status);
    list.appendChild(item);
    return { bar: bar, status: status };
  }

  function send(file, view) {
    return new Promise(function (resolve) {
      var data = new FormData();
      data.append("csrfmiddlewaretoken", token);
      data.append("files", file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("X-CSRFToken", token);
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) view.bar.value = Math.round((event.loaded / event.total) * 100);
      });
      xhr.addEventListener("load", function () {
        var answer = {};
        try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = {}; }
        if (xhr.status === 201) {
          view.bar.value = 100;
          view.status.textContent = answer.message || "";
          resolve(true);
        } else {
          view.status.className = "status error";
          view.status.textContent = answer.error || form.dataset.failed || String(xhr.status);
          resolve(false);
        }
      });
      xhr.addEventListener("error", function () {
        view.status.className = "status error";
        view.status.textContent = form.dataset.failed || "";
        resolve(false);
      });
      xhr.send(data);
    });
  }

  form.addEventListener("submit", function (event) {
    if (!input.files || !input.files.length) return;  // the server says what is missing
    event.preventDefault();
    list.innerHTML = "";
    var files = Array.prototype.slice.call(input.files);
    var chain = Promise.resolve(true);
    var allOk = true;
    files.forEach(function (file) {
      var view = row(file);
      chain = chain.then(function () { return send(file, view); }).then(function (ok) {
        allOk = allOk && ok;
      });
    });
    chain.then(function () {
      if (allOk) window.location.reload();
      else input.value = "";
    });
  });
})();
