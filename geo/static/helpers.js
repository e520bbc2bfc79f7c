/* geo page, load order 1 of 18 (see STATIC_JS in geo/render/page.py): pure helpers.
 *
 * Defines the namespace window.GeoPage and GeoPage.helpers: dates, time bins, the time
 * axis, hexagon bins, class breaks and colours, the filter predicate, CSV cells and file
 * names. No DOM, no Leaflet, no state: tests/browser/test_js_helpers.py runs them
 * table-driven in a page.
 */
(function () {
  "use strict";

  var DAY_MS = 86400000;
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var MONTHS_LONG = ["January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"];
  /* Time bins and playback steps, finest first. */
  var UNITS = ["day", "week", "month", "quarter", "year"];

  /* ---------- dates: day numbers since 1970-01-01 (UTC) ---------- */

  function dayToIso(day) {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }

  function isoToDay(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text));
    if (!m) { throw new Error("expected a date as YYYY-MM-DD, got " + JSON.stringify(text)); }
    return Math.round(Date.UTC(+m[1], +m[2] - 1, +m[3]) / DAY_MS);
  }

  function utcDay(y, m, d) { return Math.round(Date.UTC(y, m, d) / DAY_MS); }

  /* A date typed by a person: YYYY-MM-DD, YYYY-MM or YYYY (the first or, with `end`, the
   * last day it covers). Returns {day} or {error}; never guesses an ambiguous 10/01/2025. */
  function parseDateInput(text, end) {
    var s = String(text === undefined || text === null ? "" : text).trim();
    var m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(s);
    if (!m) {
      return {error: s ? "Type the date as YYYY-MM-DD (for example 2025-10-01), not " + JSON.stringify(s)
        : "Type a date as YYYY-MM-DD"};
    }
    var y = +m[1], mo = m[2] === undefined ? null : +m[2], d = m[3] === undefined ? null : +m[3];
    if (mo !== null && (mo < 1 || mo > 12)) { return {error: "No month " + mo + " in " + JSON.stringify(s)}; }
    if (mo === null) { return {day: end ? utcDay(y, 11, 31) : utcDay(y, 0, 1)}; }
    if (d === null) { return {day: end ? utcDay(y, mo, 0) : utcDay(y, mo - 1, 1)}; }
    var day = utcDay(y, mo - 1, d), back = new Date(day * DAY_MS);
    if (back.getUTCDate() !== d || back.getUTCMonth() !== mo - 1) {
      return {error: JSON.stringify(s) + " is not a day of the calendar"};
    }
    return {day: day};
  }

  function formatDate(day, precision) {
    var d = new Date(day * DAY_MS);
    var y = d.getUTCFullYear(), mo = d.getUTCMonth();
    if (precision === "year") { return String(y); }
    if (precision === "quarter") { return "Q" + (Math.floor(mo / 3) + 1) + " " + y; }
    if (precision === "month") { return MONTHS_LONG[mo] + " " + y; }
    return d.getUTCDate() + " " + MONTHS[mo] + " " + y;
  }

  /* "1 Oct 2025 – 31 Oct 2025", said as a whole month, quarter or year where it is one. */
  function formatRange(lo, hi) {
    if (lo === hi) { return formatDate(lo, "day"); }
    for (var k = UNITS.length - 1; k >= 2; k--) {
      if (binFloor(lo, UNITS[k]) === lo && binEnd(lo, UNITS[k]) === hi) { return formatDate(lo, UNITS[k]); }
    }
    return formatDate(lo, "day") + " \u2013 " + formatDate(hi, "day");
  }

  /* ---------- time bins ---------- */

  /* First day of the bin that holds `day` (weeks start on Monday). */
  function binFloor(day, unit) {
    var d = new Date(day * DAY_MS), y = d.getUTCFullYear(), mo = d.getUTCMonth();
    if (unit === "day") { return day; }
    if (unit === "week") { return day - ((d.getUTCDay() + 6) % 7); }
    if (unit === "month") { return utcDay(y, mo, 1); }
    if (unit === "quarter") { return utcDay(y, mo - mo % 3, 1); }
    return utcDay(y, 0, 1);
  }

  /* First day of the bin `k` bins after the one that holds `day`. */
  function binAdd(day, unit, k) {
    var start = binFloor(day, unit), d = new Date(start * DAY_MS);
    if (unit === "day") { return start + k; }
    if (unit === "week") { return start + 7 * k; }
    var months = unit === "month" ? 1 : unit === "quarter" ? 3 : 12;
    return utcDay(d.getUTCFullYear(), d.getUTCMonth() + months * k, 1);
  }

  function binEnd(day, unit) { return binAdd(day, unit, 1) - 1; }

  /* The bin for a stretch of `days` days: about 40 to 160 bars. */
  function chooseUnit(days) {
    if (days <= 120) { return "day"; }
    if (days <= 2 * 365) { return "week"; }
    if (days <= 13 * 365) { return "month"; }
    if (days <= 40 * 365) { return "quarter"; }
    return "year";
  }

  /* ---------- the time axis: long empty stretches compressed to marked breaks ---------- */

  var BREAK_WIDTH = 0.015, BREAKS_MAX = 0.2, SEGMENT_MIN = 0.005;

  /* The distinct start days of the events, ascending, and for each the furthest day its
   * events reach (max of start and end): by a table over the days when the dates span a
   * sane number of them, else by sorting the events. */
  function coverage(starts, ends) {
    var n = starts.length, first = Infinity, last = -Infinity, days = [], far = [], i, k;
    for (i = 0; i < n; i++) {
      if (starts[i] < first) { first = starts[i]; }
      if (starts[i] > last) { last = starts[i]; }
    }
    if (n && last - first < Math.max(4 * n, 1e6)) {
      var reach = new Float64Array(last - first + 1).fill(-Infinity);
      for (i = 0; i < n; i++) {
        k = starts[i] - first;
        var e = Math.max(starts[i], ends[i]);
        if (e > reach[k]) { reach[k] = e; }
      }
      for (k = 0; k < reach.length; k++) {
        if (reach[k] !== -Infinity) { days.push(first + k); far.push(reach[k]); }
      }
      return {days: days, far: far};
    }
    var order = [];
    for (i = 0; i < n; i++) { order.push(i); }
    order.sort(function (a, b) { return starts[a] - starts[b]; });
    for (i = 0; i < n; i++) {
      var s = starts[order[i]], end = Math.max(s, ends[order[i]]);
      if (days.length && days[days.length - 1] === s) { far[far.length - 1] = Math.max(far[far.length - 1], end); } else {
        days.push(s);
        far.push(end);
      }
    }
    return {days: days, far: far};
  }

  /* An axis over [lo, hi] (day numbers) for events [starts[i], ends[i]]. Stretches without
   * events longer than ten times the median gap between event days (at least 90 days, at
   * most a year) become breaks of fixed width; the rest is linear. Positions are in 0..1;
   * a day d occupies [toX(d), toX(d + 1)). */
  function makeAxis(starts, ends, lo, hi) {
    var cover = coverage(starts, ends), days = cover.days, i;
    var gaps = new Float64Array(Math.max(0, days.length - 1));
    for (i = 1; i < days.length; i++) { gaps[i - 1] = days[i] - days[i - 1]; }
    gaps.sort();
    var median = gaps.length ? gaps[Math.floor(gaps.length / 2)] : 0;
    var gapMax = Math.max(90, Math.min(365, 10 * median));
    // coverage: the events' spans, merged where they lie closer than gapMax; [lo, lo] and
    // [hi, hi] join in at their place (spans starting on one day merge in any order)
    var segs = [], loDone = false, hiDone = false;
    function add(a, b) {
      a = Math.max(lo, a);
      b = Math.min(hi, b);
      if (b < a) { return; }
      var last = segs[segs.length - 1];
      if (last && a - last.hi - 1 <= gapMax) { last.hi = Math.max(last.hi, b); } else { segs.push({lo: a, hi: b}); }
    }
    for (i = 0; i < days.length; i++) {
      if (!loDone && lo <= days[i]) { add(lo, lo); loDone = true; }
      if (!hiDone && hi < days[i]) { add(hi, hi); hiDone = true; }
      add(days[i], cover.far[i]);
    }
    if (!loDone) { add(lo, lo); }
    if (!hiDone) { add(hi, hi); }
    var nb = segs.length - 1, bw = nb > 0 ? Math.min(BREAK_WIDTH, BREAKS_MAX / nb) : 0;
    var total = 0;
    segs.forEach(function (s) { total += s.hi - s.lo + 1; });
    var weights = segs.map(function (s) { return Math.max(s.hi - s.lo + 1, SEGMENT_MIN * total); });
    var wsum = weights.reduce(function (a, b) { return a + b; }, 0), room = 1 - nb * bw, x = 0;
    segs.forEach(function (s, k) {
      s.x0 = x;
      x += room * weights[k] / wsum;
      s.x1 = k === segs.length - 1 ? 1 : x;
      x = s.x1 + bw;
    });
    var breaks = [];
    for (i = 0; i < nb; i++) {
      breaks.push({lo: segs[i].hi + 1, hi: segs[i + 1].lo - 1, x0: segs[i].x1, x1: segs[i + 1].x0});
    }
    /* Position of the start of day d (d = hi + 1 is the right end). */
    function toX(d) {
      if (d <= lo) { return 0; }
      if (d > hi) { return 1; }
      for (var k = 0; k < segs.length; k++) {
        var s = segs[k];
        if (d <= s.hi + 1) {
          if (d >= s.lo) { return s.x0 + (s.x1 - s.x0) * (d - s.lo) / (s.hi - s.lo + 1); }
          var b = breaks[k - 1];  // inside the break before this segment
          return b.x0 + (b.x1 - b.x0) * (d - b.lo) / (b.hi - b.lo + 1);
        }
      }
      return 1;
    }
    /* The day at position x (0..1). */
    function toDay(pos) {
      if (pos <= 0) { return lo; }
      if (pos >= 1) { return hi; }
      for (var k = 0; k < segs.length; k++) {
        var s = segs[k];
        if (pos < s.x1) {
          if (pos >= s.x0) { return Math.min(s.hi, s.lo + Math.floor((pos - s.x0) / (s.x1 - s.x0) * (s.hi - s.lo + 1))); }
          var b = breaks[k - 1];
          return Math.min(b.hi, b.lo + Math.floor((pos - b.x0) / (b.x1 - b.x0) * (b.hi - b.lo + 1)));
        }
      }
      return hi;
    }
    /* Is day d in a break (a compressed empty stretch)? */
    function inBreak(d) {
      for (var k = 0; k < breaks.length; k++) { if (d >= breaks[k].lo && d <= breaks[k].hi) { return breaks[k]; } }
      return null;
    }
    return {lo: lo, hi: hi, segments: segs, breaks: breaks, days: total, toX: toX, toDay: toDay, inBreak: inBreak};
  }

  /* ---------- hexagon bins (pointy-top, in pixels) ---------- */

  var SQRT3 = Math.sqrt(3);

  /* The hexagon of size r (centre to corner) that holds pixel (x, y), as axial [q, r]
   * (written into `out` when given: a loop over many points allocates nothing). */
  function hexCell(x, y, size, out) {
    var q = (SQRT3 / 3 * x - y / 3) / size, r = (2 / 3 * y) / size, s = -q - r;
    var rq = Math.round(q), rr = Math.round(r), rs = Math.round(s);
    var dq = Math.abs(rq - q), dr = Math.abs(rr - r), ds = Math.abs(rs - s);
    if (dq > dr && dq > ds) { rq = -rr - rs; } else if (dr > ds) { rr = -rq - rs; }
    if (!out) { return [rq, rr]; }
    out[0] = rq;
    out[1] = rr;
    return out;
  }

  function hexCenter(q, r, size) { return [size * SQRT3 * (q + r / 2), size * 1.5 * r]; }

  /* Lower bounds of at most `classes` classes for values 1..max: 1, 2, 5, 10, 20, 50, ... */
  function niceBreaks(max, classes) {
    var steps = [], k = 1, m = Math.max(1, max);
    while (k <= m) { steps.push(k); k = nextNice(k); }
    var most = classes || 6;
    if (steps.length > most) {  // 1, 3, 10, 30...: half decades when 1-2-5 gives too many
      steps = [];
      for (k = 1; k <= m; k *= 10) { steps.push(k); if (3 * k <= m) { steps.push(3 * k); } }
    }
    if (steps.length > most) {  // then decades
      steps = steps.filter(function (v) { return Math.log10(v) % 1 === 0; });
    }
    while (steps.length > most) { steps = steps.filter(function (_, j) { return j % 2 === 0; }); }
    return steps;
  }

  function nextNice(v) {
    var p = Math.pow(10, Math.floor(Math.log10(v))), f = v / p;
    return (f < 2 ? 2 : f < 5 ? 5 : 10) * p;
  }

  function classOf(value, breaks) {
    var k = -1;
    for (var i = 0; i < breaks.length; i++) { if (value >= breaks[i]) { k = i; } }
    return k;
  }

  /* Viridis (perceptually uniform, readable with colour-blindness), t in 0..1. */
  var VIRIDIS = ["#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779",
    "#6ece58", "#b5de2b", "#fde725"];

  function viridis(t) {
    var x = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1), k = Math.min(VIRIDIS.length - 2, Math.floor(x));
    var a = hexRgb(VIRIDIS[k]), b = hexRgb(VIRIDIS[k + 1]), f = x - k;
    return [0, 1, 2].map(function (c) { return Math.round(a[c] + (b[c] - a[c]) * f); });
  }

  function hexRgb(hex) {
    var v = parseInt(hex.slice(1), 16);
    return [v >> 16, (v >> 8) & 255, v & 255];
  }

  /* ---------- the filter predicate (the same rules as geo.timefilter.filter_events) ---------- */

  function emptyFilter() {
    return {actors: [], subEventTypes: [], minFatalities: 0, provinces: [], text: ""};
  }

  /* Words of a free-text search, lower case; an event matches when it holds every word. */
  function searchTerms(text) {
    return String(text || "").toLowerCase().split(/\s+/).filter(Boolean);
  }

  /* An event's figure: the value of the first of `fields` (PageConfig.figure, from
   * geo.schema.FIGURE_FIELDS) that event i has, through the accessors in `get`; null if none. */
  function figureOf(fields, get, i) {
    for (var k = 0; k < fields.length; k++) {
      var read = get[fields[k]], v = read ? read(i) : null;
      if (v !== null && v !== undefined) { return v; }
    }
    return null;
  }

  /* The radius in pixels of a figure: looked up in `sizes` (PageConfig.sizes, from
   * geo.render.style.size_table), the last entry beyond its end, the first for none. */
  function radiusOf(sizes, figure) {
    if (figure === null || figure === undefined || !(figure > 0)) { return sizes[0]; }
    return sizes[Math.min(Math.floor(figure), sizes.length - 1)];
  }

  /* A test of event i against `filter` (dates and types aside). `get` holds accessors
   * (actor1, actor2, sub_event_type, province, figure: the event's figure or null) and
   * haystack(i), the event's searchable text in lower case. Null when nothing filters. */
  function filterTest(filter, get) {
    var f = filter || emptyFilter(), tests = [];
    function has(list) { var set = new Set(list); return function (v) { return v !== null && v !== undefined && set.has(v); }; }
    if (f.actors && f.actors.length) {
      var actor = has(f.actors), a1 = get.actor1, a2 = get.actor2;
      tests.push(function (i) { return actor(a1 ? a1(i) : null) || actor(a2 ? a2(i) : null); });
    }
    if (f.subEventTypes && f.subEventTypes.length) {
      var sub = has(f.subEventTypes), gs = get.sub_event_type;
      tests.push(function (i) { return sub(gs ? gs(i) : null); });
    }
    if (f.provinces && f.provinces.length) {
      var prov = has(f.provinces), gp = get.province;
      tests.push(function (i) { return prov(gp ? gp(i) : null); });
    }
    if (f.minFatalities > 0) {
      var min = f.minFatalities, figure = get.figure;
      tests.push(function (i) {
        var v = figure ? figure(i) : null;
        return v !== null && v !== undefined && v >= min;
      });
    }
    var terms = searchTerms(f.text);
    if (terms.length) {
      tests.push(function (i) {
        var text = get.haystack(i);
        for (var k = 0; k < terms.length; k++) { if (text.indexOf(terms[k]) < 0) { return false; } }
        return true;
      });
    }
    if (!tests.length) { return null; }
    return function (i) {
      for (var k = 0; k < tests.length; k++) { if (!tests[k](i)) { return false; } }
      return true;
    };
  }

  /* ---------- downloads ---------- */

  /* The CSV rule of the page's downloads, from PageConfig.csv (geo.export.safe_cell):
   * the characters a formula starts with and the pattern of a plain number. */
  function csvRule(spec) {
    return {start: spec.formulaStart, number: new RegExp(spec.number)};
  }

  /* A CSV cell as every CSV of the tool writes it: text a spreadsheet would run as a
   * formula (and not a plain number), or text that starts with an apostrophe, gets a
   * leading apostrophe; quoted when needed. */
  function csvCell(value, rule) {
    if (value === null || value === undefined) { return ""; }
    var s = String(value);
    if (typeof value === "string" && s.length &&
        (s[0] === "'" || (rule.start.indexOf(s[0]) >= 0 && !rule.number.test(s)))) {
      s = "'" + s;
    }
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function csvRow(cells, rule) { return cells.map(function (c) { return csvCell(c, rule); }).join(",") + "\n"; }

  /* A file name from free text: letters, digits, dot, dash and underscore, at most 80. */
  function safeFileName(text) {
    var s = String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9._-]+/g, "-").replace(/-{2,}/g, "-").replace(/^[-.]+|[-.]+$/g, "");
    return s.slice(0, 80).replace(/[-.]+$/, "") || "events";
  }

  /* ---------- drawn context layers: encoded polylines ---------- */

  /* Lines and rings of a geometry written by geo/render/_util.py encoded_geojson, by type:
   * how deep the lists of rings or lines go above one line. */
  var ENCODED_DEPTH = {LineString: 0, MultiLineString: 1, Polygon: 1, MultiPolygon: 2};

  /* One line or ring in Google's Encoded Polyline Algorithm Format (latitude first, each
   * vertex as steps of 10^-precision from the one before) as GeoJSON [lon, lat] pairs.
   * A step count over 10^precision gives the grid's value exactly, as Python wrote it. */
  function decodePolyline(text, precision) {
    var scale = Math.pow(10, precision), out = [], i = 0, n = text.length, lat = 0, lon = 0;
    function step() {
      var value = 0, shift = 0, chunk;
      do {
        chunk = text.charCodeAt(i++) - 63;
        value |= (chunk & 31) << shift;
        shift += 5;
      } while (chunk >= 32);
      return value & 1 ? ~(value >> 1) : value >> 1;
    }
    while (i < n) {
      lat += step();
      lon += step();
      out.push([lon / scale, lat / scale]);
    }
    return out;
  }

  /* The GeoJSON geometry of an encoded one ({type, precision, encoded}); any other as it is. */
  function decodeGeometry(geometry) {
    if (!geometry || geometry.encoded === undefined) { return geometry; }
    var precision = geometry.precision;
    function walk(part, depth) {
      return depth ? part.map(function (p) { return walk(p, depth - 1); }) : decodePolyline(part, precision);
    }
    return {type: geometry.type, coordinates: walk(geometry.encoded, ENCODED_DEPTH[geometry.type])};
  }

  /* Leaflet's GeoJSON `filter` of the drawn context layers (render/_util.py drawn_layer):
   * called with each feature before it is drawn, it decodes the feature's geometry in
   * place and keeps every feature. */
  function decodeFeature(feature) {
    feature.geometry = decodeGeometry(feature.geometry);
    return true;
  }

  window.GeoPage = {
    helpers: {
      DAY_MS: DAY_MS, UNITS: UNITS, dayToIso: dayToIso, isoToDay: isoToDay, parseDateInput: parseDateInput,
      formatDate: formatDate, formatRange: formatRange, binFloor: binFloor, binAdd: binAdd, binEnd: binEnd,
      chooseUnit: chooseUnit, makeAxis: makeAxis, hexCell: hexCell, hexCenter: hexCenter,
      niceBreaks: niceBreaks, classOf: classOf, viridis: viridis, emptyFilter: emptyFilter,
      searchTerms: searchTerms, filterTest: filterTest, figureOf: figureOf, radiusOf: radiusOf, csvRule: csvRule, csvCell: csvCell, csvRow: csvRow,
      safeFileName: safeFileName, decodePolyline: decodePolyline, decodeGeometry: decodeGeometry,
      decodeFeature: decodeFeature
    }
  };
})();
