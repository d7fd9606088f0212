/* Procedures manual: the print stamp. No dependencies; works with and without Material's instant loading. */
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
    document.querySelectorAll("article a[href]").forEach(function (link) {
      var href = link.getAttribute("href");
      if (href.charAt(0) !== "#" && !link.classList.contains("headerlink")) {
        link.setAttribute("data-print-href", link.href);
      }
    });
  }

  window.procedures = { formatMoment: formatMoment, stampNow: stampNow };

  window.addEventListener("beforeprint", stampNow);
  if (window.matchMedia) {
    var printing = window.matchMedia("print");
    var onChange = function (event) { if (event.matches) { stampNow(); } };
    if (printing.addEventListener) { printing.addEventListener("change", onChange); }
    else if (printing.addListener) { printing.addListener(onChange); }
  }
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(stampNow);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", stampNow);
  } else {
    stampNow();
  }
})();
