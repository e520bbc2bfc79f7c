/* geo page, load order 8 of 18 (see STATIC_JS in geo/render/page.py): the time control.
 * Needs helpers.js, core.js; uses the plugin surface of core.js. Publishes cm.timeControl.
 *
 * - Date fields that commit on Enter, on leaving the field or from the calendar, take
 *   YYYY-MM-DD (or YYYY-MM, YYYY) typed in full, say what is wrong instead of guessing,
 *   and are never rewritten while they have the focus.
 * - A time axis over all dates whose long empty stretches are compressed to marked breaks
 *   (GeoPage.helpers.makeAxis); a histogram of the events shown per day, week, month,
 *   quarter or year (the bin follows the span), with date ticks; drag on it to choose a
 *   range, click a bar to choose its bin. Two handles (a left and a right bracket, apart
 *   even on one day): arrows move one bin, PageUp/PageDown ten, Home/End to the ends.
 * - Playback by day, week, month, quarter or year at 0.5x to 4x, as a moving window of a
 *   chosen number of steps or cumulatively, with step buttons; the frame's dates large.
 */
(function () {
  "use strict";

  var H = GeoPage.helpers, util = GeoPage.util;
  var SPEEDS = [0.5, 1, 2, 4], LENGTHS = [1, 2, 3, 6, 12], STEP_MS = 1000;
  var UNIT_NAMES = {day: "Day", week: "Week", month: "Month", quarter: "Quarter", year: "Year"};
  /* Tick spacings: [unit, years per tick or 0, approximate days]. */
  var TICKS = [["day", 0, 1], ["week", 0, 7], ["month", 0, 30.44], ["quarter", 0, 91.3], ["year", 1, 365.25],
    ["year", 2, 730.5], ["year", 5, 1826], ["year", 10, 3652], ["year", 25, 9131], ["year", 50, 18262]];
  var SVG = "http://www.w3.org/2000/svg";

  function svgEl(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    for (var k in attrs) { node.setAttribute(k, String(attrs[k])); }
    return node;
  }

  /* A select whose options say what they are ("Month steps", "2x"): no separate label. */
  function select(label, options, value, onChange) {
    var wrap = util.el("span", "geo-opt");
    var sel = util.el("select");
    sel.setAttribute("aria-label", label);
    sel.title = label;
    options.forEach(function (o) {
      var opt = util.el("option", null, o[1]);
      opt.value = String(o[0]);
      sel.appendChild(opt);
    });
    sel.value = String(value);
    sel.addEventListener("change", function () { onChange(sel.value); });
    wrap.appendChild(sel);
    return {label: wrap, select: sel};
  }

  function TimeControl(cm) {
    var self = this, ev = cm.events;
    this.cm = cm;
    this.min = Math.min(cm.dataRange[0], cm.range[0]);
    this.max = Math.max(cm.dataRange[1], cm.range[1]);
    this.opening = cm.range.slice();
    this.axis = H.makeAxis(ev.start, ev.end, this.min, this.max);
    this.unit = H.chooseUnit(this.axis.days);
    this.playback = {step: this.unit, speed: 1, mode: "window", length: 1};
    this.session = null;
    var root = this.root = util.el("section", "geo-time");
    root.setAttribute("aria-label", "Date filter and playback");
    L.DomEvent.disableClickPropagation(root);
    L.DomEvent.disableScrollPropagation(root);
    root.appendChild(this.buildHead());
    root.appendChild(this.buildOptions());
    this.error = root.appendChild(util.el("p", "geo-date-error"));
    this.error.setAttribute("role", "alert");
    this.error.hidden = true;
    root.appendChild(this.buildTrack());
    this.ticks = root.appendChild(util.el("div", "geo-ticks"));
    this.ticks.setAttribute("aria-hidden", "true");
    cm.map.getContainer().appendChild(root);
    this.makeRoom();
    cm.map.on("resize", function () { self.makeRoom(); });
    cm.on("filter", function () { self.update(); });
    this.update();
  }

  TimeControl.prototype.buildHead = function () {
    var self = this, cm = this.cm, head = util.el("div", "geo-time-head");
    this.play = util.button("\u25b6 Play", "geo-play");
    this.play.setAttribute("aria-pressed", "false");
    this.play.addEventListener("click", function () { self.toggle(); });
    this.back = util.button("\u25c0", "geo-step-back", "Step back");
    this.back.addEventListener("click", function () { self.stop(); self.stepBy(-1); });
    this.fwd = util.button("\u25b6", "geo-step-fwd", "Step forward");
    this.fwd.addEventListener("click", function () { self.stop(); self.stepBy(1); });
    this.reset = util.button("All dates", "geo-reset");
    this.reset.addEventListener("click", function () { self.stop(); cm.setRange(self.min, self.max); });
    this.fromInput = this.dateInput("From", false);
    this.toInput = this.dateInput("To", true);
    this.status = util.el("output", "geo-count");
    this.status.setAttribute("aria-live", "polite");
    // layout.js puts "N events outside the view" here, next to the count it qualifies
    this.extra = util.el("span", "geo-time-extra");
    this.frameLabel = util.el("div", "geo-frame");
    this.countText = this.status.appendChild(util.el("span"));
    this.countDates = this.status.appendChild(util.el("span", "geo-count-dates"));
    [this.play, this.back, this.fwd, this.frameLabel, this.status, this.extra].forEach(function (n) { head.appendChild(n); });
    return head;
  };

  TimeControl.prototype.buildOptions = function () {
    var self = this, box = util.el("div", "geo-play-opts"), pb = this.playback;
    box.appendChild(this.fromInput.label);
    box.appendChild(this.toInput.label);
    box.appendChild(this.reset);
    this.note = box.appendChild(util.el("span", "geo-window-note"));
    this.note.hidden = true;
    this.stepSel = select("Playback step", H.UNITS.map(function (u) { return [u, "By " + UNIT_NAMES[u].toLowerCase()]; }), pb.step,
      function (v) { self.setPlayback({step: v}); });
    this.speedSel = select("Playback speed", SPEEDS.map(function (s) { return [s, s + "\u00d7"]; }), pb.speed,
      function (v) { self.setPlayback({speed: +v}); });
    this.modeSel = select("Playback mode", [["window", "Moving window"], ["cumulative", "Cumulative"]], pb.mode,
      function (v) { self.setPlayback({mode: v}); });
    this.lengthSel = select("Window length", LENGTHS.map(function (n) { return [n, n + (n === 1 ? " step" : " steps")]; }),
      pb.length, function (v) { self.setPlayback({length: +v}); });
    var opts = box.appendChild(util.el("span", "geo-play-settings"));
    [this.stepSel, this.speedSel, this.modeSel, this.lengthSel].forEach(function (s) { opts.appendChild(s.label); });
    return box;
  };

  /* ---------- date fields ---------- */

  TimeControl.prototype.dateInput = function (text, isEnd) {
    var self = this;
    var label = util.el("label", "geo-date");
    label.appendChild(util.el("span", null, text + " "));
    var input = util.el("input");
    input.type = "text";
    input.inputMode = "numeric";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.placeholder = "YYYY-MM-DD";
    input.size = 10;
    input.setAttribute("aria-label", text + " date (YYYY-MM-DD)");
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); self.commitDates(); }
      if (e.key === "Escape" && input.value !== input.dataset.shown) {
        e.stopPropagation();  // Escape here undoes the typing; it closes no popup
        input.value = input.dataset.shown || "";
        self.showError(null);
      }
    });
    input.addEventListener("change", function () { self.commitDates(); });
    // the calendar: a date input of its own, opened by a button, committing when it changes
    var picker = util.el("input", "geo-picker");
    picker.type = "date";
    picker.tabIndex = -1;
    picker.setAttribute("aria-hidden", "true");
    picker.addEventListener("change", function () {
      if (!picker.value) { return; }
      input.value = picker.value;
      self.commitDates();
    });
    var open = util.button("", "geo-pick", "Choose the " + text.toLowerCase() + " date on a calendar");
    open.appendChild(util.icon("M4 6h16v14H4zM4 10h16M8 3v5M16 3v5", "geo-icon-cal"));
    open.addEventListener("click", function () {
      picker.value = input.dataset.shown || "";
      try { picker.showPicker(); } catch (_e) { picker.focus(); }
    });
    label.appendChild(input);
    label.appendChild(open);
    label.appendChild(picker);
    return {label: label, input: input, isEnd: isEnd};
  };

  /* Both fields as typed; the range changes only when both are dates in order. */
  TimeControl.prototype.commitDates = function () {
    var a = H.parseDateInput(this.fromInput.input.value, false);
    var b = H.parseDateInput(this.toInput.input.value, true);
    this.fromInput.input.setAttribute("aria-invalid", String(!!a.error));
    this.toInput.input.setAttribute("aria-invalid", String(!!b.error));
    if (a.error || b.error) { this.showError((a.error ? "From: " + a.error : "To: " + b.error) + "."); return false; }
    if (a.day > b.day) {
      this.fromInput.input.setAttribute("aria-invalid", "true");
      this.showError("The start, " + H.formatDate(a.day, "day") + ", is after the end, " +
        H.formatDate(b.day, "day") + ": change one of them.");
      return false;
    }
    this.showError(null);
    this.stop();
    if (a.day !== this.cm.range[0] || b.day !== this.cm.range[1]) { this.cm.setRange(a.day, b.day); }
    return true;
  };

  TimeControl.prototype.showError = function (text) {
    this.error.textContent = text || "";
    this.error.hidden = !text;
    if (!text) {
      this.fromInput.input.setAttribute("aria-invalid", "false");
      this.toInput.input.setAttribute("aria-invalid", "false");
    }
    this.makeRoom();
  };

  /* ---------- the track: histogram, selection, two handles ---------- */

  TimeControl.prototype.buildTrack = function () {
    var self = this, track = this.track = util.el("div", "geo-track");
    this.hist = svgEl("svg", {viewBox: "0 0 1000 48", preserveAspectRatio: "none", "class": "geo-hist",
      role: "img", "aria-label": "Events per " + this.unit + " (drag to choose dates, click a bar for its " + this.unit + ")"});
    track.appendChild(this.hist);
    this.band = track.appendChild(util.el("div", "geo-band"));
    this.lo = this.handle("Start date", "geo-lo");
    this.hi = this.handle("End date", "geo-hi");
    track.appendChild(this.lo);
    track.appendChild(this.hi);
    this.buildBins();
    this.brush();
    [this.lo, this.hi].forEach(function (h) {
      h.addEventListener("keydown", function (e) { self.key(e, h === self.lo); });
      self.drag(h, h === self.lo);
    });
    return track;
  };

  TimeControl.prototype.handle = function (label, cls) {
    var h = util.el("div", "geo-handle " + cls);
    h.tabIndex = 0;
    h.setAttribute("role", "slider");
    h.setAttribute("aria-label", label);
    h.setAttribute("aria-valuemin", String(this.min));
    h.setAttribute("aria-valuemax", String(this.max));
    return h;
  };

  /* Bins of the time unit, cut at the breaks; bars drawn once, heights per filter. */
  TimeControl.prototype.buildBins = function () {
    var axis = this.axis, unit = this.unit, bins = this.bins = [], self = this;
    axis.segments.forEach(function (s) {
      for (var d = H.binFloor(s.lo, unit); d <= s.hi; d = H.binAdd(d, unit, 1)) {
        bins.push({lo: Math.max(d, s.lo), hi: Math.min(H.binEnd(d, unit), s.hi), start: d});
      }
    });
    // the bin of each event's start day (-1 in a break), through a table of the days
    var ev = this.cm.events, first = bins.length ? bins[0].lo : 0, last = bins.length ? bins[bins.length - 1].hi : -1;
    var ofDay = new Int32Array(Math.max(0, last - first + 1)).fill(-1), binOf = this.binOf = new Int32Array(ev.n);
    bins.forEach(function (b, k) { ofDay.fill(k, b.lo - first, b.hi - first + 1); });
    for (var i = 0; i < ev.n; i++) {
      var d = ev.start[i];
      binOf[i] = d >= first && d <= last ? ofDay[d - first] : -1;
    }
    bins.forEach(function (b) {
      var x0 = axis.toX(b.lo) * 1000, x1 = axis.toX(b.hi + 1) * 1000, w = x1 - x0;
      b.node = svgEl("rect", {x: x0.toFixed(2), width: Math.max(w - (w > 3 ? 0.8 : 0), 0.6).toFixed(2), y: 48, height: 0});
      b.title = svgEl("title", {});
      b.node.appendChild(b.title);
      b.label = H.formatDate(b.start, unit === "quarter" ? "quarter" : unit === "week" || unit === "day" ? "day" : unit);
      if (unit === "week") { b.label = "Week of " + b.label; }
      self.hist.appendChild(b.node);
    });
    axis.breaks.forEach(function (b) {
      var x0 = b.x0 * 1000, x1 = b.x1 * 1000, mid = (x0 + x1) / 2;
      var g = svgEl("g", {"class": "geo-break"});
      g.appendChild(svgEl("rect", {x: x0.toFixed(2), width: (x1 - x0).toFixed(2), y: 0, height: 48, "class": "geo-break-bg"}));
      g.appendChild(svgEl("path", {d: "M" + (mid - 4) + " 40 L" + (mid + 1) + " 8 M" + (mid - 1) + " 40 L" + (mid + 4) + " 8",
        "class": "geo-break-mark", "vector-effect": "non-scaling-stroke"}));
      var t = svgEl("title", {});
      t.textContent = "No events from " + H.formatDate(b.lo, "day") + " to " + H.formatDate(b.hi, "day") + " (shortened)";
      g.appendChild(t);
      self.hist.appendChild(g);
    });
  };

  /* Heights follow the type toggles and the filters (not the dates). */
  TimeControl.prototype.recount = function () {
    var cm = this.cm, key = Array.prototype.join.call(cm.typeOn, "") + JSON.stringify(cm.filter);
    if (key === this.countKey) { return; }
    this.countKey = key;
    var bins = this.bins, n = bins.length, counts = new Int32Array(n), t = cm.typeCode, on = cm.typeOn;
    var pass = cm.attrPass, binOf = this.binOf, i, max = 1;
    for (i = 0; i < binOf.length; i++) {
      if (binOf[i] >= 0 && on[t[i]] === 1 && pass[i] === 1) { counts[binOf[i]]++; }
    }
    for (i = 0; i < n; i++) { if (counts[i] > max) { max = counts[i]; } }
    for (i = 0; i < n; i++) {
      var h = counts[i] ? Math.max(2, 46 * counts[i] / max) : 0, b = bins[i];
      b.count = counts[i];
      b.node.setAttribute("y", (48 - h).toFixed(2));
      b.node.setAttribute("height", h.toFixed(2));
      b.title.textContent = b.label + ": " + counts[i] + (counts[i] === 1 ? " event" : " events");
    }
  };

  /* Date ticks: the finest spacing that leaves room for the labels, and one label for a
   * short stretch between breaks. */
  TimeControl.prototype.renderTicks = function () {
    var width = this.track.getBoundingClientRect().width, axis = this.axis, box = this.ticks;
    box.textContent = "";
    if (!width) { return; }
    var widest = axis.segments.reduce(function (a, s) { return Math.max((s.x1 - s.x0) / (s.hi - s.lo + 1), a); }, 0);
    var pxPerDay = widest * width, spec = TICKS[TICKS.length - 1];
    for (var k = 0; k < TICKS.length; k++) { if (TICKS[k][2] * pxPerDay >= 64) { spec = TICKS[k]; break; } }
    var unit = spec[0], every = spec[1], ticks = [];
    function label(d) {
      if (unit === "year") { return String(new Date(d * H.DAY_MS).getUTCFullYear()); }
      if (unit === "quarter") { return H.formatDate(d, "quarter"); }
      if (unit === "month") { return H.formatDate(d, "month").replace(/^(\w{3})\w*/, "$1"); }
      return H.formatDate(d, "day");
    }
    axis.segments.forEach(function (s) {
      var first = ticks.length;
      for (var d = H.binFloor(s.lo, unit); d <= s.hi; d = H.binAdd(d, unit, 1)) {
        if (d < s.lo) { continue; }
        if (every > 1 && new Date(d * H.DAY_MS).getUTCFullYear() % every !== 0) { continue; }
        ticks.push({x: axis.toX(d), text: label(d)});
      }
      if (ticks.length === first) { ticks.push({x: axis.toX(s.lo), text: String(new Date(s.lo * H.DAY_MS).getUTCFullYear()), loose: true}); }
    });
    var lastX = -1e9;
    ticks.forEach(function (t) {
      var px = t.x * width;
      if (px - lastX < (t.loose ? 40 : 56) || px > width - 10) { return; }
      lastX = px;
      var span = util.el("span", "geo-tick", t.text);
      span.style.left = (100 * t.x).toFixed(3) + "%";
      box.appendChild(span);
    });
  };

  /* ---------- pointer: drag a handle, brush or click the histogram ---------- */

  TimeControl.prototype.dayAt = function (clientX) {
    var r = this.track.getBoundingClientRect();
    return this.axis.toDay(r.width ? (clientX - r.left) / r.width : 0);
  };

  TimeControl.prototype.drag = function (h, isLo) {
    var self = this;
    h.addEventListener("pointerdown", function (e) {
      e.preventDefault();
      e.stopPropagation();
      h.focus();
      self.stop();
      h.setPointerCapture(e.pointerId);
      function move(m) {
        var d = self.dayAt(m.clientX), r = self.cm.range;
        if (isLo) { self.setRange(Math.min(H.binFloor(d, self.unit), r[1]), r[1]); } else {
          self.setRange(r[0], Math.max(H.binEnd(d, self.unit), r[0]));
        }
      }
      function up() { h.removeEventListener("pointermove", move); h.removeEventListener("pointerup", up); }
      h.addEventListener("pointermove", move);
      h.addEventListener("pointerup", up);
      h.addEventListener("pointercancel", up);
    });
  };

  TimeControl.prototype.brush = function () {
    var self = this, track = this.track;
    track.addEventListener("pointerdown", function (e) {
      if (e.target.closest && e.target.closest(".geo-handle")) { return; }
      e.preventDefault();
      self.stop();
      track.setPointerCapture(e.pointerId);
      var x0 = e.clientX, d0 = self.dayAt(e.clientX), moved = false;
      function move(m) {
        if (Math.abs(m.clientX - x0) < 4 && !moved) { return; }
        moved = true;
        var d1 = self.dayAt(m.clientX);
        self.setRange(H.binFloor(Math.min(d0, d1), self.unit), H.binEnd(Math.max(d0, d1), self.unit));
      }
      function up() {
        track.removeEventListener("pointermove", move);
        track.removeEventListener("pointerup", up);
        if (!moved) { self.setRange(H.binFloor(d0, self.unit), H.binEnd(d0, self.unit)); }
      }
      track.addEventListener("pointermove", move);
      track.addEventListener("pointerup", up);
    });
  };

  /* A range from the track: kept inside the axis, changed only when it differs. */
  TimeControl.prototype.setRange = function (a, b) {
    a = Math.max(this.min, Math.min(this.max, a));
    b = Math.max(this.min, Math.min(this.max, b));
    var r = this.cm.range;
    if (a !== r[0] || b !== r[1]) { this.cm.setRange(a, b); }
  };

  /* Arrows one bin, PageUp/PageDown ten, Home/End the ends; handles push, never cross. */
  TimeControl.prototype.key = function (e, isLo) {
    var u = this.unit, r = this.cm.range, lo = r[0], hi = r[1], k = 0, axis = this.axis;
    var steps = {ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, PageUp: 10, PageDown: -10};
    if (Object.hasOwn(steps, e.key)) { k = steps[e.key]; } else if (e.key !== "Home" && e.key !== "End") { return; }
    e.preventDefault();
    this.stop();
    function skip(d, dir) {
      var b = axis.inBreak(d);
      return b ? (dir > 0 ? b.hi + 1 : b.lo - 1) : d;
    }
    if (isLo) {
      if (e.key === "Home") { lo = this.min; } else if (e.key === "End") { lo = hi; } else {
        lo = k > 0 ? H.binAdd(lo, u, k) : H.binAdd(lo === H.binFloor(lo, u) ? lo : H.binAdd(lo, u, 1), u, k);
        lo = H.binFloor(skip(lo, k), u);
      }
      lo = Math.max(this.min, Math.min(this.max, lo));
      if (lo > hi) { hi = Math.min(this.max, H.binEnd(lo, u)); }
    } else {
      if (e.key === "End") { hi = this.max; } else if (e.key === "Home") { hi = lo; } else {
        hi = k > 0 ? H.binAdd(hi === H.binEnd(hi, u) ? hi + 1 : hi, u, k - 1) : H.binAdd(hi, u, k + 1) - 1;
        if (k > 0) { hi = H.binEnd(skip(hi, k), u); } else { hi = skip(hi, k); }
      }
      hi = Math.max(this.min, Math.min(this.max, hi));
      if (hi < lo) { lo = Math.max(this.min, H.binFloor(hi, u)); }
    }
    this.setRange(lo, hi);
  };

  /* ---------- following the page ---------- */

  /* Lift Leaflet's bottom controls (legend, scale, attribution) above the panel. */
  TimeControl.prototype.makeRoom = function () {
    var container = this.cm.map.getContainer(), onMap = container.contains(this.root);
    // on the map the corners below keep clear of the panel; beside or under it they need not
    var bottoms = container.querySelectorAll(".leaflet-bottom");
    for (var i = 0; i < bottoms.length; i++) { bottoms[i].style.bottom = onMap ? (this.root.offsetHeight + 10) + "px" : ""; }
    // the legend scrolls rather than running under the title box
    var top = 0, title = this.cm.titleControl && this.cm.titleControl.getContainer();
    if (title && title.offsetParent) { top = title.getBoundingClientRect().bottom - container.getBoundingClientRect().top; }
    var room = container.clientHeight - (onMap ? this.root.offsetHeight : 0) - Math.max(top, 60) - 40;
    container.style.setProperty("--geo-legend-max", Math.max(100, room) + "px");
    if (this.track) {
      var w = this.track.getBoundingClientRect().width;
      if (w !== this.ticksWidth) { this.ticksWidth = w; this.renderTicks(); }
    }
  };

  TimeControl.prototype.update = function () {
    var cm = this.cm, r = cm.range, axis = this.axis;
    var x0 = axis.toX(Math.max(this.min, r[0])), x1 = axis.toX(Math.min(this.max, r[1]) + 1);
    this.lo.style.left = (100 * x0).toFixed(3) + "%";
    this.hi.style.left = (100 * x1).toFixed(3) + "%";
    this.band.style.left = (100 * x0).toFixed(3) + "%";
    this.band.style.width = (100 * Math.max(0, x1 - x0)).toFixed(3) + "%";
    this.lo.setAttribute("aria-valuenow", String(r[0]));
    this.hi.setAttribute("aria-valuenow", String(r[1]));
    this.lo.setAttribute("aria-valuetext", H.formatDate(r[0], "day"));
    this.hi.setAttribute("aria-valuetext", H.formatDate(r[1], "day"));
    // a field being typed in is never rewritten
    [[this.fromInput, r[0]], [this.toInput, r[1]]].forEach(function (pair) {
      var input = pair[0].input, iso = H.dayToIso(pair[1]);
      input.dataset.shown = iso;
      if (document.activeElement !== input) { input.value = iso; }
    });
    if (!this.error.hidden && document.activeElement !== this.fromInput.input &&
        document.activeElement !== this.toInput.input) { this.showError(null); }
    this.recount();
    var bins = this.bins;
    for (var k = 0; k < bins.length; k++) {
      var cls = bins[k].hi >= r[0] && bins[k].lo <= r[1] ? "in" : "out";
      if (bins[k].cls !== cls) { bins[k].cls = cls; bins[k].node.setAttribute("class", cls); }
    }
    this.frameLabel.textContent = H.formatRange(r[0], r[1]);
    this.countText.textContent = cm.shown + " of " + cm.events.n + " events";
    this.countDates.textContent = " \u00b7 " + H.formatRange(r[0], r[1]);
    this.windowNote();
  };

  /* The opening window leaves some events out: say so, with "All dates" at hand. */
  TimeControl.prototype.windowNote = function () {
    var cm = this.cm, r = cm.range, note = this.note;
    var atOpening = r[0] === this.opening[0] && r[1] === this.opening[1] && (r[0] > this.min || r[1] < this.max);
    var before = 0, after = 0, ev = cm.events;
    if (atOpening) {
      if (!this.openingOutside) {  // the events never change: count once
        for (var i = 0; i < ev.n; i++) {
          if (ev.end[i] < r[0]) { before++; } else if (ev.start[i] > r[1]) { after++; }
        }
        this.openingOutside = [before, after];
      }
      before = this.openingOutside[0];
      after = this.openingOutside[1];
    }
    var hidden = !(before || after);
    if (hidden === note.hidden && (hidden || note.dataset.key === before + "," + after)) { return; }
    note.textContent = "";
    note.hidden = hidden;
    note.dataset.key = before + "," + after;
    if (!hidden) {
      var parts = [];
      if (before) { parts.push(before + (before === 1 ? " event" : " events") + " before " + H.formatDate(r[0], "day")); }
      if (after) { parts.push(after + (after === 1 ? " event" : " events") + " after " + H.formatDate(r[1], "day")); }
      note.textContent = "+ " + parts.join(", ");
      note.title = "The map opened on the span that holds most events; All dates shows every one.";
    }
    this.makeRoom();
  };

  /* ---------- playback ---------- */

  TimeControl.prototype.setPlayback = function (opts) {
    var pb = this.playback, o = opts || {};
    if (H.UNITS.indexOf(o.step) >= 0) { pb.step = o.step; }
    if (SPEEDS.indexOf(+o.speed) >= 0) { pb.speed = +o.speed; }
    if (o.mode === "window" || o.mode === "cumulative") { pb.mode = o.mode; }
    if (LENGTHS.indexOf(+o.length) >= 0) { pb.length = +o.length; }
    this.stepSel.select.value = pb.step;
    this.speedSel.select.value = String(pb.speed);
    this.modeSel.select.value = pb.mode;
    this.lengthSel.select.value = String(pb.length);
    this.lengthSel.select.disabled = pb.mode === "cumulative";
    this.session = null;  // the next frame starts from the range shown
    if (this.timer) { this.stop(); this.start(); }
    this.cm.emit("playback");
    return {step: pb.step, speed: pb.speed, mode: pb.mode, length: pb.length};
  };

  TimeControl.prototype.frameFor = function (anchor) {
    var pb = this.playback, s = this.session;
    var hi = H.binAdd(anchor, pb.step, pb.mode === "window" ? pb.length : 1) - 1;
    var lo = pb.mode === "window" ? anchor : s.origin;
    return [Math.max(this.min, lo), Math.min(this.max, hi)];
  };

  /* Playback runs from the start of the range shown to its end (or on to the last date
   * when the range is no longer than one frame). */
  TimeControl.prototype.ensureSession = function () {
    var r = this.cm.range, s = this.session;
    if (s && s.frame[0] === r[0] && s.frame[1] === r[1]) { return false; }
    var step = this.playback.step, origin = H.binFloor(Math.max(this.min, r[0]), step);
    this.session = s = {origin: origin, anchor: origin, end: r[1], frame: null};
    if (this.frameFor(origin)[1] >= s.end) { s.end = this.max; }
    return true;
  };

  TimeControl.prototype.show = function () {
    var s = this.session, f = this.frameFor(s.anchor);
    s.frame = f;
    this.cm.setRange(f[0], f[1]);
  };

  /* One frame forward or back; empty stretches of the axis are stepped over. */
  TimeControl.prototype.stepBy = function (k) {
    if (this.ensureSession() && k > 0) { this.show(); return true; }
    var s = this.session, step = this.playback.step, next = H.binAdd(s.anchor, step, k);
    for (var guard = 0; guard < 1000; guard++) {
      var f = this.frameFor(next), b = this.axis.inBreak(f[0]);
      if (!b || this.playback.mode !== "window" || f[1] > b.hi) { break; }
      next = k > 0 ? H.binFloor(b.hi + 1, step) : H.binFloor(b.lo - 1, step);
    }
    if (next < H.binFloor(this.min, step) || next > this.max) { return false; }
    s.anchor = next;
    this.show();
    return true;
  };

  TimeControl.prototype.toggle = function () {
    if (this.timer) { this.stop(); } else { this.start(); }
  };

  TimeControl.prototype.start = function () {
    var self = this;
    if (this.ensureSession()) { this.show(); }
    this.play.textContent = "\u275a\u275a Pause";
    this.play.setAttribute("aria-pressed", "true");
    this.timer = window.setInterval(function () {
      var s = self.session;
      if (!s || s.frame[1] >= s.end || !self.stepBy(1)) { self.stop(); }
    }, STEP_MS / this.playback.speed);
  };

  TimeControl.prototype.stop = function () {
    if (this.timer) { window.clearInterval(this.timer); }
    this.timer = null;
    this.play.textContent = "\u25b6 Play";
    this.play.setAttribute("aria-pressed", "false");
  };

  GeoPage.plugin(function (cm) {
    var tc = cm.timeControl = new TimeControl(cm);
    var api = window.conflictMap;
    api.play = function () { if (!tc.timer) { tc.start(); } };
    api.pause = function () { tc.stop(); };
    api.isPlaying = function () { return !!tc.timer; };
    api.stepForward = function () { tc.stop(); return tc.stepBy(1); };
    api.stepBack = function () { tc.stop(); return tc.stepBy(-1); };
    /* {step: day|week|month|quarter|year, speed: 0.5|1|2|4, mode: window|cumulative, length: 1|2|3|6|12} */
    api.setPlayback = function (opts) { return tc.setPlayback(opts); };
    api.playback = function () { return JSON.parse(JSON.stringify(tc.playback)); };
    /* The time axis: its span, bin, breaks, and where a date lies on it (0..1). */
    api.timeAxis = function () {
      var a = tc.axis;
      return {min: H.dayToIso(tc.min), max: H.dayToIso(tc.max), bin: tc.unit, opening: [H.dayToIso(tc.opening[0]), H.dayToIso(tc.opening[1])],
        breaks: a.breaks.map(function (b) { return [H.dayToIso(b.lo), H.dayToIso(b.hi)]; })};
    };
    api.axisPosition = function (iso) { return tc.axis.toX(H.isoToDay(iso)); };
  });
})();
