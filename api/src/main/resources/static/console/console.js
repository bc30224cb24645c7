// The console's few behaviours that HTML alone does not give. No inline scripts: the Content-Security-Policy
// allows only scripts served by the application.
(function () {
  "use strict";

  var opener = null;

  function meta(name) {
    var element = document.querySelector('meta[name="' + name + '"]');
    return element ? element.content : null;
  }

  // Spring Security's CSRF token on every state-changing htmx request.
  document.addEventListener("htmx:configRequest", function (event) {
    var header = meta("csrf-header");
    var token = meta("csrf-token");
    if (header && token && event.detail.verb !== "get") {
      event.detail.headers[header] = token;
    }
  });

  // Times are written in UTC; show them in the viewer's own time zone, keeping UTC on hover.
  var format = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", timeZoneName: "short"
  });

  function localTimes(root) {
    root.querySelectorAll("time[datetime]").forEach(function (time) {
      var instant = new Date(time.getAttribute("datetime"));
      if (!isNaN(instant)) {
        time.textContent = format.format(instant);
      }
    });
    root.querySelectorAll("input[data-time-zone]").forEach(function (input) {
      input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    });
  }

  // A dialog that arrives is opened as a modal; closed, it goes, and focus returns to what opened it.
  function openDialogs(root) {
    var dialogs = root.matches && root.matches("dialog[data-modal]") ? [root]
      : Array.prototype.slice.call(root.querySelectorAll("dialog[data-modal]"));
    dialogs.forEach(function (dialog) {
      if (!dialog.open) {
        if (!opener || !document.contains(opener)) {
          opener = document.activeElement;
        }
        dialog.addEventListener("close", function () {
          dialog.remove();
          if (!document.querySelector("dialog[open]")) {
            var back = opener && document.contains(opener) ? opener : document.getElementById("main");
            opener = null;
            if (back) {
              back.focus();
            }
          }
        });
        dialog.showModal();
      }
    });
  }

  document.addEventListener("htmx:load", function (event) {
    localTimes(event.detail.elt);
    openDialogs(event.detail.elt);
  });

  // A dialog replaced by an answer without one (a change done) leaves nothing open: focus goes back too.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id === "dialog" && !document.querySelector("dialog[open]") && opener) {
      var back = document.contains(opener) ? opener : document.getElementById("main");
      opener = null;
      back.focus();
    }
  });

  document.addEventListener("click", function (event) {
    var close = event.target.closest("[data-close]");
    if (close) {
      close.closest("dialog").close();
      return;
    }
    var copy = event.target.closest("[data-copy]");
    if (copy) {
      var source = document.querySelector(copy.getAttribute("data-copy"));
      var done = function () {
        document.getElementById("status").textContent = copy.getAttribute("data-copied");
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(source.textContent).then(done);
      } else {
        var range = document.createRange();
        range.selectNodeContents(source);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        document.execCommand("copy");
        done();
      }
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    localTimes(document);
  });
})();
