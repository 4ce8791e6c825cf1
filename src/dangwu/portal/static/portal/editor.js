// The article editor: Squire (npm squire-rte, served by the platform) on top of the plain
// <textarea>. Without JavaScript, or if Squire did not load, the textarea is used as it is.
// Whatever the editor produces is sanitized again on the server.
(function () {
  "use strict";
  if (!window.Squire || !window.HTMLTemplateElement) { return; }
  var TOOLBAR = document.getElementById("rich-toolbar");
  var DROP = "script,style,link,meta,iframe,object,embed,form,input,button,select,textarea";

  // Pasted HTML (from Word or a web page) is parsed inertly and stripped of anything active
  // before it reaches the editable area.
  function clean(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    template.content.querySelectorAll(DROP).forEach(function (node) { node.remove(); });
    template.content.querySelectorAll("*").forEach(function (node) {
      Array.prototype.slice.call(node.attributes).forEach(function (attribute) {
        var name = attribute.name.toLowerCase();
        var value = attribute.value.replace(/\s+/g, "").toLowerCase();
        if (name.indexOf("on") === 0 || name === "style" || name === "class" ||
            value.indexOf("javascript:") === 0) {
          node.removeAttribute(attribute.name);
        }
      });
    });
    return document.importNode(template.content, true);
  }

  function setBlocks(editor, tag) {
    editor.modifyBlocks(function (fragment) {
      var out = document.createDocumentFragment();
      Array.prototype.slice.call(fragment.childNodes).forEach(function (node) {
        if (node.nodeType !== 1 || !/^(P|DIV|H[2-6])$/.test(node.nodeName)) {
          out.appendChild(node);
          return;
        }
        var block = document.createElement(tag);
        while (node.firstChild) { block.appendChild(node.firstChild); }
        out.appendChild(block);
      });
      return out;
    });
  }

  var COMMANDS = {
    bold: function (e) { return e.hasFormat("B") ? e.removeBold() : e.bold(); },
    italic: function (e) { return e.hasFormat("I") ? e.removeItalic() : e.italic(); },
    underline: function (e) { return e.hasFormat("U") ? e.removeUnderline() : e.underline(); },
    heading: function (e) { setBlocks(e, "H2"); },
    paragraph: function (e) { setBlocks(e, "P"); },
    bullets: function (e) { return e.hasFormat("UL") ? e.removeList() : e.makeUnorderedList(); },
    numbers: function (e) { return e.hasFormat("OL") ? e.removeList() : e.makeOrderedList(); },
    undo: function (e) { e.undo(); },
    redo: function (e) { e.redo(); }
  };
  var PRESSED = { bold: "B", italic: "I", underline: "U" };

  document.querySelectorAll("textarea.rich-text").forEach(function (textarea) {
    var label = document.querySelector("label[for='" + textarea.id + "']");
    var toolbar = TOOLBAR.content.firstElementChild.cloneNode(true);
    var area = document.createElement("div");
    area.className = "rich-area";
    area.id = textarea.id + "_editor";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    if (label) {
      label.id = label.id || textarea.id + "_label";
      area.setAttribute("aria-labelledby", label.id);
      // The label now names the editing area; clicking it moves there.
      label.removeAttribute("for");
      label.addEventListener("click", function () { editor.focus(); });
    }
    var described = textarea.getAttribute("aria-describedby") ||
      [textarea.id + "_helptext", textarea.id + "_error"].filter(function (id) {
        return document.getElementById(id);
      }).join(" ");
    if (described) { area.setAttribute("aria-describedby", described); }
    if (textarea.getAttribute("aria-invalid")) { area.setAttribute("aria-invalid", "true"); }
    toolbar.setAttribute("aria-controls", area.id);
    textarea.parentNode.insertBefore(toolbar, textarea);
    textarea.parentNode.insertBefore(area, textarea);
    textarea.hidden = true;

    var editor = new window.Squire(area, { blockTag: "P", sanitizeToDOMFragment: clean });
    editor.setHTML(textarea.value);
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-command]");
      if (!button) { return; }
      COMMANDS[button.dataset.command](editor);
      editor.focus();
    });
    editor.addEventListener("pathChange", function () {
      toolbar.querySelectorAll("button[aria-pressed]").forEach(function (button) {
        var tag = PRESSED[button.dataset.command];
        button.setAttribute("aria-pressed", editor.hasFormat(tag) ? "true" : "false");
      });
    });
    textarea.form.addEventListener("submit", function () { textarea.value = editor.getHTML(); });
  });
}());
