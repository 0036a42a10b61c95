// Plain text made usable: phone numbers become tel: links with a copy button, and "Settings
// (/accounts/settings/)" becomes a link named Settings. Used on chat replies (stored ones on load,
// streamed ones once complete, see chat.js) and on the directory's numbers.
//
// Parsing is deliberately narrow: only the forms our replies print (directory/phones.py
// format_phone): international "+44 20 7946 0958" / "+1 415-555-0198", and the North American
// national form "(415) 555-0198", which phonenumbers prints only for +1 numbers. Anything else stays text.
(function () {
  "use strict";

  var SETTINGS_PATH = "/accounts/settings/";
  // An optional extension after the number, as people and phonenumbers write it.
  var EXTENSION = "(?:,?\\s?(?:ext\\.?|extension|x)\\s?(\\d{1,7}))?";
  var INTERNATIONAL = "\\+\\d{1,3}(?:[ \\-]\\(?\\d{1,5}\\)?){1,6}";
  var NANP_NATIONAL = "\\(\\d{3}\\) \\d{3}-\\d{4}";
  var PHONE = new RegExp("(^|[^\\w+])(" + INTERNATIONAL + "|" + NANP_NATIONAL + ")" + EXTENSION + "(?![\\w\\-])", "g");
  var SETTINGS = /Settings( page)? \(\/accounts\/settings\/\)/g;
  var MARKER = /(?:ext\.?|extension|x|#)\s*(\d{1,7})\s*$/i;

  // "(415) 555-0198" -> "+14155550198"; null when the digits cannot be a whole number.
  function e164(text) {
    var digits = text.replace(/\D/g, "");
    var international = text.charAt(0) === "+";
    if (!international) digits = "1" + digits;
    if (digits.length < 8 || digits.length > 15) return null;
    return "+" + digits;
  }

  function telHref(number, extension) {
    return "tel:" + number + (extension ? ";ext=" + extension : "");
  }

  function copyButton(value, label) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-btn";
    button.setAttribute("data-copy", value);
    button.setAttribute("aria-label", "Copy " + label);
    button.title = "Copy " + value;
    button.innerHTML =
      '<svg viewBox="0 0 20 20" width="14" height="14" aria-hidden="true"><rect x="7" y="7" width="9" height="10" rx="1.5" ' +
      'fill="none" stroke="currentColor" stroke-width="1.6"/><path d="M4 13V4.5A1.5 1.5 0 0 1 5.5 3H12" fill="none" ' +
      'stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/></svg>';
    return button;
  }

  function phoneElement(shown, number, extension) {
    var wrap = document.createElement("span");
    wrap.className = "phone";
    var link = document.createElement("a");
    link.className = "phone-link";
    link.href = telHref(number, extension);
    link.textContent = shown;
    wrap.append(link, copyButton(number + (extension ? " ext. " + extension : ""), shown));
    return wrap;
  }

  function settingsLink(withPage) {
    var link = document.createElement("a");
    link.href = SETTINGS_PATH;
    link.textContent = "Settings";
    var parts = [link];
    if (withPage) parts.push(document.createTextNode(" page"));
    return parts;
  }

  // Pieces of one text node: strings stay text, matches become elements.
  function pieces(text) {
    var found = [];
    var match;
    PHONE.lastIndex = 0;
    while ((match = PHONE.exec(text))) {
      var start = match.index + match[1].length;
      var number = e164(match[2]);
      if (!number) continue;
      var extension = match[3] || "";
      var shown = match[2] + (extension ? " ext. " + extension : "");
      found.push({ start: start, end: match.index + match[0].length, nodes: [phoneElement(shown, number, extension)] });
    }
    SETTINGS.lastIndex = 0;
    while ((match = SETTINGS.exec(text))) {
      found.push({ start: match.index, end: match.index + match[0].length, nodes: settingsLink(!!match[1]) });
    }
    found.sort(function (a, b) { return a.start - b.start; });
    var out = [];
    var at = 0;
    found.forEach(function (item) {
      if (item.start < at) return; // overlapping matches: the first wins
      if (item.start > at) out.push(document.createTextNode(text.slice(at, item.start)));
      out.push.apply(out, item.nodes);
      at = item.end;
    });
    if (!out.length) return null;
    if (at < text.length) out.push(document.createTextNode(text.slice(at)));
    return out;
  }

  function linkify(root) {
    if (!root || root.dataset.linkified) return;
    root.dataset.linkified = "true";
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) {
      if (!walker.currentNode.parentElement.closest("a, button")) nodes.push(walker.currentNode);
    }
    nodes.forEach(function (node) {
      var replaced = pieces(node.nodeValue);
      if (replaced) node.replaceWith.apply(node, replaced);
    });
  }

  // A directory number rendered as a tel: link by the server: show the extension the user typed with it.
  function showExtension(link) {
    if (link.dataset.extensionShown) return;
    link.dataset.extensionShown = "true";
    var found = MARKER.exec(link.dataset.phoneOriginal || "");
    if (!found) return;
    link.href = telHref(link.getAttribute("href").replace(/^tel:/, ""), found[1]);
    link.append(" ext. " + found[1]);
    var copy = link.parentElement.querySelector("[data-copy]");
    if (copy) copy.setAttribute("data-copy", copy.getAttribute("data-copy") + " ext. " + found[1]);
  }

  function enhance(root) {
    if (root.matches && root.matches("[data-linkify]")) linkify(root);
    root.querySelectorAll("[data-linkify]").forEach(linkify);
    root.querySelectorAll("[data-phone-original]").forEach(showExtension);
  }

  function copied(button) {
    button.classList.add("is-copied");
    button.setAttribute("data-copied", "Copied");
    window.setTimeout(function () {
      button.classList.remove("is-copied");
      button.removeAttribute("data-copied");
    }, 1500);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var value = button.getAttribute("data-copy");
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(value).then(function () { copied(button); }, function () {
        window.storebotFlash("Could not copy: select the number and copy it instead.", "error");
      });
    } else {
      window.storebotFlash("Copying needs a secure (https) page: select the number and copy it instead.", "error");
    }
  });

  window.storebotLinkify = linkify;
  document.addEventListener("DOMContentLoaded", function () {
    enhance(document.body);
    htmx.onLoad(enhance);
  });
})();
