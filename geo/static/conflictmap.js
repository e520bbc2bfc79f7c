/* geo conflict map: event layers, popups and the page API.
 *
 * All events are drawn by one canvas layer from typed arrays; each event type is a light
 * Leaflet layer that only switches its type on or off, so the layer control, the legend and
 * the date filter all act on the same arrays. Nothing is created per event, which keeps a
 * page of 100,000 events responsive.
 *
 * Everything shown from the data goes through textContent or element attributes, never
 * innerHTML, so text in an input file cannot run as script in the page.
 * The page API lives on window.conflictMap (see README, "Page API").
 */
(function () {
  "use strict";

  var DAY_MS = 86400000;
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var MONTHS_LONG = ["January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"];
  /* Above this many events in view, draw small squares instead of outlined circles. */
  var DENSE = 15000;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  /* For the few strings Leaflet inserts as HTML (layer control labels). */
  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = String(text);
    return div.innerHTML.replace(/"/g, "&quot;");
  }

  function dayToIso(day) {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }

  function isoToDay(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text));
    if (!m) { throw new Error("expected a date as YYYY-MM-DD, got " + JSON.stringify(text)); }
    return Math.round(Date.UTC(+m[1], +m[2] - 1, +m[3]) / DAY_MS);
  }

  function formatDate(day, precision) {
    var d = new Date(day * DAY_MS);
    var y = d.getUTCFullYear(), mo = d.getUTCMonth();
    if (precision === "year") { return String(y); }
    if (precision === "month") { return MONTHS_LONG[mo] + " " + y; }
    return d.getUTCDate() + " " + MONTHS[mo] + " " + y;
  }

  /* ---------- data ---------- */

  /* Columns are plain arrays or dictionary-encoded {dict: [...], codes: [...]}. */
  function Events(data) {
    var cols = data.columns;
    this.n = data.n;
    this.cols = cols;
    this.start = Int32Array.from(cols.date_start);
    this.end = Int32Array.from(cols.date_end);
    this.lat = Float64Array.from(cols.lat);
    this.lon = Float64Array.from(cols.lon);
    this.get = {};
    for (var name in cols) {
      if (Object.prototype.hasOwnProperty.call(cols, name)) { this.get[name] = accessor(cols[name]); }
    }
    this.index = null;
  }

  function accessor(col) {
    if (!Array.isArray(col)) {
      return function (i) { var c = col.codes[i]; return c < 0 ? null : col.dict[c]; };
    }
    return function (i) { return col[i]; };
  }

  Events.prototype.record = function (i) {
    var out = {};
    for (var name in this.get) { out[name] = this.get[name](i); }
    return out;
  };

  Events.prototype.find = function (id) {
    if (!this.index) {
      this.index = new Map();
      for (var i = 0; i < this.n; i++) { this.index.set(this.get.event_id(i), i); }
    }
    return this.index.has(id) ? this.index.get(id) : -1;
  };

  function radius(style, best) {
    if (best === null || best === undefined || best <= 0) { return style.minRadius; }
    return Math.min(style.maxRadius, style.minRadius + style.scale * Math.sqrt(best));
  }

  function bestFigure(ev, i) {
    var b = ev.get.fatalities_best(i);
    if (b === null) { b = ev.get.fatalities_high(i); }
    if (b === null) { b = ev.get.fatalities_low(i); }
    return b;
  }

  /* ---------- popups and tooltips ---------- */

  function range(low, best, high) {
    if (low === null && best === null && high === null) { return "not reported"; }
    var parts = [];
    if (best !== null) { parts.push(String(best)); }
    if (low !== null && high !== null && low !== high) {
      parts.push((best !== null ? "(range " : "") + low + "\u2013" + high + (best !== null ? ")" : ""));
    } else if (best === null) {
      parts.push(String(low !== null ? low : high));
    }
    return parts.join(" ");
  }

  function safeUrl(url) {
    if (!/^https?:\/\//i.test(url)) { return null; }
    try { return new URL(url).href; } catch (e) { return null; }
  }

  function row(table, label, value) {
    if (value === null || value === undefined || value === "") { return; }
    var tr = el("tr");
    tr.appendChild(el("th", null, label));
    tr.appendChild(el("td", null, value));
    table.appendChild(tr);
  }

  function sourceList(sources) {
    var list = el("ul", "geo-sources");
    sources.forEach(function (s) {
      var li = el("li");
      var href = s[1] ? safeUrl(s[1]) : null;
      var label = s[0] || s[1];
      if (href) {
        var a = el("a", null, label);
        a.href = href; a.target = "_blank"; a.rel = "noopener noreferrer";
        li.appendChild(a);
      } else {
        li.textContent = label + (s[1] && s[0] ? " (" + s[1] + ")" : "");
      }
      if (s[2]) { li.appendChild(document.createTextNode(", " + s[2])); }
      list.appendChild(li);
    });
    return list;
  }

  /* A value is given when the column exists in the page and the event has one. */
  function given(value) { return value !== null && value !== undefined; }

  function withAssociated(actor, associated) {
    if (!associated) { return actor || ""; }
    return (actor ? actor + " " : "") + "(with " + associated + ")";
  }

  /* UCDP's breakdown of the best estimate: "side A 3 · side B 5 · civilians 2 · unknown 0". */
  function deathsByParty(rec) {
    return [["side A", rec.deaths_side_a], ["side B", rec.deaths_side_b],
      ["civilians", rec.deaths_civilians], ["unknown", rec.deaths_unknown]]
      .filter(function (p) { return given(p[1]); })
      .map(function (p) { return p[0] + " " + p[1]; }).join(" \u00b7 ");
  }

  function popupContent(rec) {
    var box = el("div", "geo-popup");
    box.setAttribute("data-event-id", rec.event_id);
    box.appendChild(el("h3", null, rec.event_type + (rec.sub_event_type ? " \u2013 " + rec.sub_event_type : "")));
    var table = el("table");
    var date = formatDate(rec.date_start, rec.date_precision);
    if (rec.date_end !== rec.date_start && rec.date_precision === "day") {
      date += " \u2013 " + formatDate(rec.date_end, "day");
    }
    row(table, "Date", date + (rec.date_precision !== "day" ? " (" + rec.date_precision + " precision)" : ""));
    var place = [rec.location, rec.admin3, rec.admin2, rec.province, rec.country].filter(function (part, k, all) {
      return part && all.indexOf(part) === k;  // "Kabul, Kabul, Kabul" says it once
    }).join(", ");
    row(table, "Place", place + " (" + (rec.geo_precision === "exact" ? "exact place" : rec.geo_precision + " precision") + ")");
    if (rec.border_distance_km !== undefined && rec.border_distance_km !== null) {
      row(table, "Border", rec.border_distance_km.toFixed(1) + " km from the Durand Line, " +
        ({AFG: "Afghan side", PAK: "Pakistani side"}[rec.border_side] || "outside both countries"));
    }
    row(table, "Actors", [withAssociated(rec.actor1, rec.assoc_actor1),
      withAssociated(rec.actor2, rec.assoc_actor2)].filter(Boolean).join(" vs. "));
    row(table, "Conflict", rec.conflict_name);
    row(table, "Dyad", rec.dyad_name);
    row(table, "Disorder", rec.disorder_type);
    row(table, "Interaction", rec.interaction);
    row(table, "Targeting", /^civilian targeting$/i.test(rec.civilian_targeting || "")
      ? "Civilians were the target (civilian targeting)" : rec.civilian_targeting);
    row(table, "Killed", range(rec.fatalities_low, rec.fatalities_best, rec.fatalities_high));
    row(table, "Deaths by party", deathsByParty(rec));
    // a format without injury figures (ACLED) has none in any event: say nothing, not "not reported"
    if (given(rec.injured_low) || given(rec.injured_best) || given(rec.injured_high)) {
      row(table, "Injured", range(rec.injured_low, rec.injured_best, rec.injured_high));
    }
    row(table, "Figures", rec.fatality_note);
    box.appendChild(table);
    if (rec.summary) { box.appendChild(el("p", "geo-summary", rec.summary)); }
    if (rec.sources && rec.sources.length) {
      box.appendChild(el("div", "geo-sources-title", "Sources"));
      box.appendChild(sourceList(rec.sources));
    }
    if (rec.source_scale) { box.appendChild(el("div", "geo-source-scale", "Source scale: " + rec.source_scale)); }
    box.appendChild(el("div", "geo-event-id", rec.event_id));
    return box;
  }

  function tooltipContent(rec) {
    return el("span", null, formatDate(rec.date_start, rec.date_precision) + " \u00b7 " +
      ([rec.location, rec.province].filter(Boolean).join(", ") || rec.country || rec.event_id));
  }

  /* ---------- the canvas layer ---------- */

  var EventCanvas = L.Layer.extend({
    initialize: function (cm) { this.cm = cm; },

    onAdd: function (map) {
      // a pane of its own above the vector overlays (400): events stay on top of the
      // choropleth and the belt, whichever was switched on last
      var pane = map.getPane("geoEvents") || map.createPane("geoEvents");
      pane.style.zIndex = 450;
      pane.style.pointerEvents = "none";
      this._canvas = L.DomUtil.create("canvas", "geo-events-canvas leaflet-zoom-hide");
      pane.appendChild(this._canvas);
      map.on("moveend zoomend resize viewreset", this.redraw, this);
      this.redraw();
    },

    onRemove: function (map) {
      L.DomUtil.remove(this._canvas);
      map.off("moveend zoomend resize viewreset", this.redraw, this);
    },

    redraw: function () {
      if (!this._map || this._frame) { return; }
      var self = this;
      this._frame = L.Util.requestAnimFrame(function () { self._frame = null; self._draw(); });
    },

    drawNow: function () {
      if (this._frame) { L.Util.cancelAnimFrame(this._frame); this._frame = null; }
      if (this._map) { this._draw(); }
    },

    _draw: function () {
      var map = this._map, cm = this.cm, ev = cm.events, size = map.getSize();
      var ratio = window.devicePixelRatio || 1, canvas = this._canvas;
      var topLeft = map.containerPointToLayerPoint([0, 0]);
      L.DomUtil.setPosition(canvas, topLeft);
      canvas.width = Math.round(size.x * ratio);
      canvas.height = Math.round(size.y * ratio);
      canvas.style.width = size.x + "px";
      canvas.style.height = size.y + "px";
      var ctx = canvas.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      var scale = 256 * Math.pow(2, map.getZoom());
      var origin = map.getPixelOrigin(), offX = -origin.x - topLeft.x, offY = -origin.y - topLeft.y;
      var order = cm.order, mx = cm.mercX, my = cm.mercY, vis = cm.visible;
      var sx = this.sx || (this.sx = new Float32Array(ev.n));
      var sy = this.sy || (this.sy = new Float32Array(ev.n));
      var drawn = [];
      var inView = 0, k, i, x, y;
      for (k = 0; k < order.length; k++) {
        i = order[k];
        if (!vis[i]) { continue; }
        x = mx[i] * scale + offX; y = my[i] * scale + offY;
        if (x < -40 || y < -40 || x > size.x + 40 || y > size.y + 40) { continue; }
        sx[i] = x; sy[i] = y;
        drawn.push(i);
        inView++;
      }
      this.drawn = drawn;
      this.dense = inView > DENSE;
      // the legend explains the squares while they are shown
      (this.dense ? L.DomUtil.addClass : L.DomUtil.removeClass)(map.getContainer(), "geo-dense");
      if (this.dense) { this._drawDense(ctx, drawn); } else { this._drawCircles(ctx, drawn); }
    },

    /* Many events in view: each is a small square written straight into the pixel buffer.
     * Canvas circles cost microseconds each to rasterise without a GPU; this costs pixels. */
    _drawDense: function (ctx, drawn) {
      var cm = this.cm, sx = this.sx, sy = this.sy, t = cm.typeCode, rgba = cm.typeRGBA;
      var canvas = this._canvas, w = canvas.width, h = canvas.height;
      var ratio = window.devicePixelRatio || 1, cell = Math.max(2, Math.round(3 * ratio));
      var img = ctx.createImageData(w, h), buf = new Uint32Array(img.data.buffer);
      for (var k = 0; k < drawn.length; k++) {
        var i = drawn[k], colour = rgba[t[i]];
        var x0 = Math.round(sx[i] * ratio - cell / 2), y0 = Math.round(sy[i] * ratio - cell / 2);
        for (var y = Math.max(0, y0); y < Math.min(h, y0 + cell); y++) {
          var rowStart = y * w;
          for (var x = Math.max(0, x0); x < Math.min(w, x0 + cell); x++) { buf[rowStart + x] = colour; }
        }
      }
      ctx.putImageData(img, 0, 0);
    },

    /* A circle of one style and radius, drawn once and stamped wherever it is needed. */
    _sprite: function (code, place, date, r) {
      var key = ((code * 2 + place) * 2 + date) * 1000 + Math.round(r * 2);
      var cache = this._sprites || (this._sprites = {});
      var sprite = cache[key];
      if (sprite) { return sprite; }
      var ratio = window.devicePixelRatio || 1, rr = Math.round(r * 2) / 2;
      var css = Math.ceil((rr + 2) * 2), colour = this.cm.typeColours[code];
      sprite = document.createElement("canvas");
      sprite.width = sprite.height = Math.ceil(css * ratio);
      var c = sprite.getContext("2d");
      c.scale(ratio, ratio);
      c.beginPath();
      c.arc(css / 2, css / 2, rr, 0, 2 * Math.PI);
      c.globalAlpha = place ? 0.08 : 0.45;
      c.fillStyle = colour;
      c.fill();
      c.globalAlpha = 0.95;
      c.strokeStyle = colour;
      c.lineWidth = 2;
      if (date) { c.setLineDash([4, 3]); }
      c.stroke();
      sprite.css = css;
      cache[key] = sprite;
      return sprite;
    },

    _drawCircles: function (ctx, drawn) {
      var cm = this.cm, sx = this.sx, sy = this.sy, r = cm.radius, t = cm.typeCode;
      for (var k = 0; k < drawn.length; k++) {
        var i = drawn[k], sprite = this._sprite(t[i], cm.approxPlace[i], cm.approxDate[i], r[i]);
        ctx.drawImage(sprite, sx[i] - sprite.css / 2, sy[i] - sprite.css / 2, sprite.css, sprite.css);
      }
    },

    /* The topmost drawn event under a container point, or -1. */
    hit: function (point) {
      var drawn = this.drawn || [], sx = this.sx, sy = this.sy, r = this.cm.radius;
      for (var k = drawn.length - 1; k >= 0; k--) {
        var i = drawn[k], dx = sx[i] - point.x, dy = sy[i] - point.y, rr = (this.dense ? 3 : r[i]) + 3;
        if (dx * dx + dy * dy <= rr * rr) { return i; }
      }
      return -1;
    }
  });

  /* A type overlay: adding or removing it switches its events on or off. */
  var TypeLayer = L.Layer.extend({
    initialize: function (cm, code) { this.cm = cm; this.code = code; },
    onAdd: function () { this.cm.typeOn[this.code] = 1; this.cm.applyFilter(); },
    onRemove: function () { this.cm.typeOn[this.code] = 0; this.cm.applyFilter(); }
  });

  /* ---------- the map object ---------- */

  function ConflictMap(config) {
    this.config = config;
    this.map = config.map;
    this.control = config.control;
    this.events = new Events(config.data);
    this.types = config.types;
    this.layersByName = Object.create(null);  // names come from data and links
    this.layerOrder = [];
    this.range = config.initialRange.slice();
    this.filterListeners = [];  // called after every filter change with this object
    this.filterListeners.push(function (cm) { cm._labelTypeLayers(); });
    this._prepare();
    this._building = true;  // type layers switch on one by one: filter once at the end
    this._buildTypeLayers();
    this._registerContext();
    this._building = false;
    this.canvas = new EventCanvas(this);
    this.applyFilter();
    this.canvas.addTo(this.map);
    this._bindPointer();
  }

  ConflictMap.prototype._prepare = function () {
    var ev = this.events, n = ev.n, style = this.config.style;
    var typeIndex = {};
    this.types.forEach(function (t, k) { typeIndex[t.name] = k; });
    this.typeColours = this.types.map(function (t) { return t.color; });
    // the same colours as 32-bit pixels (ABGR in memory on little-endian machines), opaque
    this.typeRGBA = Uint32Array.from(this.types, function (t) {
      var v = parseInt(t.color.slice(1), 16);
      return ((255 << 24) | ((v & 255) << 16) | (v & 0xff00) | (v >> 16)) >>> 0;
    });
    this.typeCode = new Uint8Array(n);
    this.radius = new Float32Array(n);
    this.approxPlace = new Uint8Array(n);
    this.approxDate = new Uint8Array(n);
    this.mercX = new Float64Array(n);
    this.mercY = new Float64Array(n);
    this.visible = new Uint8Array(n);
    this.typeOn = new Uint8Array(this.types.length);
    for (var i = 0; i < n; i++) {
      this.typeCode[i] = typeIndex[ev.get.event_type(i)];
      this.radius[i] = radius(style, bestFigure(ev, i));
      this.approxPlace[i] = ev.get.geo_precision(i) !== "exact" ? 1 : 0;
      this.approxDate[i] = ev.get.date_precision(i) !== "day" ? 1 : 0;
      var lat = Math.max(-85.05112878, Math.min(85.05112878, ev.lat[i])) * Math.PI / 180;
      this.mercX[i] = (ev.lon[i] + 180) / 360;
      this.mercY[i] = (1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2;
    }
    // big circles first, so small ones stay visible and clickable on top
    var r = this.radius;
    this.order = Uint32Array.from({length: n}, function (_, i) { return i; })
      .sort(function (a, b) { return r[b] - r[a] || a - b; });
  };

  ConflictMap.prototype._buildTypeLayers = function () {
    var self = this;
    this.typeLayers = this.types.map(function (t, k) {
      var layer = new TypeLayer(self, k);
      self.layersByName[t.name] = layer;
      self.layerOrder.push(t.name);
      layer.addTo(self.map);
      self.control.addOverlay(layer, self._typeLabel(k));
      return layer;
    });
  };

  /* Layer control labels: a colour swatch, the type and its events in the date range.
   * Leaflet inserts labels as HTML, so the name is escaped and the colour checked. */
  ConflictMap.prototype._typeLabel = function (k) {
    var t = this.types[k], n = this.stats ? this.stats.types[k].inRange : t.count;
    var colour = /^#[0-9a-fA-F]{6}$/.test(t.color) ? t.color : "#777777";
    return '<span class="geo-swatch" style="background:' + colour + '" aria-hidden="true"></span>' +
      escapeHtml(t.name + " (" + n + ")");
  };

  ConflictMap.prototype._labelTypeLayers = function () {
    var control = this.control, entries = control && control._layers, changed = false, self = this;
    if (!entries || typeof control._update !== "function") { return; }
    entries.forEach(function (entry) {
      var k = self.typeLayers ? self.typeLayers.indexOf(entry.layer) : -1;
      if (k < 0) { return; }
      var label = self._typeLabel(k);
      if (entry.name !== label) { entry.name = label; changed = true; }
    });
    if (!changed) { return; }
    if (control._handlingClick) {  // the control is reading its own inputs: relabel after
      window.setTimeout(function () { control._update(); }, 0);
    } else {
      control._update();
    }
  };

  ConflictMap.prototype._registerContext = function () {
    var self = this;
    this.baseNames = Object.create(null);
    (this.config.contextLayers || []).concat(this.config.baseLayers || []).forEach(function (entry) {
      self.layersByName[entry.name] = entry.layer;
      self.layerOrder.push(entry.name);
    });
    (this.config.baseLayers || []).forEach(function (entry) { self.baseNames[entry.name] = true; });
  };

  ConflictMap.prototype._bindPointer = function () {
    var self = this, map = this.map, ev = this.events;
    var tooltip = L.tooltip({direction: "top", offset: [0, -6], className: "geo-tooltip"});
    var hovered = -1;
    map.on("mousemove", function (e) {
      var i = self.canvas.hit(e.containerPoint);
      if (i === hovered) { return; }
      hovered = i;
      map.getContainer().style.cursor = i >= 0 ? "pointer" : "";
      if (i < 0) { map.closeTooltip(tooltip); return; }
      tooltip.setLatLng([ev.lat[i], ev.lon[i]]).setContent(tooltipContent(ev.record(i)));
      map.openTooltip(tooltip);
    });
    map.on("mouseout", function () { hovered = -1; map.closeTooltip(tooltip); });
    map.on("click", function (e) {
      var i = self.canvas.hit(e.containerPoint);
      if (i >= 0) { self.popup(i); }
    });
  };

  /* Popup size and auto-pan padding: layout.js replaces this with the room the panels leave. */
  ConflictMap.prototype.popupOptions = function () {
    return {maxWidth: 360, minWidth: 240, autoPanPaddingBottomRight: [20, 160]};
  };

  ConflictMap.prototype.popup = function (i) {
    var ev = this.events;
    L.popup(this.popupOptions())
      .setLatLng([ev.lat[i], ev.lon[i]])
      .setContent(popupContent(ev.record(i)))
      .openOn(this.map);
  };

  /* Show one base layer and hide the others, as the layer control's radio buttons do. */
  ConflictMap.prototype.setBase = function (name) {
    var self = this;
    Object.keys(this.baseNames).forEach(function (other) {
      var layer = self.layersByName[other];
      if (other !== name && self.map.hasLayer(layer)) { self.map.removeLayer(layer); }
    });
    if (!this.map.hasLayer(this.layersByName[name])) { this.map.addLayer(this.layersByName[name]); }
  };

  ConflictMap.prototype.applyFilter = function () {
    if (this._building) { return; }
    var ev = this.events, lo = this.range[0], hi = this.range[1];
    var start = ev.start, end = ev.end, t = this.typeCode, on = this.typeOn, vis = this.visible;
    var shown = 0, inRange = 0;
    for (var i = 0; i < ev.n; i++) {
      var r = start[i] <= hi && end[i] >= lo;
      var v = r && on[t[i]] === 1;
      vis[i] = v ? 1 : 0;
      if (r) { inRange++; }
      if (v) { shown++; }
    }
    this.shownInRange = inRange;
    this.shown = shown;
    this.stats = this.summarise();
    if (this.canvas) { this.canvas.drawNow(); }
    // the one place that says "what is shown changed": the title, legend, layer control,
    // histogram, caption and list all listen here (filterListeners, or the DOM event)
    for (var k = 0; k < this.filterListeners.length; k++) { this.filterListeners[k](this); }
    var detail = this.stats, container = this.map.getContainer();
    if (typeof window.CustomEvent === "function") {
      container.dispatchEvent(new CustomEvent("geo:filter", {detail: detail}));
    }
  };

  /* Every number the page shows, for the current date range and type toggles. */
  ConflictMap.prototype.summarise = function () {
    var ev = this.events, lo = this.range[0], hi = this.range[1], t = this.typeCode;
    var inRange = this.types.map(function () { return 0; });
    for (var i = 0; i < ev.n; i++) {
      if (ev.start[i] <= hi && ev.end[i] >= lo) { inRange[t[i]]++; }
    }
    var self = this, hidden = [];
    var types = this.types.map(function (type, k) {
      var on = self.typeOn[k] === 1;
      if (!on) { hidden.push(type.name); }
      return {name: type.name, color: type.color, inRange: inRange[k], shown: on ? inRange[k] : 0,
        visible: on, total: type.count};
    });
    return {total: ev.n, shown: this.shown, inRange: this.shownInRange,
      range: [dayToIso(lo), dayToIso(hi)], types: types, hiddenTypes: hidden};
  };

  /* One line that says what the view shows: count, dates and the types switched off. */
  ConflictMap.prototype.caption = function () {
    var s = this.stats, lo = this.range[0], hi = this.range[1];
    if (s.total === 0 && this.config.emptyNote) { return this.config.emptyNote; }
    var text = s.shown.toLocaleString("en-GB") + (s.shown === 1 ? " event" : " events") +
      (lo === hi ? " on " + formatDate(lo, "day")
        : ", " + formatDate(lo, "day") + " to " + formatDate(hi, "day"));
    if (s.hiddenTypes.length) { text += " (not shown: " + s.hiddenTypes.join(", ") + ")"; }
    return text;
  };

  ConflictMap.prototype.setRange = function (a, b) {
    this.range = [Math.min(a, b), Math.max(a, b)];
    this.applyFilter();
  };

  /* ---------- page API ---------- */

  ConflictMap.prototype.api = function () {
    var self = this, ev = this.events;
    function ids(test) {
      var out = [];
      for (var i = 0; i < ev.n; i++) { if (test(i)) { out.push(ev.get.event_id(i)); } }
      return out;
    }
    return {
      events: function () { return ids(function () { return true; }); },
      visibleEventIds: function () { return ids(function (i) { return self.visible[i] === 1; }); },
      setDateRange: function (a, b) {
        self.setRange(isoToDay(a), isoToDay(b));
        return [dayToIso(self.range[0]), dayToIso(self.range[1])];
      },
      dateRange: function () { return [dayToIso(self.range[0]), dayToIso(self.range[1])]; },
      layers: function () {
        return self.layerOrder.map(function (name) {
          return {name: name, visible: self.map.hasLayer(self.layersByName[name]), base: !!self.baseNames[name]};
        });
      },
      setLayerVisible: function (name, visible) {
        var layer = self.layersByName[name];
        if (!layer) { throw new Error("no layer named " + JSON.stringify(name)); }
        if (visible && self.baseNames[name]) { self.setBase(name); return true; }
        if (visible && !self.map.hasLayer(layer)) { self.map.addLayer(layer); }
        if (!visible && self.map.hasLayer(layer)) { self.map.removeLayer(layer); }
        return self.map.hasLayer(layer);
      },
      openPopup: function (id) {
        var i = ev.find(id);
        if (i < 0) { throw new Error("no event with id " + JSON.stringify(id)); }
        if (!self.visible[i]) { return false; }
        self.popup(i);
        return true;
      },
      /* Where an event is drawn, in container pixels (null when hidden): for tests and embeds. */
      screenPosition: function (id) {
        var i = ev.find(id);
        if (i < 0 || !self.visible[i]) { return null; }
        var p = self.map.latLngToContainerPoint([ev.lat[i], ev.lon[i]]);
        return {x: p.x, y: p.y, radius: self.radius[i]};
      },
      /* The numbers on the page: {total, shown, inRange, range, types: [{name, inRange, shown, visible, total}], hiddenTypes}. */
      counts: function () { return JSON.parse(JSON.stringify(self.stats)); },
      /* The one-line caption of the current view (also in the print caption). */
      caption: function () { return self.caption(); },
      map: self.map
    };
  };

  function start(config) {
    var cm = new ConflictMap(config);
    window.conflictMap = cm.api();
    window.conflictMap._impl = cm;
    GeoConflictMap.onInit.forEach(function (f) { f(cm); });
    document.documentElement.setAttribute("data-conflict-map", "ready");
    if (window.performance && performance.mark) { performance.mark("conflict-map-ready"); }
    return cm;
  }

  /* Large data arrive gzip-compressed and base64-encoded; the browser inflates them. */
  function inflate(b64) {
    var bytes = Uint8Array.from(atob(b64), function (c) { return c.charCodeAt(0); });
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(JSON.parse);
  }

  window.GeoConflictMap = {
    init: function (config) {
      if (typeof config.data === "string") {
        // inside the promise chain, so that a missing DecompressionStream is caught below
        return Promise.resolve(config.data).then(inflate).then(function (data) {
          config.data = data;
          return start(config);
        }).catch(function (err) {
          // say so on the map rather than leave it silently empty
          var note = el("div", "geo-error", "The events could not be unpacked in this browser (" +
            err.message + "). Open the map in a current Chrome, Edge, Firefox or Safari.");
          note.setAttribute("role", "alert");
          config.map.getContainer().appendChild(note);
          document.documentElement.setAttribute("data-conflict-map", "error");
          throw err;
        });
      }
      return start(config);
    },
    onInit: [],
    util: {el: el, dayToIso: dayToIso, isoToDay: isoToDay, formatDate: formatDate, radius: radius,
      escapeHtml: escapeHtml}
  };
})();
