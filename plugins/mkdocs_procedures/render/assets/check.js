/* The printed-copy check: has the chapter on a printout (?c=<chapter>&v=<version>&b=<board>, or the printed
   address pasted into the form as ?address=...) been amended since? Reads the site's amendments.json; no
   other network. Every answer names the chapter, the board and the version it is about. */
(function () {
  "use strict";
  var VERSION_LENGTH = 12;  /* the printed version: the first 12 characters of its commit */
  var box = document.querySelector(".procedures-check");
  var boards = JSON.parse(box.getAttribute("data-boards") || "{}");
  var root = box.getAttribute("data-amendments").replace(/amendments\.json$/, "");
  var parameters = new URL(window.location.href).searchParams;
  var pasted = (parameters.get("address") || "").trim();
  if (pasted) {
    document.getElementById("procedures-check-address").value = pasted;
    try { parameters = new URL(pasted, window.location.href).searchParams; } catch (e) { parameters = new URLSearchParams(); }
  }
  var chapter = parameters.get("c"), version = (parameters.get("v") || "").toLowerCase();
  var board = parameters.get("b") || null;
  if (!pasted && chapter) { document.getElementById("procedures-check-address").value = window.location.href; }

  function paragraph(text, result) {
    var element = document.createElement("p");
    element.textContent = text;
    box.appendChild(element);
    if (result) { box.setAttribute("data-result", result); }
    return element;
  }

  function link(parent, text, href) {
    var anchor = document.createElement("a");
    anchor.textContent = text;
    anchor.href = root + href;
    parent.appendChild(anchor);
    return anchor;
  }

  function ukDate(iso) { return iso.split("-").reverse().join("-"); }

  if (!chapter && !version) {
    if (pasted) { paragraph("“" + pasted + "” is not an address from a printed page. Copy the whole address after “Check at”.", "unreadable"); }
    return;
  }
  if (!chapter) { paragraph("The address names no chapter (c=…). Copy the whole address after “Check at”.", "unreadable"); return; }
  if (board !== null && !Object.prototype.hasOwnProperty.call(boards, board)) {
    paragraph("This site has no board “" + board + "”. Check the address on your printout.", "unknown-board");
    return;
  }
  if (!/^[0-9a-f]+$/.test(version) || version.length < VERSION_LENGTH) {
    paragraph("“" + version + "” is not a whole version: it is the " + VERSION_LENGTH + " letters and digits after " +
      "“Version” on your printout. Check the address and try again.", "short-version");
    return;
  }
  var whose = board ? boards[board] : "the regional text";
  fetch(box.getAttribute("data-amendments")).then(function (response) { return response.json(); })
    .then(function (records) {
      function printedIn(rows) {
        return rows.findIndex(function (record) { return record.commit && record.commit.indexOf(version) === 0; });
      }
      var all = records.filter(function (record) {
        return record.chapter === chapter && (record.board === null || record.board === board);
      });
      if (!all.length) {
        paragraph("This site has no chapter “" + chapter + "”. Check the address on your printout.", "unknown-chapter");
        return;
      }
      // A live chapter's rows first; a withdrawn file that had the same id is another chapter, with its own.
      var mine = all.filter(function (record) { return !record.withdrawn; });
      if (printedIn(mine) < 0) {
        var printedRow = all[printedIn(all)];
        if (printedRow) {
          mine = all.filter(function (record) { return record.withdrawn && record.path === printedRow.path; });
        }
      }
      var title = (mine[0] || all[0]).title;
      paragraph("Checking “" + title + "”, " + whose + ", printed version " + version + ".");
      var printed = printedIn(mine);
      if (printed < 0) {
        paragraph("This site does not know version " + version + " of this chapter. Check the address on your printout.",
          "unknown");
        return;
      }
      if (mine[printed].withdrawn) {
        paragraph("This chapter has been withdrawn: its last change was on " + ukDate(mine[0].date) + " (" +
          mine[0].details + "). Do not rely on the printout.", "withdrawn").className = "procedures-check__amended";
        return;
      }
      var since = mine.slice(0, printed);
      var current = mine[printed].url;
      if (!since.length) {
        var still = paragraph("Not amended since your printed version " + version + ": it is still current. ", "current");
        if (current) { link(still, "Read it online", current); }
        return;
      }
      var heading = paragraph("Amended since your printed version " + version + ", " + since.length +
        (since.length === 1 ? " time" : " times") + ". Do not rely on the printout. ", "amended");
      heading.className = "procedures-check__amended";
      if (since[0].url) { link(heading, "Read the current version", since[0].url); }
      var list = document.createElement("ul");
      since.forEach(function (record) {
        var item = document.createElement("li");
        item.textContent = ukDate(record.date) + ": " + record.details + " ";
        if (record.changes) { link(item, "What changed", record.changes); }
        list.appendChild(item);
      });
      box.appendChild(list);
    })
    .catch(function () { paragraph("The list of amendments could not be loaded. Try again when you are online.", "offline"); });
})();
