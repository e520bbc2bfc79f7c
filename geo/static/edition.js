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
 *   said again as one message (SAID), and the edition's digits (counts, legend, time control);
 *   the events' own text (popup cells, summaries, sources) keeps its words and digits.
 * - the caption (cm.caption) as one message per case, so its words keep their order. */
(function () {
  "use strict";
  var H = GeoPage.helpers, util = GeoPage.util, DAY_MS = 86400000;
  var english = {formatDate: H.formatDate, formatRange: H.formatRange};
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
    return {y: years[k][0], m: m, d: d, months: E.solar.months, monthsShort: E.solar.months, era: E.solar.era};
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
    }]
  ];

  function said(text) {
    for (var k = 0; k < SAID.length; k++) {
      var m = SAID[k][0].exec(text);
      if (m) { return SAID[k][1](m); }
    }
    return text;
  }

  /* Text that is the events' own (their cells, summaries, sources, ids), the credits, or typed
   * by the reader: its words and digits stay as written. */
  var OWN_TEXT = ".geo-popup td, .geo-popup h3, .geo-summary, .geo-sources, .geo-event-id, " +
    "input, textarea, script, style, .geo-link-field, .leaflet-control-attribution";

  function shapeText(node) {
    if (node.nodeType === 3) {
      var parent = node.parentElement;
      if (parent && !parent.closest(OWN_TEXT)) {
        var shaped = digits(said(node.nodeValue));
        // only a change: setting the same text would be a mutation of its own, for ever
        if (shaped !== node.nodeValue) { node.nodeValue = shaped; }
      }
      return;
    }
    if (node.nodeType === 1 && !node.matches(OWN_TEXT)) {
      for (var c = node.firstChild; c; c = c.nextSibling) { shapeText(c); }
    }
  }

  function watchText(root) {
    shapeText(root);
    new MutationObserver(function (records) {
      records.forEach(function (r) {
        if (r.type === "characterData") { shapeText(r.target); }
        r.addedNodes.forEach(shapeText);
      });
    }).observe(root, {childList: true, subtree: true, characterData: true});
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
  GeoPage.edition = {t: t, digits: digits};
})();
