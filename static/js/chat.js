// The chat page (conversations/templates/conversations/chat.html): Enter sends, replies stream in
// over Server-Sent Events, and the page follows the state the server decided. No inline scripts
// (the Content-Security-Policy allows only our own files); model output is only ever set as text.
(function () {
  "use strict";

  var SILENCE_LIMIT_MS = 90000; // longer than the engine's model timeout plus its fallback
  var MAX_RECONNECTS = 2;
  var MAX_INPUT_HEIGHT = 200;
  var phone = window.matchMedia("(max-width: 47.99rem)");
  var busy = false; // a message is being sent or its reply is streaming
  var follow = true; // keep the newest message in view unless the reader scrolled up

  function composer() { return document.querySelector("[data-composer]"); }
  function composerInput() { return document.getElementById("composer-input"); }
  function scroller() { return document.querySelector("[data-transcript-scroll]"); }
  function isTextarea(el) { return !!el && el.tagName === "TEXTAREA"; }

  // ---- Layout ---------------------------------------------------------------

  function scrollToEnd(force) {
    var box = scroller();
    if (box && (force || follow)) box.scrollTop = box.scrollHeight;
  }

  function autosize(input) {
    if (!isTextarea(input)) return;
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight + 2, MAX_INPUT_HEIGHT) + "px";
  }

  function foldSidebar() {
    var sidebar = document.querySelector("[data-fold-on-phone]");
    if (sidebar) sidebar.open = !phone.matches;
  }

  function focusComposer() {
    var active = document.activeElement;
    // Only take focus back from the page itself or the message box, never from what the user chose.
    if (active && active !== document.body && !active.closest("#composer")) return;
    var target = document.querySelector("#composer [data-composer-focus]");
    if (target) target.focus();
  }

  function setBusy(value) {
    busy = value;
    var form = composer();
    if (!form) return;
    form.classList.toggle("is-busy", busy);
    form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = busy; });
  }

  // ---- The state around the transcript ---------------------------------------

  function showState(state, label) {
    var badge = document.getElementById("chat-state");
    if (!badge) return;
    badge.textContent = label;
    badge.className = "badge state-badge state-" + String(state).toLowerCase();
  }

  // Ask the server for the badge, the message box and the list as they are now (out-of-band swaps).
  // The box stays busy until then, so nothing is sent into a box about to change.
  function refreshChrome(url) {
    var input = composerInput();
    var draft = isTextarea(input) ? input.value : "";
    function ready() {
      var fresh = composerInput();
      if (isTextarea(fresh) && draft && !fresh.value) {
        fresh.value = draft;
        autosize(fresh);
      }
      setBusy(false);
      focusComposer();
    }
    return htmx.ajax("GET", url, { swap: "none" }).then(ready, ready);
  }

  // A message box like the one on the page (same mode, same conversation) is not replaced:
  // what the user is typing and where the cursor is stay as they are.
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var current = event.detail.target;
    var incoming = event.detail.fragment.firstElementChild;
    if (current.id === "composer" && incoming && incoming.dataset.composerKey === current.dataset.composerKey) {
      event.detail.shouldSwap = false;
    }
  });

  // ---- Streaming a reply -------------------------------------------------------

  function streamReply(el) {
    if (el.dataset.started) return;
    el.dataset.started = "true";
    setBusy(true);
    var text = el.querySelector(".bubble-text");
    var tools = el.querySelector(".msg-tools");
    var typing = el.querySelector(".typing");
    var source = new EventSource(el.dataset.streamUrl);
    var reconnects = 0;
    var finished = false;
    var watchdog = 0;

    function quiet() {
      window.clearTimeout(watchdog);
      watchdog = window.setTimeout(function () {
        fail("No reply arrived in time. Reload the page to see whether it was saved, then try again.");
      }, SILENCE_LIMIT_MS);
    }

    function showError(message) {
      el.classList.add("msg-error");
      el.querySelector(".bubble").setAttribute("role", "alert");
      if (!text.textContent) {
        text.textContent = message;
      } else {
        var note = document.createElement("p");
        note.className = "msg-note msg-note-error";
        note.textContent = message;
        el.querySelector(".msg-body").append(note);
      }
    }

    function finish() {
      finished = true;
      source.close(); // without this the browser reconnects when the stream ends
      window.clearTimeout(watchdog);
      if (typing) typing.remove();
      el.classList.remove("is-streaming");
      el.removeAttribute("aria-busy");
      // Numbers and the Settings path become links once the text is whole (static/js/linkify.js).
      if (window.storebotLinkify) window.storebotLinkify(text);
      scrollToEnd(false);
      refreshChrome(el.dataset.chromeUrl);
    }

    function fail(message) {
      if (finished) return;
      showError(message);
      finish();
    }

    var handlers = {
      text: function (event) {
        el.classList.add("has-text");
        text.textContent += event.text;
      },
      tool: function (event) {
        var chip = document.createElement("li");
        chip.className = "tool-chip" + (event.ok ? "" : " tool-chip-failed");
        chip.textContent = event.summary;
        if (event.summary) tools.append(chip);
        tools.hidden = !tools.children.length;
      },
      state: function (event) { showState(event.state, event.label); },
      error: function (event) {
        el.classList.add("has-text");
        showError(event.message);
      },
      done: function () { finish(); },
    };

    // Every connection carries the whole reply from its start (generated live or replayed).
    source.addEventListener("open", function () {
      text.textContent = "";
      tools.replaceChildren();
      tools.hidden = true;
      quiet();
    });
    source.addEventListener("message", function (message) {
      var event;
      try {
        event = JSON.parse(message.data);
      } catch (error) {
        return;
      }
      reconnects = 0;
      quiet();
      if (handlers[event.type]) handlers[event.type](event);
      scrollToEnd(false);
    });
    source.addEventListener("error", function () {
      if (finished) return;
      reconnects += 1;
      if (source.readyState === EventSource.CLOSED || reconnects > MAX_RECONNECTS) {
        fail("The connection was lost before the reply finished. Reload the page to see it.");
      }
    });
    quiet();
  }

  // ---- Sending ---------------------------------------------------------------

  function fromComposer(event) {
    var elt = event.detail.requestConfig ? event.detail.requestConfig.elt : event.detail.elt;
    return !!elt && elt.matches && elt.matches("[data-composer]");
  }

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (input.id !== "composer-input" || !isTextarea(input)) return;
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      if (!busy) input.form.requestSubmit();
    }
  });

  document.addEventListener("input", function (event) {
    if (event.target.id === "composer-input") autosize(event.target);
  });

  document.addEventListener("click", function (event) {
    var example = event.target.closest("[data-example-prompt]");
    var input = composerInput();
    if (!example || !isTextarea(input)) return;
    event.preventDefault(); // fill the box rather than send (what the button does without JavaScript)
    input.value = example.value;
    autosize(input);
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (!fromComposer(event)) return;
    var input = composerInput();
    if (busy || !input || !input.value.trim()) {
      event.preventDefault();
      if (input) input.focus();
      return;
    }
    setBusy(true);
    var empty = document.querySelector("[data-chat-empty]");
    if (empty) empty.remove();
    follow = true;
  });

  // A refused message (rate limit, empty, conversation ended) comes back as a notice to show in the
  // transcript, not as a failure: let htmx swap it in.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!fromComposer(event)) return;
    var status = event.detail.xhr.status;
    if (status === 400 || status === 409 || status === 429) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
    if (status !== 200) setBusy(false);
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    if (!fromComposer(event)) return;
    var input = composerInput();
    if (event.detail.xhr.status === 200 && input) {
      input.value = "";
      autosize(input);
    } else {
      setBusy(false);
    }
    scrollToEnd(true);
    focusComposer();
  });

  document.addEventListener("htmx:sendError", function (event) {
    if (fromComposer(event)) setBusy(false);
  });

  // ---- Start ---------------------------------------------------------------------

  // Called for the page on load and for every piece of content htmx adds.
  htmx.onLoad(function (root) {
    if (root.matches && root.matches("[data-stream-url]")) streamReply(root);
    root.querySelectorAll("[data-stream-url]").forEach(streamReply);
    autosize(composerInput());
    setBusy(busy);
    scrollToEnd(false);
  });

  document.addEventListener("DOMContentLoaded", function () {
    foldSidebar();
    phone.addEventListener("change", foldSidebar);
    var box = scroller();
    if (box) {
      box.addEventListener("scroll", function () {
        follow = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
      }, { passive: true });
    }
    scrollToEnd(true);
    if (!phone.matches) focusComposer();
  });
})();
