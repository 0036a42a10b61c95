// Small behaviours shared by every page. No framework; htmx does the rest.
(function () {
  "use strict";

  function flashes() {
    return document.getElementById("flashes");
  }

  // Show a dismissible message in the page's message area (see base.html).
  function showFlash(text, level) {
    var area = flashes();
    if (!area) return;
    var box = document.createElement("div");
    box.className = "flash flash-" + (level || "info");
    box.setAttribute("role", level === "error" ? "alert" : "status");
    var p = document.createElement("p");
    p.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.setAttribute("data-dismiss", "");
    close.setAttribute("aria-label", "Dismiss");
    close.textContent = "\u00d7";
    box.append(p, close);
    area.append(box);
  }
  window.storebotFlash = showFlash;

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-dismiss]");
    if (button) {
      var box = button.closest(".flash");
      if (box) box.remove();
    }
  });

  // htmx does nothing visible when a request fails; say what happened instead.
  function describeFailure(status) {
    if (status === 403) return "Your session has expired or you are not allowed to do that. Reload the page and try again.";
    if (status === 404) return "That item no longer exists. Reload the page to see the current list.";
    if (status === 413) return "That upload is too large.";
    if (status === 429) return "Too many requests in a short time. Wait a moment, then try again.";
    if (status >= 500) return "Something went wrong on our side and nothing was changed. Try again in a moment.";
    return "The request failed (" + status + "). Nothing was changed.";
  }

  document.addEventListener("htmx:responseError", function (event) {
    showFlash(describeFailure(event.detail.xhr.status), "error");
  });

  document.addEventListener("htmx:sendError", function () {
    showFlash("Storebot could not be reached. Check your connection and try again.", "error");
  });
})();
