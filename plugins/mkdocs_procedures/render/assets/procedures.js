/* Procedures manual: the print stamp and the board selector. No dependencies. */
(function () {
  "use strict";

  var WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  function pad(number) { return (number < 10 ? "0" : "") + number; }

  function ordinalSuffix(day) {
    if (day % 100 >= 11 && day % 100 <= 13) { return "th"; }
    return { 1: "st", 2: "nd", 3: "rd" }[day % 10] || "th";
  }

  /* The same pattern language as stamp.format_moment in Python. */
  function formatMoment(moment, pattern) {
    var hour12 = moment.getHours() % 12 || 12;
    var zone = "";
    try { zone = Intl.DateTimeFormat(undefined, { timeZoneName: "short" }).formatToParts(moment)
      .filter(function (part) { return part.type === "timeZoneName"; })[0].value; } catch (e) { zone = ""; }
    var values = {
      "A": WEEKDAYS[moment.getDay()], "a": WEEKDAYS[moment.getDay()].slice(0, 3),
      "d": pad(moment.getDate()), "-d": String(moment.getDate()), "o": ordinalSuffix(moment.getDate()),
      "B": MONTHS[moment.getMonth()], "b": MONTHS[moment.getMonth()].slice(0, 3),
      "m": pad(moment.getMonth() + 1), "Y": String(moment.getFullYear()),
      "H": pad(moment.getHours()), "I": pad(hour12), "-I": String(hour12),
      "M": pad(moment.getMinutes()), "S": pad(moment.getSeconds()),
      "p": moment.getHours() < 12 ? "AM" : "PM", "Z": zone, "%": "%"
    };
    return pattern.replace(/%(-?[A-Za-z%])/g, function (token, code) {
      return Object.prototype.hasOwnProperty.call(values, code) ? values[code] : token;
    });
  }

  /* Stamp every page with the reader's own clock, and show where printed links lead. */
  function stampNow() {
    var now = new Date();
    document.querySelectorAll(".procedures-stamp").forEach(function (stamp) {
      var pattern = stamp.getAttribute("data-date-format");
      stamp.querySelectorAll(".procedures-stamp__moment").forEach(function (slot) {
        slot.textContent = formatMoment(now, pattern);
        slot.setAttribute("datetime", now.toISOString());
      });
      stamp.querySelector(".procedures-stamp__printed").hidden = false;
      stamp.querySelector(".procedures-stamp__built").hidden = true;
    });
    printAddresses();
    markSheets();
  }

  /* Where printed links lead: with a board picked, a page of the manual prints as the board's copy of it. */
  function printAddresses() {
    var board = document.documentElement.getAttribute("data-procedures-board") || "";
    var root = window.__md_scope instanceof URL ? window.__md_scope.href : "";
    var boards = boardNames();
    document.querySelectorAll("article a[href]").forEach(function (link) {
      var href = link.getAttribute("href");
      if (href.charAt(0) === "#" || link.classList.contains("headerlink")) { return; }
      var address = link.href;
      var path = root && address.indexOf(root) === 0 ? address.slice(root.length) : null;
      var first = path === null ? "" : path.split("/")[0];
      if (board && path !== null && /\/$/.test(link.pathname) && first !== "editions" &&
          !Object.prototype.hasOwnProperty.call(boards, first)) {
        address = root + board + "/" + path;
      }
      link.setAttribute("data-print-href", address);
    });
  }

  /* A quoted CSS string, as sheet_marks.css_string writes one. */
  function cssString(text) {
    return '"' + text.replace(/\s+/g, " ").trim().replace(/[\\"<\n]/g, function (character) {
      return "\\" + ("00000" + character.charCodeAt(0).toString(16)).slice(-6);
    }) + '"';
  }

  /* Every printed sheet's margins say what the stamp shown says, and the board it is for (sheet_marks.py
     writes the build's words into the page's head for a print without scripts). */
  function markSheets() {
    var stamp = document.querySelector(".procedures-stamp:not([hidden])");
    if (!stamp) { return; }
    var words = stamp.querySelector(".procedures-stamp__printed:not([hidden])") ||
      stamp.querySelector(".procedures-stamp__built");
    var root = document.documentElement;
    root.style.setProperty("--procedures-sheet-stamp", cssString(words.textContent));
    root.style.setProperty("--procedures-sheet-board", cssString(stamp.getAttribute("data-board-name") || ""));
    if (window.CSSMarginRule) { root.classList.add("procedures-sheet-marks"); }
  }

  /* The board selector: the reader's board is remembered across pages and visits, and can be linked. */
  var STORAGE_KEY = "procedures.board";

  function storedBoard() {
    try { return window.localStorage.getItem(STORAGE_KEY) || ""; } catch (e) { return ""; }
  }

  function storeBoard(id) {
    try {
      if (id) { window.localStorage.setItem(STORAGE_KEY, id); } else { window.localStorage.removeItem(STORAGE_KEY); }
    } catch (e) { /* storage may be disabled; the choice then lasts for this page only */ }
  }

  function boardNames() {
    var names = {};
    var select = document.querySelector(".procedures-boards__select");
    if (select) {
      Array.prototype.forEach.call(select.options, function (option) {
        if (option.value) { names[option.value] = option.textContent.trim(); }
      });
    }
    return names;
  }

  function showBoard(id, names) {
    document.documentElement.setAttribute("data-procedures-board", id);
    document.querySelectorAll(".procedures-local[data-board], .procedures-board-only[data-board]").forEach(
      function (block) { block.hidden = block.getAttribute("data-board") !== id; });
    document.querySelectorAll(".md-nav__item[data-procedures-board]").forEach(function (section) {
      section.hidden = section.getAttribute("data-procedures-board") !== id;
    });
    document.querySelectorAll(".procedures-value[data-value]").forEach(function (value) {
      var local = id ? value.querySelector('.procedures-value__local[data-board="' + id + '"]') : null;
      value.querySelectorAll(".procedures-value__local").forEach(function (span) { span.hidden = span !== local; });
      var regional = value.querySelector(".procedures-value__regional");
      if (regional) { regional.hidden = Boolean(local); }
    });
    /* What differs by board (the "Last amended" line, the stamp): the board's own version, or the regional. */
    document.querySelectorAll(".procedures-variants").forEach(function (group) {
      var chosen = id ? group.querySelector(':scope > [data-board="' + id + '"]') : null;
      Array.prototype.forEach.call(group.children, function (child) {
        child.hidden = chosen ? child !== chosen : child.hasAttribute("data-board");
      });
    });
    printAddresses();
    markSheets();
    document.querySelectorAll(".procedures-boards__select").forEach(function (select) { select.value = id; });
    document.querySelectorAll(".procedures-boards__clear").forEach(function (button) { button.disabled = !id; });
    var count = document.querySelectorAll(".procedures-local[data-board]:not([hidden])").length;
    var message = id
      ? "Showing local information for " + names[id] + (count ? " (" + count + " local section" + (count === 1 ? "" : "s") + " on this page)." : " (none on this page).")
      : "Showing the regional text only.";
    document.querySelectorAll(".procedures-boards__status").forEach(function (status) { status.textContent = message; });
    showSinceLastRead();
  }

  function linkBoard(id) {
    var url = new URL(window.location.href);
    if (id) { url.searchParams.set("board", id); } else { url.searchParams.delete("board"); }
    window.history.replaceState(window.history.state, "", url.toString());
  }

  function setUpBoards() {
    var selectors = document.querySelectorAll("[data-procedures-boards]");
    if (!selectors.length) { return; }
    var names = boardNames();
    var linked = new URL(window.location.href).searchParams.get("board");
    var chosen = storedBoard();
    if (linked !== null) {
      chosen = Object.prototype.hasOwnProperty.call(names, linked) ? linked : "";
      storeBoard(chosen);
    }
    if (!Object.prototype.hasOwnProperty.call(names, chosen)) { chosen = ""; }
    selectors.forEach(function (selector) {
      selector.querySelector(".procedures-boards__picker").hidden = false;
      selector.querySelector(".procedures-boards__select").addEventListener("change", function (event) {
        storeBoard(event.target.value);
        linkBoard(event.target.value);
        showBoard(event.target.value, names);
      });
      selector.querySelector(".procedures-boards__clear").addEventListener("click", function () {
        storeBoard("");
        linkBoard("");
        showBoard("", names);
        selector.querySelector(".procedures-boards__select").focus();
      });
    });
    showBoard(chosen, names);
  }

  /* The amendments log's filters: by board (every board, shared only, or shared plus one board's) and by
     chapter. Either may be set by the address (`?board=dudley&chapter=making-a-referral`): a value that is
     not one of the choices is ignored. */
  function setUpAmendmentsFilter() {
    var filter = document.querySelector(".procedures-amendments__filter");
    if (!filter) { return; }
    var boardSelect = filter.querySelector('select[data-filter="board"]');
    var chapterSelect = filter.querySelector('select[data-filter="chapter"]');
    var count = filter.querySelector(".procedures-amendments__count");
    var rows = document.querySelectorAll(".procedures-amendments__table tbody tr[data-chapter]");
    function words(row, name) {
      return (row.getAttribute(name) || "").split(" ").filter(Boolean);
    }
    function apply() {
      var board = boardSelect ? boardSelect.value : "*";
      var chapter = chapterSelect ? chapterSelect.value : "*";
      var shown = 0;
      rows.forEach(function (row) {
        var forBoard = board === "*" || row.getAttribute("data-shared") === "yes" ||
          words(row, "data-board").indexOf(board) !== -1;
        var forChapter = chapter === "*" || words(row, "data-chapter").indexOf(chapter) !== -1;
        row.hidden = !(forBoard && forChapter);
        if (!row.hidden) { shown += 1; }
      });
      count.textContent = shown + " amendment" + (shown === 1 ? "" : "s") + " shown.";
    }
    function choose(select, wanted) {
      if (!select) { return; }
      var known = Array.prototype.some.call(select.options, function (option) { return option.value === wanted; });
      select.value = wanted !== null && known ? wanted : "*";
      select.addEventListener("change", apply);
    }
    var address = new URL(window.location.href).searchParams;
    var linkedBoard = address.get("board");
    choose(boardSelect, linkedBoard !== null ? linkedBoard : storedBoard() || "*");
    choose(chapterSelect, address.get("chapter"));
    filter.hidden = false;
    apply();
  }

  /* On an edition's page: this page in every other edition, from the editions' list (`versions.json`, as
     Material's own version selector reads it), so a board's page leads to the board's copy in each. */
  function setUpEditionsList() {
    var list = document.querySelector(".procedures-editions-list");
    if (!list || !window.fetch) { return; }
    var root = list.getAttribute("data-editions-root");
    var here = list.getAttribute("data-edition");
    var page = list.getAttribute("data-page");
    window.fetch(root + "versions.json").then(function (response) {
      return response.ok ? response.json() : [];
    }).then(function (versions) {
      var others = (Array.isArray(versions) ? versions : []).filter(function (version) {
        return version && typeof version.version === "string" && version.version !== here &&
          /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(version.version);
      });
      if (!others.length) { return; }
      list.appendChild(document.createTextNode(" · this page in: "));
      others.forEach(function (version, index) {
        var link = document.createElement("a");
        link.href = root + version.version + "/" + page;
        link.textContent = String(version.title || version.version);
        if (index) { list.appendChild(document.createTextNode(", ")); }
        list.appendChild(link);
      });
      list.hidden = false;
    }).catch(function () { /* no list: the Editions page still lists every edition */ });
  }

  /* "Amended since you last read it": this browser remembers, per site (or board picked) and chapter, the
     newest amendment of the version the reader last read, on this device only; nothing is sent. The first
     visit records the version shown; later, newer amendments are listed until "Mark as read". */
  var READ_PREFIX = "procedures.read:";

  function readVersion(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  function keepVersion(key, entry) {
    try { window.localStorage.setItem(key, JSON.stringify({ key: entry.keys[0], date: entry.date })); } catch (e) { /* not kept */ }
  }

  function showSinceLastRead() {
    var box = document.querySelector(".procedures-since[data-history]");
    if (!box) { return; }
    var history;
    try { history = JSON.parse(box.getAttribute("data-history")); } catch (e) { return; }
    if (!Array.isArray(history)) { return; }
    var board = box.getAttribute("data-site") || storedBoard();
    function forReader(item) { return !item.board || item.board === board; }
    var shown = history.filter(function (entry) { return !entry.boards || entry.boards.indexOf(board) !== -1; });
    box.hidden = true;
    box.textContent = "";
    if (!shown.length) { return; }
    var key = READ_PREFIX + (board || "") + ":" + box.getAttribute("data-chapter");
    var read = readVersion(key);
    if (!read || typeof read.key !== "string") { keepVersion(key, shown[0]); return; }
    var index = -1;
    shown.forEach(function (entry, at) { if (index < 0 && entry.keys.indexOf(read.key) !== -1) { index = at; } });
    var newer = index >= 0 ? shown.slice(0, index) : shown.filter(function (entry) { return entry.date > String(read.date); });
    if (!newer.length) { return; }
    var heading = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = "This chapter has been amended since you last read it.";
    heading.appendChild(strong);
    box.appendChild(heading);
    var list = document.createElement("ul");
    var SHOWN = 5;  /* a reader back after a long time sees the newest few, and where the rest are */
    newer.slice(0, SHOWN).forEach(function (entry) {
      var item = document.createElement("li");
      item.appendChild(document.createTextNode(entry.day + ": " + entry.details));
      entry.changes.filter(forReader).forEach(function (change) {
        item.appendChild(document.createTextNode(" "));
        var link = document.createElement("a");
        link.href = change.href;
        link.textContent = change.board ? "What changed locally" : "What changed";
        link.className = "procedures-what-changed";
        item.appendChild(link);
      });
      list.appendChild(item);
    });
    /* The page carries the newest few: a reader further behind than that has more than it can count. */
    var uncounted = index < 0 && newer.length === shown.length && box.getAttribute("data-complete") !== "yes";
    if (newer.length > SHOWN || uncounted) {
      var more = document.createElement("li");
      var rest = document.createElement("a");
      var left = newer.length - SHOWN;
      rest.href = "#procedures-amendments-heading";
      rest.textContent = uncounted ? "and earlier amendments"
        : "and " + left + " earlier amendment" + (left === 1 ? "" : "s");
      more.appendChild(rest);
      list.appendChild(more);
    }
    box.appendChild(list);
    var actions = document.createElement("p");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button procedures-since__read";
    button.textContent = "Mark as read";
    button.addEventListener("click", function () {
      keepVersion(key, shown[0]);
      box.hidden = true;
      var title = document.querySelector("article h1");
      if (title) { title.setAttribute("tabindex", "-1"); title.focus(); }
    });
    actions.appendChild(button);
    actions.appendChild(document.createTextNode(" Remembered by your browser on this device only; nothing is sent. "));
    var privacy = document.createElement("a");
    privacy.href = box.getAttribute("data-privacy") || "";
    privacy.textContent = "Privacy and cookies";
    actions.appendChild(privacy);
    box.appendChild(actions);
    box.hidden = false;
  }

  /* The privacy note's button: forget the board picked and every chapter's version read, on this device. */
  function setUpForget() {
    var place = document.querySelector(".procedures-forget");
    if (!place) { return; }
    var button = place.querySelector("button");
    var status = place.querySelector(".procedures-forget__status");
    button.addEventListener("click", function () {
      var forgotten = 0;
      try {
        var keys = [];
        for (var at = 0; at < window.localStorage.length; at += 1) { keys.push(window.localStorage.key(at)); }
        keys.forEach(function (key) {
          if (key === STORAGE_KEY || key.indexOf(READ_PREFIX) === 0) { window.localStorage.removeItem(key); forgotten += 1; }
        });
      } catch (e) { /* storage disabled: nothing was kept */ }
      status.textContent = forgotten ? "Forgotten." : "Nothing was remembered.";
    });
    place.hidden = false;
  }

  function setUpPage() {
    setUpForget();
    showSinceLastRead();
    setUpEditionsList();
    setUpBoards();
    setUpAmendmentsFilter();
    stampNow();
  }

  window.procedures = { formatMoment: formatMoment, stampNow: stampNow, showBoard: showBoard };

  window.addEventListener("beforeprint", stampNow);
  if (window.matchMedia) {
    var printing = window.matchMedia("print");
    var onChange = function (event) { if (event.matches) { stampNow(); } };
    if (printing.addEventListener) { printing.addEventListener("change", onChange); }
    else if (printing.addListener) { printing.addListener(onChange); }
  }
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(setUpPage);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpPage);
  } else {
    setUpPage();
  }
})();
