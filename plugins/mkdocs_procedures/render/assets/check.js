/* The printed-copy check: has the chapter on a printout (?c=<chapter>&v=<version>&b=<board>) been amended
   since? Reads the site's amendments.json; no other network. */
(function () {
  "use strict";
  var box = document.querySelector(".procedures-check");
  var parameters = new URL(window.location.href).searchParams;
  var chapter = parameters.get("c"), version = parameters.get("v"), board = parameters.get("b") || null;
  var root = box.getAttribute("data-amendments").replace(/amendments\.json$/, "");

  function paragraph(text) {
    var element = document.createElement("p");
    element.textContent = text;
    box.appendChild(element);
    return element;
  }

  function link(parent, text, href) {
    var anchor = document.createElement("a");
    anchor.textContent = text;
    anchor.href = root + href;
    parent.appendChild(anchor);
    return anchor;
  }

  if (!chapter || !version) {
    paragraph("Enter the address printed at the foot of your page, or scan its code, to check it.");
    return;
  }
  fetch(box.getAttribute("data-amendments")).then(function (response) { return response.json(); })
    .then(function (records) {
      function printedIn(rows) {
        return rows.findIndex(function (record) { return record.commit && record.commit.indexOf(version) === 0; });
      }
      var all = records.filter(function (record) {
        return record.chapter === chapter && (record.board === null || record.board === board);
      });
      // A live chapter's rows first; a withdrawn file that had the same id is another chapter, with its own.
      var mine = all.filter(function (record) { return !record.withdrawn; });
      if (printedIn(mine) < 0) {
        var printedRow = all[printedIn(all)];
        if (printedRow) {
          mine = all.filter(function (record) { return record.withdrawn && record.path === printedRow.path; });
        }
      }
      var printed = printedIn(mine);
      if (printed < 0) {
        box.setAttribute("data-result", "unknown");
        paragraph("This site does not know version " + version + " of this chapter. Check the address on your printout.");
        return;
      }
      var since = mine.slice(0, printed);
      var current = mine[printed].url;
      if (!since.length) {
        box.setAttribute("data-result", "current");
        var still = paragraph("Not amended since your printed version " + version + ": it is still current. ");
        if (current) { link(still, "Read it online", current); }
        return;
      }
      box.setAttribute("data-result", "amended");
      var heading = paragraph("Amended since your printed version " + version + ", " + since.length +
        (since.length === 1 ? " time" : " times") + ". Do not rely on the printout. ");
      heading.className = "procedures-check__amended";
      if (since[0].url) { link(heading, "Read the current version", since[0].url); }
      var list = document.createElement("ul");
      since.forEach(function (record) {
        var item = document.createElement("li");
        item.textContent = record.date.split("-").reverse().join("-") + ": " + record.details + " ";
        if (record.changes) { link(item, "What changed", record.changes); }
        list.appendChild(item);
      });
      box.appendChild(list);
    })
    .catch(function () { paragraph("The list of amendments could not be loaded. Try again when you are online."); });
})();
