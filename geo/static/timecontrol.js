/* geo conflict map: the time control — a two-handle date range, date fields, playback and a
 * histogram of events per period. Everything is keyboard-operable and labelled. */
(function () {
  "use strict";

  function binning(lo, hi) {
    var years = (hi - lo) / 365.25;
    return years > 12 ? "year" : "month";
  }

  function binKey(day, unit) {
    var d = new Date(day * 86400000);
    return unit === "year" ? d.getUTCFullYear() : d.getUTCFullYear() * 12 + d.getUTCMonth();
  }

  function binStart(key, unit) {
    var ms = unit === "year" ? Date.UTC(key, 0, 1) : Date.UTC(Math.floor(key / 12), key % 12, 1);
    return Math.round(ms / 86400000);
  }

  /* Bars of the events per month or year, for the event types switched on. */
  function Histogram(cm, lo, hi) {
    var util = GeoConflictMap.util, ev = cm.events;
    this.cm = cm;
    this.unit = binning(lo, hi);
    var first = binKey(lo, this.unit), last = Math.max(first, binKey(hi, this.unit));
    this.first = first;
    this.bin = new Int32Array(ev.n);
    for (var i = 0; i < ev.n; i++) { this.bin[i] = binKey(ev.get.date_start(i), this.unit) - first; }
    this.counts = new Array(last - first + 1);
    var W = 1000, H = 48, n = this.counts.length, bw = W / n;
    var SVG = "http://www.w3.org/2000/svg";
    this.node = document.createElementNS(SVG, "svg");
    this.node.setAttribute("viewBox", "0 0 " + W + " " + H);
    this.node.setAttribute("preserveAspectRatio", "none");
    this.node.setAttribute("class", "geo-hist");
    this.node.setAttribute("role", "img");
    this.node.setAttribute("aria-label", "Events per " + this.unit);
    this.bars = [];
    for (var j = 0; j < n; j++) {
      var r = document.createElementNS(SVG, "rect");
      r.setAttribute("x", (j * bw).toFixed(2));
      r.setAttribute("width", Math.max(bw - (bw > 3 ? 1 : 0), 0.5).toFixed(2));
      var t = document.createElementNS(SVG, "title");
      r.appendChild(t);
      this.node.appendChild(r);
      var start = binStart(first + j, this.unit);
      this.bars.push({node: r, title: t, label: util.formatDate(start, this.unit), start: start,
        end: binStart(first + j + 1, this.unit) - 1});
    }
    this.key = null;
    this.recount();
  }

  /* Heights follow the type toggles; recounted only when they change, not at every step. */
  Histogram.prototype.recount = function () {
    var cm = this.cm, key = Array.prototype.join.call(cm.typeOn, "");
    if (key === this.key) { return; }
    this.key = key;
    var counts = this.counts, t = cm.typeCode, on = cm.typeOn, n = counts.length, H = 48;
    for (var k = 0; k < n; k++) { counts[k] = 0; }
    for (var i = 0; i < this.bin.length; i++) {
      if (this.bin[i] >= 0 && this.bin[i] < n && on[t[i]] === 1) { counts[this.bin[i]]++; }
    }
    var max = 1;
    for (k = 0; k < n; k++) { if (counts[k] > max) { max = counts[k]; } }
    for (var j = 0; j < n; j++) {
      var h = counts[j] ? Math.max(2, (H - 2) * counts[j] / max) : 0, bar = this.bars[j];
      bar.node.setAttribute("y", (H - h).toFixed(2));
      bar.node.setAttribute("height", h.toFixed(2));
      bar.title.textContent = bar.label + ": " + counts[j] + (counts[j] === 1 ? " event" : " events");
    }
  };

  Histogram.prototype.highlight = function (lo, hi) {
    this.bars.forEach(function (b) {
      b.node.setAttribute("class", b.end >= lo && b.start <= hi ? "in" : "out");
    });
  };

  function TimeControl(cm) {
    var util = GeoConflictMap.util, self = this;
    this.cm = cm;
    var dr = cm.config.dataRange || cm.range;
    this.min = Math.min(dr[0], cm.range[0]);
    this.max = Math.max(dr[1], cm.range[1]);
    var root = this.root = util.el("section", "geo-time");
    root.setAttribute("aria-label", "Date filter");
    L.DomEvent.disableClickPropagation(root);
    L.DomEvent.disableScrollPropagation(root);

    var head = util.el("div", "geo-time-head");
    this.play = util.el("button", "geo-play", "\u25b6 Play");
    this.play.type = "button";
    this.play.setAttribute("aria-pressed", "false");
    this.play.addEventListener("click", function () { self.toggle(); });
    this.reset = util.el("button", "geo-reset", "All dates");
    this.reset.type = "button";
    this.reset.addEventListener("click", function () { self.stop(); cm.setRange(self.min, self.max); });
    this.fromInput = this.dateInput("From");
    this.toInput = this.dateInput("To");
    this.status = util.el("output", "geo-count");
    this.status.setAttribute("aria-live", "polite");
    // layout.js puts "N events outside the view" here, next to the count it qualifies
    this.extra = util.el("span", "geo-time-extra");
    head.appendChild(this.play);
    head.appendChild(this.fromInput.label);
    head.appendChild(this.toInput.label);
    head.appendChild(this.reset);
    head.appendChild(this.status);
    head.appendChild(this.extra);
    root.appendChild(head);

    this.hist = new Histogram(cm, this.min, this.max);
    root.appendChild(this.hist.node);

    var sliders = util.el("div", "geo-sliders");
    this.lo = this.slider("Start date");
    this.hi = this.slider("End date");
    sliders.appendChild(this.lo);
    sliders.appendChild(this.hi);
    root.appendChild(sliders);
    var scale = util.el("div", "geo-scale");
    scale.appendChild(util.el("span", null, util.formatDate(this.min, "day")));
    scale.appendChild(util.el("span", null, util.formatDate(this.max, "day")));
    root.appendChild(scale);

    this.lo.addEventListener("input", function () { self.fromSliders("lo"); });
    this.hi.addEventListener("input", function () { self.fromSliders("hi"); });
    cm.map.getContainer().appendChild(root);
    this.makeRoom();
    cm.map.on("resize", function () { self.makeRoom(); });
    cm.filterListeners.push(function () { self.update(); });
    cm.map.on("overlayadd overlayremove", function () { self.update(); });
    this.update();
  }

  /* Lift Leaflet's bottom controls (legend, scale, attribution) above the panel. */
  TimeControl.prototype.makeRoom = function () {
    var bottoms = this.cm.map.getContainer().querySelectorAll(".leaflet-bottom");
    for (var i = 0; i < bottoms.length; i++) { bottoms[i].style.bottom = (this.root.offsetHeight + 10) + "px"; }
    // the legend scrolls rather than running under the title box
    var container = this.cm.map.getContainer(), top = 0;
    var title = this.cm.titleControl && this.cm.titleControl.getContainer();
    if (title && title.offsetParent) { top = title.getBoundingClientRect().bottom - container.getBoundingClientRect().top; }
    var room = container.clientHeight - this.root.offsetHeight - Math.max(top, 60) - 40;
    container.style.setProperty("--geo-legend-max", Math.max(100, room) + "px");
  };

  TimeControl.prototype.slider = function (label) {
    var s = GeoConflictMap.util.el("input");
    s.type = "range";
    s.min = String(this.min);
    s.max = String(this.max);
    s.step = "1";
    s.setAttribute("aria-label", label);
    return s;
  };

  TimeControl.prototype.dateInput = function (text) {
    var util = GeoConflictMap.util, self = this;
    var label = util.el("label", "geo-date");
    label.appendChild(util.el("span", null, text + " "));
    var input = util.el("input");
    input.type = "date";
    input.min = util.dayToIso(this.min);
    input.max = util.dayToIso(this.max);
    input.addEventListener("change", function () {
      if (!input.value) { return; }
      var lo = util.isoToDay(self.fromInput.input.value || util.dayToIso(self.min));
      var hi = util.isoToDay(self.toInput.input.value || util.dayToIso(self.max));
      self.cm.setRange(lo, hi);
    });
    label.appendChild(input);
    return {label: label, input: input};
  };

  TimeControl.prototype.fromSliders = function (which) {
    var lo = +this.lo.value, hi = +this.hi.value;
    if (lo > hi) {
      if (which === "lo") { hi = lo; } else { lo = hi; }
    }
    this.cm.setRange(lo, hi);
  };

  TimeControl.prototype.update = function () {
    var util = GeoConflictMap.util, cm = this.cm, r = cm.range;
    this.lo.value = String(r[0]);
    this.hi.value = String(r[1]);
    this.lo.setAttribute("aria-valuetext", util.dayToIso(r[0]));
    this.hi.setAttribute("aria-valuetext", util.dayToIso(r[1]));
    this.fromInput.input.value = util.dayToIso(r[0]);
    this.toInput.input.value = util.dayToIso(r[1]);
    this.hist.recount();
    this.hist.highlight(r[0], r[1]);
    var dates = r[0] === r[1] ? util.formatDate(r[0], "day")
      : util.formatDate(r[0], "day") + " \u2013 " + util.formatDate(r[1], "day");
    this.status.textContent = cm.shown + " of " + cm.events.n + " events \u00b7 " + dates;
  };

  TimeControl.prototype.toggle = function () {
    if (this.timer) { this.stop(); } else { this.start(); }
  };

  TimeControl.prototype.start = function () {
    var cm = this.cm, self = this, span = this.max - this.min;
    var width = cm.range[1] - cm.range[0];
    if (width >= span || cm.range[1] >= this.max) {
      width = Math.max(1, Math.round(span / 10));
      cm.setRange(this.min, this.min + width);
    }
    var step = Math.max(1, Math.round(span / 60));
    this.play.textContent = "\u275a\u275a Pause";
    this.play.setAttribute("aria-pressed", "true");
    this.timer = window.setInterval(function () {
      var lo = cm.range[0] + step, hi = cm.range[1] + step;
      if (hi >= self.max) {
        cm.setRange(self.max - (cm.range[1] - cm.range[0]), self.max);
        self.stop();
        return;
      }
      cm.setRange(lo, hi);
    }, cm.config.playIntervalMs || 700);
  };

  TimeControl.prototype.stop = function () {
    if (this.timer) { window.clearInterval(this.timer); }
    this.timer = null;
    this.play.textContent = "\u25b6 Play";
    this.play.setAttribute("aria-pressed", "false");
  };

  GeoConflictMap.onInit.push(function (cm) {
    cm.timeControl = new TimeControl(cm);
    window.conflictMap.play = function () { cm.timeControl.start(); };
    window.conflictMap.pause = function () { cm.timeControl.stop(); };
    window.conflictMap.isPlaying = function () { return !!cm.timeControl.timer; };
  });
})();
