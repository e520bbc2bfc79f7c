/* geo page edition, load order 1 of 1 (see EDITION_JS in geo/render/edition.py; the Pashto, Dari
 * and Urdu pages only, where it runs right after core.js): the page in the edition's language.
 *
 * The English page does not carry this file, so its bytes do not change with the editions. The
 * fixed strings of the other scripts are already the edition's (geo/render/edition.py puts the
 * catalogue's text in place of the English literals); this file adds what needs the edition's
 * data at run time, from the page configuration's `i18n` (built from CLDR by Babel and from
 * geo/locale/cldr.json, never hand-written here):
 *
 * - GeoPage.edition.t(msgid, values): a catalogue message, the English where it has none, with
 *   its `{name}` placeholders filled by plain string replacement. The result is text: the page
 *   sets it with textContent, never as markup.
 * - dates: the helpers' formatDate and formatRange give the edition's calendar (Solar Hijri
 *   with the Gregorian date where the edition shows both), month names and digits;
 * - the page's own text as it is written: the texts other scripts join from words and numbers
 *   said again as one message (SAID), the texts Python writes in English whole (layer names,
 *   the worldview's legend, Leaflet's buttons: wholeMessages), the controls' tooltips, names
 *   and placeholders, and the edition's digits (counts, legend, time control); the events'
 *   own text (popup cells, summaries, sources) keeps its words and digits, the words the
 *   popup joins to it said around it (CELL).
 * - dates typed in the time control (H.parseDateInput): both calendars where the edition
 *   shows both, a year before 1700 being Solar Hijri, read through the same Nowruz table;
 *   Eastern Arabic-Indic digits too.
 * - the caption (cm.caption) as one message per case, so its words keep their order. */
