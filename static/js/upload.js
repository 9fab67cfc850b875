/*
 * Uploads that take a while (form[data-busy]): on submit, show the status element the attribute
 * names, filled from its data-busy-text (a spinner and "do not close the page"), and disable the
 * submit buttons, so that nobody sends a large file twice while the server reads it. The forms
 * work without this file: they submit as they are.
 */
(function () {
  "use strict";

  var BUTTONS = "button[type=submit], button:not([type]), input[type=submit]";

  function buttonsOf(form) {
    return Array.prototype.slice.call(form.querySelectorAll(BUTTONS));
  }

  function busy(form, event) {
    if (form.getAttribute("data-sending")) {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-sending", "1");
    var status = document.getElementById(form.getAttribute("data-busy"));
    if (status) {
      status.textContent = status.getAttribute("data-busy-text");
      status.classList.add("busy");
    }
    // After the browser has read the form: a disabled button's name and value are not sent,
    // and the confirm's button says what to do by its name.
    window.setTimeout(function () {
      buttonsOf(form).forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
  }

  function ready(form) {
    form.removeAttribute("data-sending");
    var status = document.getElementById(form.getAttribute("data-busy"));
    if (status) {
      status.textContent = "";
      status.classList.remove("busy");
    }
    buttonsOf(form).forEach(function (button) {
      button.disabled = false;
    });
  }

  var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-busy]"));
  forms.forEach(function (form) {
    form.addEventListener("submit", function (event) {
      busy(form, event);
    });
  });
  // Back to this page from the browser's cache: the form can be sent again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      forms.forEach(ready);
    }
  });
})();
