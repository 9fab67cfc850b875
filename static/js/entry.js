/*
 * Spreadsheet keys for the results grid (table[data-keyboard-grid]).
 *
 * Up/Down go to the same input of the previous/next agency; Left/Right go to the row's
 * previous/next input once the caret is at the start/end of the text; Enter goes down (Shift+Enter
 * up) instead of submitting, and Ctrl+Enter (Cmd+Enter) saves. The grid works without this file:
 * Tab, Shift+Tab and the Save button do everything.
 */
(function () {
  "use strict";

  var CONTROLS = "input:not([type=hidden]):not([disabled]), select:not([disabled])";

  function controlsOf(row) {
    return Array.prototype.slice.call(row.querySelectorAll(CONTROLS));
  }

  function isText(control) {
    return control.tagName === "INPUT" && typeof control.selectionStart === "number";
  }

  function go(control) {
    if (!control) {
      return;
    }
    // The focusin handler below scrolls: the browser's own scrolling would move the page too.
    control.focus({ preventScroll: true });
    // As Tab does: typing replaces what the cell held.
    if (isText(control)) {
      control.select();
    }
  }

  // The control at ``column`` in the nearest row above (step -1) or below (step 1) that has one.
  function vertical(row, column, step) {
    var other = step < 0 ? row.previousElementSibling : row.nextElementSibling;
    while (other) {
      var controls = controlsOf(other);
      if (controls.length) {
        return controls[Math.min(column, controls.length - 1)];
      }
      other = step < 0 ? other.previousElementSibling : other.nextElementSibling;
    }
    return null;
  }

  function atEdge(control, step) {
    if (!isText(control)) {
      return true;
    }
    if (control.selectionStart !== control.selectionEnd) {
      // A selection (after Tab or a click) is being typed over; the caret goes to its edge
      // first, as in a text box, unless the whole text is selected.
      return control.selectionStart === 0 && control.selectionEnd === control.value.length;
    }
    return step < 0 ? control.selectionStart === 0 : control.selectionEnd === control.value.length;
  }

  function submit(form) {
    var button = form.querySelector("button[type=submit], button:not([type])");
    // A closed plan's grid has no Save button: nothing to submit.
    if (button && !button.disabled) {
      form.requestSubmit ? form.requestSubmit(button) : button.click();
    }
  }

  /*
   * Show the focused cell whole, neither under the sticky header row or agency column nor with
   * the grid's box (and so its header) scrolled out of the window, as the browser's own
   * scrolling on Tab leaves it near the bottom of a long grid.
   */
  function reveal(event) {
    var cell = event.target.closest("td");
    var box = event.currentTarget.closest(".grid-scroll");
    if (!cell || !box) {
      return;
    }
    var actions = event.target.form && event.target.form.querySelector(".grid-actions");
    var bottomLimit = window.innerHeight - (actions ? actions.offsetHeight : 0);
    var outer = box.getBoundingClientRect();
    if (outer.top < 0) {
      window.scrollBy(0, outer.top);
    } else if (outer.bottom > bottomLimit) {
      window.scrollBy(0, Math.min(outer.top, outer.bottom - bottomLimit));
    }
    outer = box.getBoundingClientRect();
    var head = box.querySelector("thead");
    var first = cell.parentElement.firstElementChild;
    var top = outer.top + box.clientTop + (head ? head.offsetHeight : 0);
    var bottom = outer.top + box.clientTop + box.clientHeight;
    var left = outer.left + box.clientLeft + (first && first !== cell ? first.offsetWidth : 0);
    var right = outer.left + box.clientLeft + box.clientWidth;
    var rect = cell.getBoundingClientRect();
    if (rect.top < top) {
      box.scrollTop -= top - rect.top;
    } else if (rect.bottom > bottom) {
      box.scrollTop += Math.min(rect.bottom - bottom, rect.top - top);
    }
    if (rect.left < left) {
      box.scrollLeft -= left - rect.left;
    } else if (rect.right > right) {
      box.scrollLeft += Math.min(rect.right - right, rect.left - left);
    }
  }

  function onKeyDown(event) {
    // A Vietnamese input method composes letters with these keys; leave them to it.
    if (event.isComposing || event.keyCode === 229 || event.defaultPrevented) {
      return;
    }
    var control = event.target;
    if (!control.matches || !control.matches(CONTROLS)) {
      return;
    }
    var row = control.closest("tr");
    if (!row) {
      return;
    }
    var controls = controlsOf(row);
    var column = controls.indexOf(control);
    var plain = !event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey;
    var target;

    switch (event.key) {
      case "Enter":
        if (event.altKey) {
          return;
        }
        // Never the browser's implicit submission: Enter means "next row" here.
        event.preventDefault();
        if (event.ctrlKey || event.metaKey) {
          submit(control.form);
          return;
        }
        go(vertical(row, column, event.shiftKey ? -1 : 1));
        return;
      case "ArrowUp":
      case "ArrowDown":
        // Alt+Down opens a select's list.
        if (!plain) {
          return;
        }
        target = vertical(row, column, event.key === "ArrowUp" ? -1 : 1);
        break;
      case "ArrowLeft":
      case "ArrowRight":
        if (!plain || !atEdge(control, event.key === "ArrowLeft" ? -1 : 1)) {
          return;
        }
        target = controls[column + (event.key === "ArrowLeft" ? -1 : 1)];
        break;
      default:
        return;
    }
    // At the grid's edge too: an arrow key never changes a select's answer here (type C or K).
    event.preventDefault();
    go(target);
  }

  function start() {
    var grids = document.querySelectorAll("table[data-keyboard-grid]");
    for (var i = 0; i < grids.length; i += 1) {
      grids[i].addEventListener("keydown", onKeyDown);
      grids[i].addEventListener("focusin", reveal);
    }
    var hints = document.querySelectorAll("[data-keyboard-hint]");
    for (var j = 0; j < hints.length; j += 1) {
      hints[j].hidden = false;
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