(function () {
  "use strict";
  var H = GeoPage.helpers, util = GeoPage.util, DAY_MS = 86400000;
  var english = {formatDate: H.formatDate, formatRange: H.formatRange, parseDateInput: H.parseDateInput};
  var E = null;  // config.i18n, set when the page starts (GeoPage.init below)
  var YEARS = [];  // [[Solar Hijri year, day number of its 1 Hamal]], from E.solar.years
  var DIGITS = /[0-9]/g;

  function digits(text) {
    if (!E) { return String(text); }
    return String(text).replace(DIGITS, function (d) { return E.digits.charAt(+d); });
  }

  function t(msgid, values) {
    var text = E && Object.hasOwn(E.strings, msgid) ? E.strings[msgid] : msgid;
    return text.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, function (whole, name) {
      return values && Object.hasOwn(values, name) ? String(values[name]) : whole;
    });
  }

  /* A CLDR date pattern (d, M, MMM, MMMM, y, G and quoted text) filled from fields. */
  function pattern(text, f) {
    return text.replace(/'([^']*)'|d+|M+|y+|G+/g, function (tok, quoted) {
      if (quoted !== undefined) { return quoted; }
      var c = tok.charAt(0);
      if (c === "d") { return String(f.d); }
      if (c === "y") { return String(f.y); }
      if (c === "G") { return f.era || ""; }
      return tok.length >= 4 ? f.months[f.m] : tok.length === 3 ? f.monthsShort[f.m] : String(f.m + 1);
    });
  }

  /* The Solar Hijri years from the configuration's compact form (Python's solar_years): the
   * first year, the day number of its 1 Hamal, and "1" for each year of 366 days. */
  function solarYears(c) {
    var years = [], day = c.day;
    for (var k = 0; k <= c.long.length; k++) {
      years.push([c.from + k, day]);
      day += c.long.charAt(k) === "1" ? 366 : 365;
    }
    return years;
  }

  /* The Solar Hijri date of a day: the year whose first day (Nowruz, from Python) is the last
   * on or before it; six months of 31 days, then 30 (the last month ends with the year). */
  function solar(day) {
    var years = YEARS, k = years.length - 1;
    while (k > 0 && years[k][1] > day) { k--; }
    var n = day - years[k][1], m = n < 186 ? Math.floor(n / 31) : 6 + Math.floor((n - 186) / 30);
    m = Math.min(m, 11);
    var d = n - (m < 6 ? m * 31 : 186 + (m - 6) * 30) + 1;
    return {y: years[k][0], m: m, d: d, months: E.solar.months, monthsShort: E.solar.months, era: era()};
  }

  /* The Solar Hijri era's abbreviation: CLDR's, unless CLDR has none in the edition's script
   * (for Pashto it gives the root's Latin "AP"): then the catalogue's. */
  function era() {
    return /[A-Za-z]/.test(E.solar.era) ? t("AP (Solar Hijri era)") : E.solar.era;
  }

  function gregorian(day) {
    var g = new Date(day * DAY_MS);
    return {y: g.getUTCFullYear(), m: g.getUTCMonth(), d: g.getUTCDate(),
      months: E.gregorian.months, monthsShort: E.gregorian.monthsShort, era: ""};
  }

  function inSolarRange(day) {
    var years = YEARS;
    return E.solar && years.length && day >= years[0][1] && day < years[years.length - 1][1];
  }

  /* A day in the edition's calendars: the first alone when short, else both. Months, quarters
   * and years are the time control's Gregorian bins: said in the Gregorian calendar. */
  function formatDate(day, precision, both) {
    if (!E) { return english.formatDate(day, precision); }
    var g = gregorian(day);
    if (precision === "year") { return digits(String(g.y)); }
    if (precision === "quarter") {
      return digits(t("Q{quarter} {year}", {quarter: Math.floor(g.m / 3) + 1, year: g.y}));
    }
    if (precision === "month") { return digits(pattern(E.gregorian.month, g)); }
    var greg = digits(pattern(E.gregorian.day, g));
    if (!E.solar || !inSolarRange(day)) { return greg; }
    var sol = digits(pattern(E.solar.day, solar(day)));
    return both ? sol + " (" + greg + ")" : sol;
  }

  function formatRange(lo, hi) {
    if (!E) { return english.formatRange(lo, hi); }
    if (lo === hi) { return formatDate(lo, "day", true); }
    var units = ["month", "quarter", "year"];
    for (var k = units.length - 1; k >= 0; k--) {
      if (H.binFloor(lo, units[k]) === lo && H.binEnd(lo, units[k]) === hi) { return formatDate(lo, units[k]); }
    }
    return formatDate(lo, "day") + " \u2013 " + formatDate(hi, "day");
  }

  H.formatDate = function (day, precision) { return formatDate(day, precision, false); };
  H.formatRange = formatRange;
  util.formatDate = H.formatDate;

  /* ---------- dates typed by the reader ---------- */
  /* The one rule for a typed date in an edition: year-month-day (or year-month, or a year),
   * with "-" or "/" between them, in Latin or Eastern Arabic-Indic digits. In an edition that
   * shows the Solar Hijri calendar (Pashto, Dari) a year before SOLAR_BEFORE is a Solar Hijri
   * year (1403-10-08), a later one a Gregorian year (2024-12-28): the two never overlap, since
   * Solar Hijri years run about 621 behind. Elsewhere (Urdu) every year is Gregorian. The hint
   * of the date fields says this rule (HINT). A Solar Hijri date becomes a day through the
   * Nowruz table from Python (config.i18n.solar.years), as the page's dates are said. */
  var SOLAR_BEFORE = 1700;
  var EASTERN = /[\u06f0-\u06f9\u0660-\u0669]/g;

  function latinDigits(text) {
    return text.replace(EASTERN, function (c) {
      var k = c.charCodeAt(0);
      return String(k >= 0x06f0 ? k - 0x06f0 : k - 0x0660);
    });
  }

  function hint() {
    return E.solar ? t("Type a date as year-month-day: a year before 1700 is a Solar Hijri date (1403-10-08), a later year a Gregorian date (2024-12-28).")
      : t("Type a date as year-month-day (2024-12-28).");
  }

  /* The first day of a Solar Hijri year from the table, or null outside it. */
  function nowruz(y) {
    var years = YEARS, first = years[0][0];
    var k = y - first;
    return k >= 0 && k < years.length && years[k][0] === y ? years[k][1] : null;
  }

  function solarDay(y, mo, d, end, typed) {
    var start = nowruz(y), next = nowruz(y + 1), years = YEARS;
    if (start === null || next === null) {
      return {error: t("{text} is outside the Solar Hijri years this page knows ({first} to {last})",
        {text: JSON.stringify(typed), first: years[0][0], last: years[years.length - 2][0]})};
    }
    if (mo === null) { return {day: end ? next - 1 : start}; }
    var length = mo <= 6 ? 31 : mo <= 11 ? 30 : next - start - 336;
    var first = start + (mo <= 6 ? (mo - 1) * 31 : 186 + (mo - 7) * 30);
    if (d === null) { return {day: end ? first + length - 1 : first}; }
    if (d < 1 || d > length) { return {error: t("{text} is not a day of the calendar", {text: JSON.stringify(typed)})}; }
    return {day: first + d - 1};
  }

  function parseDateInput(text, end) {
    var typed = String(text === undefined || text === null ? "" : text).trim();
    var s = latinDigits(typed);
    var m = /^(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?$/.exec(s);
    if (!typed) { return {error: hint()}; }
    if (!m) { return {error: t("{text} is not a date. {hint}", {text: JSON.stringify(typed), hint: hint()})}; }
    var y = +m[1], mo = m[2] === undefined ? null : +m[2], d = m[3] === undefined ? null : +m[3];
    if (mo !== null && (mo < 1 || mo > 12)) {
      return {error: t("No month {month} in {text}", {month: mo, text: JSON.stringify(typed)})};
    }
    if (E.solar && y < SOLAR_BEFORE) { return solarDay(y, mo, d, end, typed); }
    var r = english.parseDateInput(s, end);
    return r.error ? {error: t("{text} is not a day of the calendar", {text: JSON.stringify(typed)})} : r;
  }

  H.parseDateInput = function (text, end) { return E ? parseDateInput(text, end) : english.parseDateInput(text, end); };

  /* ---------- the page's own text: messages the scripts build by joining words ---------- */
  /* The other scripts join some words and numbers ("118 of 118 events"); the English page must
   * keep its bytes, so they stay as they are and such a text, whole, is matched here and said
   * again as one message of the catalogue (its numbers as placeholders). A text that matches
   * no pattern keeps its words. */
  var SAID = [
    [/^(\d+) of (\d+) events$/, function (m) { return t("{shown} of {total} events", {shown: m[1], total: m[2]}); }],
    [/^1 event outside the view: show all$/, function () { return t("1 event outside the view: show all"); }],
    [/^(\d+) events outside the view: show all$/, function (m) { return t("{count} events outside the view: show all", {count: m[1]}); }],
    [/^\u25b6 Play$/, function () { return "\u25b6 " + t("Play"); }],
    [/^\u275a\u275a Pause$/, function () { return "\u275a\u275a " + t("Pause"); }],
    [/^By (.+)$/, function (m) { return t("By {unit}", {unit: m[1]}); }],
    [/^1 step$/, function () { return t("1 step"); }],
    [/^(\d+) steps$/, function (m) { return t("{count} steps", {count: m[1]}); }],
    [/^(.+): 1 event$/, function (m) { return t("{period}: 1 event", {period: m[1]}); }],
    [/^(.+): (\d+) events$/, function (m) { return t("{period}: {count} events", {period: m[1], count: m[2]}); }],
    [/^No events from (.+) to (.+) \(shortened\)$/, function (m) {
      return t("No events from {start} to {end} (shortened)", {start: m[1], end: m[2]});
    }],
    // the event list (eventlist.js): its count, and each entry's killed (the rest is the event's)
    [/^(\d+) events shown, by date$/, function (m) { return t("{count} events shown, by date", {count: m[1]}); }],
    [/^(\d+) events shown, by date \(first (\d+) listed\)$/, function (m) {
      return t("{count} events shown, by date (first {listed} listed)", {count: m[1], listed: m[2]});
    }],
    [/^(.+) \u00b7 (\d+) killed$/, function (m) { return m[1] + " \u00b7 " + t("{count} killed", {count: m[2]}); }],
    [/^Annotation: ([\s\S]*)$/, function (m) { return t("Annotation: {note}", {note: m[1]}); }],
    // the download menu (download.js): the format's own name, then the count
    [/^(CSV|GeoJSON) \u00b7 1 event$/, function (m) { return m[1] + " \u00b7 " + t("1 event"); }],
    [/^(CSV|GeoJSON) \u00b7 (\d+) events$/, function (m) {
      return m[1] + " \u00b7 " + t("{count} events", {count: m[2]});
    }],
    // the density legend (density.js)
    [/^Count$/, function () { return t("Count:"); }],
    [/^events$/, function () { return t("events"); }],
    [/^killed \(best estimate\)$/, function () { return t("killed (best estimate)"); }],
    [/^(Hexagons|Heat): (events|killed \(best estimate\)) shown$/, function (m) {
      var what = m[2] === "events" ? t("events") : t("killed (best estimate)");
      return m[1] === "Heat" ? t("Heat: {measure} shown", {measure: what})
        : t("Hexagons: {measure} shown", {measure: what});
    }],
    // the time control's date fields (timecontrol.js): their labels, hint and errors
    [/^YYYY-MM-DD$/, function () { return t("year-month-day"); }],
    [/^(.+) date \(YYYY-MM-DD\)$/, function (m) { return t("{field}: a date, year-month-day", {field: m[1]}); }],
    [/^Choose the (.+) date on a calendar$/, function (m) { return t("{field}: choose the date on a calendar", {field: m[1]}); }],
    [/^From: ([\s\S]*)\.$/, function (m) { return t("Start date") + ": " + m[1]; }],
    [/^To: ([\s\S]*)\.$/, function (m) { return t("End date") + ": " + m[1]; }],
    [/^The start, (.+), is after the end, (.+): change one of them\.$/, function (m) {
      return t("The start, {start}, is after the end, {end}: change one of them.", {start: m[1], end: m[2]});
    }],
    [/^Events per (day|week|month|quarter|year) \(drag to choose dates, click a bar for its \1\)$/, function () {
      return t("Events per time step (drag to choose dates, click a bar for its dates)");
    }],
    // the sources-and-methods panel (page.js, its lines from geo/methods.py): the sources'
    // credits, names, clauses and the places of their terms are theirs, as written
    [/^Data: ([\s\S]+)$/, function (m) { return t("Data: {credits}", {credits: m[1]}); }],
    [/^Filters: none$/, function () { return t("Filters: none"); }],
    [/^Filters: ([\s\S]+)$/, function (m) { return t("Filters: {filters}", {filters: m[1]}); }],
    [/^Derived by geo: (.+)$/, function (m) {
      return t("Derived by the tool: {fields}", {fields: m[1].split(", ").map(function (f) {
        return E && Object.hasOwn(E.strings, f) ? E.strings[f] : f;
      }).join(E ? E.listSeparator : ", ")});
    }],
    [/^Row download: on$/, function () { return t("Row download: on"); }],
    [/^Row download: off \(([\s\S]+)\)$/, function (m) { return t("Row download: off ({where})", {where: m[1]}); }],
    [/^Row download: on by the publisher's choice, against (.+) terms$/, function (m) {
      return t("Row download: on by the publisher's choice, against the terms of {names}", {names: m[1]});
    }],
    [/^(.+) terms, as the project reads them: ([\s\S]+) \(([^()]+)\)$/, function (m) {
      return t("{name} terms, as the project reads them: {clause} ({where})", {name: m[1], clause: m[2], where: m[3]});
    }],
    // the popup's other texts (popup.js)
    [/^Source scale: ([\s\S]+)$/, function (m) { return t("Source scale: {scale}", {scale: m[1]}); }],
    [/^(\d+) events here$/, function (m) { return t("{count} events here", {count: m[1]}); }],
    // the layer control's names that hold a number (geo/render/map.py)
    [/^Border belt \((\d+(?:\.\d+)?) km\)$/, function (m) { return t("Border belt ({width} km)", {width: m[1]}); }]
  ];

  /* Texts the Python side writes in English whole (the layer control's names, the worldview's
   * legend): a text node that is exactly one of these messages is said in the edition (said). They
   * are listed here as t() so that the catalogue template carries them (the extractor's rule)
   * and the configuration their text (GeoPage.edition.wholeMessages lists them, in the
   * edition's language). */
  function wholeMessages() {
    return [t("Light grey (Esri)"), t("Satellite (Esri)"), t("Offline basemap (no tiles)"),
      t("Events per province"), t("Fatalities per province (best estimate)"), t("Provinces"),
      t("Durand Line"), t("Border crossings"), t("Borders"),
      t("Line of Control (de facto; not an agreed border)"), t("Zoom in"), t("Zoom out"), t("Layers"),
      t("Close popup"), t("distance to the Durand Line"), t("side of the line"), t("border belt"),
      t("province where a record names none"), t("outside both countries"),
      t("Kashmir by de facto control: the Line of Control (dashed) is no agreed border; India and Pakistan each claim the whole former princely state of Jammu and Kashmir.")];
  }

  /* A text said again, the white space around it kept (Leaflet puts a space before a name). */
  function said(text) {
    var core = text.trim();
    if (!core) { return text; }
    var at = text.indexOf(core), before = text.slice(0, at), after = text.slice(at + core.length);
    for (var k = 0; k < SAID.length; k++) {
      var m = SAID[k][0].exec(core);
      if (m) { return before + SAID[k][1](m) + after; }
    }
    return E && Object.hasOwn(E.strings, core) ? before + E.strings[core] + after : text;
  }

  /* Text that is the events' own (their cells, summaries, sources, ids), the credits, or typed
   * by the reader: its words and digits stay as written. */
  var OWN_TEXT = ".geo-popup td, .geo-popup h3, .geo-summary, .geo-sources, .geo-event-id, " +
    "input, textarea, script, style, .geo-link-field, .leaflet-control-attribution";

  /* ---------- the popup's cells: the event's values, with the page's words around them ----- */
  /* A cell of the popup holds the event's own text and numbers, kept as written; the words
   * popup.js joins to them (a precision, the distance to the line, a range, "vs.") are said
   * in the edition around those values. */
  var PRECISION = {month: function () { return t("month precision"); }, year: function () { return t("year precision"); },
    district: function () { return t("district precision"); }, province: function () { return t("province precision"); }};
  var PARTY = {"side A": function () { return t("side A"); }, "side B": function () { return t("side B"); },
    civilians: function () { return t("civilians"); }, unknown: function () { return t("unknown"); }};
  var CELL = [
    [/^([\s\S]+) \((month|year|district|province) precision\)$/, function (m) { return m[1] + " (" + PRECISION[m[2]]() + ")"; }],
    [/^([\s\S]+) \(exact place\)$/, function (m) { return m[1] + " (" + t("exact place") + ")"; }],
    [/^(\d+(?:\.\d)?) km from the Durand Line, (.+)$/, function (m) {
      var side = m[2] === "outside both countries" ? t("outside both countries") : m[2];
      // the distance is the tool's own figure (geo.analysis): in the edition's digits
      return t("{distance} km from the Durand Line, {side}", {distance: digits(m[1]), side: side});
    }],
    [/^(\d+) \(range (\d+)\u2013(\d+)\)$/, function (m) {
      return m[1] + " (" + t("range {low}–{high}", {low: m[2], high: m[3]}) + ")";
    }],
    [/^not reported$/, function () { return t("not reported"); }],
    [/^(?:(?:side A|side B|civilians|unknown) \d+(?: \u00b7 |$))+$/, function (m) {
      return m[0].replace(/(side A|side B|civilians|unknown) (\d+)/g, function (_w, party, n) {
        return PARTY[party]() + " " + n;
      });
    }]
  ];

  function cell(text) {
    for (var k = 0; k < CELL.length; k++) {
      var m = CELL[k][0].exec(text);
      if (m) { return CELL[k][1](m); }
    }
    // the actors' cell: the names are theirs, the joining words the page's
    return text.split(" vs. ").map(function (part) {
      var m = /^([\s\S]*?)\(with ([\s\S]*)\)$/.exec(part);
      return m ? m[1] + "(" + t("with {actors}", {actors: m[2]}) + ")" : part;
    }).join(" " + t("vs.") + " ");
  }

  /* The words a control says in its attributes (a tooltip, a screen reader's name, a hint). */
  var ATTRS = ["title", "aria-label", "placeholder"];
  var OWN_ATTRS = ".geo-popup td, .geo-popup h3, .geo-summary, .geo-sources, .geo-event-id, " +
    ".leaflet-control-attribution";

  function shapeAttributes(el) {
    if (el.closest(OWN_ATTRS)) { return; }
    // the typed dates' rule, as the date fields' tooltip (and so their description)
    if (el.matches(".geo-date input[type=text]") && !el.title) { el.title = hint(); }
    for (var k = 0; k < ATTRS.length; k++) {
      var value = el.getAttribute(ATTRS[k]);
      if (value === null) { continue; }
      var shaped = digits(said(value));
      if (shaped !== value) { el.setAttribute(ATTRS[k], shaped); }
    }
  }

  function shapeText(node) {
    if (node.nodeType === 3) {
      var parent = node.parentElement;
      var shaped = node.nodeValue;
      if (parent && !parent.closest(OWN_TEXT)) { shaped = digits(said(node.nodeValue)); }
      else if (parent && parent.closest(".geo-popup td")) { shaped = cell(node.nodeValue); }
      // only a change: setting the same text would be a mutation of its own, for ever
      if (shaped !== node.nodeValue) { node.nodeValue = shaped; }
      return;
    }
    if (node.nodeType === 1) { shapeAttributes(node); }
    if (node.nodeType === 1 && (!node.matches(OWN_TEXT) || node.matches(".geo-popup td"))) {
      for (var c = node.firstChild; c; c = c.nextSibling) { shapeText(c); }
    }
  }

  function watchText(root) {
    shapeText(root);
    new MutationObserver(function (records) {
      records.forEach(function (r) {
        if (r.type === "characterData") { shapeText(r.target); }
        if (r.type === "attributes") { shapeAttributes(r.target); }
        r.addedNodes.forEach(shapeText);
      });
    }).observe(root, {childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ATTRS});
  }

  /* ---------- the caption, one message per case ---------- */
  function caption(cm) {
    var s = cm.stats, lo = cm.range[0], hi = cm.range[1];
    if (s.total === 0 && cm.config.emptyNote) { return cm.config.emptyNote; }
    var n = s.shown.toLocaleString("en-GB");
    var v = {count: n, date: formatDate(lo, "day", true), start: formatDate(lo, "day", true),
      end: formatDate(hi, "day", true)};
    var text;
    if (lo === hi) { text = s.shown === 1 ? t("{count} event on {date}", v) : t("{count} events on {date}", v); }
    else { text = s.shown === 1 ? t("{count} event, {start} to {end}", v) : t("{count} events, {start} to {end}", v); }
    var built = cm.config.buildFilters || [];
    if (built.length) { text += " \u00b7 " + built.join(" \u00b7 "); }
    var words = cm.filterWords();
    if (words) { text += " (" + words + ")"; }
    if (s.hiddenTypes.length) { text += " (" + t("not shown: {types}", {types: s.hiddenTypes.join(", ")}) + ")"; }
    return digits(text);
  }

  var init = GeoPage.init;
  GeoPage.init = function (config) {
    E = config.i18n || null;
    YEARS = E && E.solar ? solarYears(E.solar.years) : [];
    return init(config);
  };
  GeoPage.plugin(function (cm) {
    if (!E) { return; }
    var english = cm.caption;
    cm.caption = function () {
      // the highlight's part is the build's text: the English caption keeps it
      return cm.highlight && cm.highlightOn ? digits(english.call(cm)) : caption(cm);
    };
    watchText(document.body);
  });
  GeoPage.edition = {t: t, digits: digits, wholeMessages: wholeMessages};
})();
