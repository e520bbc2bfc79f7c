/* geo page, load order 5 of 18 (see STATIC_JS in geo/render/page.py): the Controller —
 * the events, what is shown (date range, type toggles, filters), the layers, pointer
 * handling and the core of the page API. Needs helpers.js, core.js, popup.js, canvas.js.
 * Plugins use the surface documented in core.js and, for loops over every event's pixel,
 * cm.pixels() with cm.mercX/cm.mercY (read only; see Controller.prototype._project) and
 * cm.shownVersion (changes whenever cm.visible is written); nothing else of this file.
 */
(function () {
  "use strict";

  var H = GeoPage.helpers, util = GeoPage.util, popups = GeoPage.popups;
  /* Names of the drawing overlays in the layer control. */
  var DISPLAY = {points: "Event points", hexbin: "Density: hexagons", heat: "Density: heat"};
  /* A stack popup lists at most this many events (the event list has them all). */
  var STACK_LIMIT = 200;

  /* Event indices, the biggest radius first and equal radii in index order. A stable radix
   * sort on the radii's bits, two passes of 16 (positive floats order as their bit patterns
   * do); anything else (zero, NaN) falls back to a comparison sort with the same order. */
  function drawOrder(r) {
    var n = r.length, i;
    for (i = 0; i < n; i++) {
      if (!(r[i] > 0)) {
        return Uint32Array.from({length: n}, function (_, j) { return j; })
          .sort(function (a, b) { return r[b] - r[a] || a - b; });
      }
    }
    var bits = new Uint32Array(r.buffer, r.byteOffset, n);
    var a = new Uint32Array(n), b = new Uint32Array(n), count = new Uint32Array(65537), k, key;
    // keys are the complemented bits, so that ascending keys are descending radii
    for (i = 0; i < n; i++) { count[(~bits[i] & 0xffff) + 1]++; }
    for (k = 1; k < 65537; k++) { count[k] += count[k - 1]; }
    for (i = 0; i < n; i++) { key = ~bits[i] & 0xffff; a[count[key]++] = i; }
    count.fill(0);
    for (i = 0; i < n; i++) { count[(~bits[a[i]] >>> 16) + 1]++; }
    for (k = 1; k < 65537; k++) { count[k] += count[k - 1]; }
    for (i = 0; i < n; i++) { key = ~bits[a[i]] >>> 16; b[count[key]++] = a[i]; }
    return b;
  }

  /* A type overlay: adding or removing it switches its events on or off. */
  var TypeLayer = L.Layer.extend({
    initialize: function (cm, code) { this.cm = cm; this.code = code; },
    onAdd: function () { this.cm.typeOn[this.code] = 1; this.cm.applyFilter(); },
    onRemove: function () { this.cm.typeOn[this.code] = 0; this.cm.applyFilter(); }
  });

  /* A drawing overlay (points, hexagons, heat): switches one way of drawing on or off. */
  var DisplayLayer = L.Layer.extend({
    initialize: function (cm, key) { this.cm = cm; this.key = key; },
    onAdd: function () { this.cm.displayChanged(this.key, true); },
    onRemove: function () { this.cm.displayChanged(this.key, false); }
  });

  function Controller(config) {
    this.config = config;
    this.map = config.map;
    this.control = config.control;
    this.events = new GeoPage.Events(config.data);
    this.types = config.types;
    this.layersByName = Object.create(null);  // names come from data and links
    this.layerOrder = [];
    this.range = config.initialRange.slice();
    this.dataRange = (config.dataRange || config.initialRange).slice();
    this.filter = H.emptyFilter();
    this.display = {points: true, hexbin: false, heat: false};
    this.autoDensity = true;  // until the user picks a way of drawing
    this.densityMeasure = "events";
    this.listeners = {filter: [], draw: [], playback: []};
    this.on("filter", function (cm) { cm._labelTypeLayers(); });
    this._prepare();
    this._building = true;  // type layers switch on one by one: filter once at the end
    this._buildTypeLayers();
    this._buildDisplayLayers();
    this._registerContext();
    this._building = false;
    this.canvas = new GeoPage.EventCanvas(this);
    this.applyFilter();
    this.canvas.addTo(this.map);
    this._bindPointer();
    this._bindKeys();
  }

  Controller.prototype.on = function (name, fn) { this.listeners[name].push(fn); };

  Controller.prototype.emit = function (name) {
    var list = this.listeners[name];
    for (var k = 0; k < list.length; k++) { list[k](this); }
  };

  Controller.prototype.layer = function (name) { return this.layersByName[name] || null; };
  Controller.prototype.layerNames = function () { return this.layerOrder.slice(); };
  Controller.prototype.isBase = function (name) { return this.baseNames[name] === true; };

  Controller.prototype._prepare = function () {
    var ev = this.events, n = ev.n, figures = this.config.figure, sizes = this.config.sizes, g = ev.get;
    var typeIndex = new Map();
    this.types.forEach(function (t, k) { typeIndex.set(t.name, k); });
    this.typeColours = this.types.map(function (t) { return t.color; });
    this.typeRGB = this.types.map(function (t) {
      var v = parseInt(t.color.slice(1), 16);
      return [v >> 16, (v >> 8) & 255, v & 255];
    });
    this.typeCode = new Uint8Array(n);
    this.radius = new Float32Array(n);
    this.figure = new Float64Array(n);
    this.fatal = new Float32Array(n);
    this.approxPlace = new Uint8Array(n);
    this.approxDate = new Uint8Array(n);
    this.visible = new Uint8Array(n);
    this.attrPass = new Uint8Array(n).fill(1);
    this.typeOn = new Uint8Array(this.types.length);
    // the highlight (geo/highlight.py, evaluated in Python): the events' "highlighted"
    // column, 1 where an event is in colour; the others take the code after the types',
    // the muted grey (config.symbols.muted), while the highlight is on
    var lit = this.config.highlight && g.highlighted ? g.highlighted : null;
    this.highlight = lit ? new Uint8Array(n) : null;
    this.highlightOn = !!lit;
    this.mutedCode = this.types.length;
    var muted = (this.config.symbols && this.config.symbols.muted) || {color: "#9a9a9a"};
    this.typeColours.push(muted.color);
    var mv = parseInt(muted.color.slice(1), 16);
    this.typeRGB.push([mv >> 16, (mv >> 8) & 255, mv & 255]);
    for (var i = 0; i < n; i++) {
      this.typeCode[i] = typeIndex.get(g.event_type(i));
      var figure = H.figureOf(figures, g, i);
      this.figure[i] = figure === null ? NaN : figure;
      this.radius[i] = H.radiusOf(sizes, figure);
      this.fatal[i] = figure === null ? 0 : Math.max(figure, 0);
      this.approxPlace[i] = g.geo_precision(i) !== "exact" ? 1 : 0;
      this.approxDate[i] = g.date_precision(i) !== "day" ? 1 : 0;
      if (lit) { this.highlight[i] = lit(i) ? 1 : 0; }
    }
    this.drawCode = new Uint8Array(n);
    this._codeColours();
    this._project();
    // big circles first, so small ones stay visible and clickable on top
    this.order = drawOrder(this.radius);
  };

  /* The code each event is drawn with (canvas.js): its type's, or the muted grey's for an
   * event outside the highlight while the highlight is on. */
  Controller.prototype._codeColours = function () {
    var t = this.typeCode, code = this.drawCode, lit = this.highlightOn ? this.highlight : null;
    var grey = this.mutedCode;
    for (var i = 0; i < code.length; i++) { code[i] = lit && !lit[i] ? grey : t[i]; }
  };

  /* Switch the highlight on or off (a page without one has none to switch). */
  Controller.prototype.setHighlight = function (on) {
    if (!this.highlight || this.highlightOn === !!on) { return !!(this.highlight && this.highlightOn); }
    this.highlightOn = !!on;
    this._codeColours();
    if (this.canvas) { this.canvas.drawNow(); }
    this.emit("filter");  // the legend, the caption and the address follow
    return this.highlightOn;
  };

  /* How many of the events shown are highlighted (0 without a highlight). */
  Controller.prototype.highlightedShown = function () {
    var lit = this.highlight, vis = this.visible, count = 0;
    if (!lit) { return 0; }
    for (var i = 0; i < lit.length; i++) { count += lit[i] & vis[i]; }
    return count;
  };

  /* Each event in the map's world coordinates before the zoom's scale (0..1 across the
   * world): mercX, mercY. For Leaflet's spherical Mercator these are the operations of
   * L.CRS.latLngToPoint on the same numbers, in the same order, so Math.round(scale * mercX[i])
   * is exactly what map.project() gives, and cm.pixels() can stand in for
   * map.latLngToContainerPoint in loops over all events (layout.js). */
  Controller.prototype._project = function () {
    var ev = this.events, n = ev.n, lat = ev.lat, lon = ev.lon, i, la, sin;
    var mx = this.mercX = new Float64Array(n), my = this.mercY = new Float64Array(n);
    var crs = this.map.options.crs, proj = crs && crs.projection, tr = crs && crs.transformation;
    this.exactPixels = !!(L.Projection && proj === L.Projection.SphericalMercator && L.CRS && L.CRS.Earth &&
      crs.latLngToPoint === L.CRS.Earth.latLngToPoint && tr && typeof tr._a === "number");
    if (this.exactPixels) {
      var R = proj.R, max = proj.MAX_LATITUDE, d = Math.PI / 180, a = tr._a, b = tr._b, c = tr._c, e = tr._d;
      for (i = 0; i < n; i++) {
        la = Math.max(Math.min(max, lat[i]), -max);
        sin = Math.sin(la * d);
        mx[i] = a * (R * lon[i] * d) + b;
        my[i] = c * (R * Math.log((1 + sin) / (1 - sin)) / 2) + e;
      }
      return;
    }
    for (i = 0; i < n; i++) {  // another CRS: close enough to draw, not to count pixels
      la = Math.max(-85.05112878, Math.min(85.05112878, lat[i])) * Math.PI / 180;
      mx[i] = (lon[i] + 180) / 360;
      my[i] = (1 - Math.log(Math.tan(la) + 1 / Math.cos(la)) / Math.PI) / 2;
    }
  };

  /* How to turn mercX/mercY into container pixels at the current view, as
   * map.latLngToContainerPoint does: x = (Math.round(scale * mercX[i]) - ox) + px, the same
   * for y. Null when the map's CRS is not the one mercX/mercY follow exactly. */
  Controller.prototype.pixels = function () {
    if (!this.exactPixels) { return null; }
    var map = this.map, origin = map.getPixelOrigin(), pane = map.layerPointToContainerPoint([0, 0]);
    return {scale: map.options.crs.scale(map.getZoom()), ox: origin.x, oy: origin.y, px: pane.x, py: pane.y};
  };

  Controller.prototype._buildTypeLayers = function () {
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

  Controller.prototype._buildDisplayLayers = function () {
    var self = this;
    this.displayLayers = {};
    Object.keys(DISPLAY).forEach(function (key) {
      var layer = new DisplayLayer(self, key);
      self.displayLayers[key] = layer;
      self.layersByName[DISPLAY[key]] = layer;
      self.layerOrder.push(DISPLAY[key]);
      if (self.display[key]) { layer.addTo(self.map); }
      self.control.addOverlay(layer, util.escapeHtml(DISPLAY[key]));
    });
  };

  /* A drawing overlay was switched; by the user unless the page is switching it. */
  Controller.prototype.displayChanged = function (key, on) {
    this.display[key] = on;
    if (!this._autoSwitching && !this._building) { this.autoDensity = false; }
    if (this.canvas && !this._autoSwitching) { this.canvas.drawNow(); }
  };

  /* Until the user picks, many events in view are drawn as hexagons instead of squares,
   * and few as points again; while a highlight is on they stay squares, which show it
   * (as the stills' squares do). Called by the canvas before each drawing. */
  Controller.prototype.autoDisplay = function (inView) {
    if (!this.autoDensity) { return; }
    var dense = inView > GeoPage.DENSE && !(this.highlight && this.highlightOn);
    var map = this.map, layers = this.displayLayers;
    this._autoSwitching = true;
    try {
      if (dense && !this.display.hexbin && !this.display.heat) { map.addLayer(layers.hexbin); }
      if (dense && this.display.points) { map.removeLayer(layers.points); }
      if (!dense && this.display.hexbin && !this.display.points) {
        map.removeLayer(layers.hexbin);
        map.addLayer(layers.points);
      }
    } finally { this._autoSwitching = false; }
  };

  /* Layer control labels: a colour swatch, the type and its events in the date range.
   * Leaflet inserts labels as HTML, so the name is escaped and the colour checked. */
  Controller.prototype._typeLabel = function (k) {
    var t = this.types[k], n = this.stats ? this.stats.types[k].inRange : t.count;
    var colour = /^#[0-9a-fA-F]{6}$/.test(t.color) ? t.color : "#777777";
    return '<span class="geo-swatch" style="background:' + colour + '" aria-hidden="true"></span>' +
      util.escapeHtml(t.name + " (" + n + ")");
  };

  Controller.prototype._labelTypeLayers = function () {
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

  Controller.prototype._registerContext = function () {
    var self = this;
    this.baseNames = Object.create(null);
    (this.config.contextLayers || []).concat(this.config.baseLayers || []).forEach(function (entry) {
      self.layersByName[entry.name] = entry.layer;
      self.layerOrder.push(entry.name);
    });
    (this.config.baseLayers || []).forEach(function (entry) { self.baseNames[entry.name] = true; });
    this._untab();
    this.map.on("layeradd", function () { window.setTimeout(function () { self._untab(); }, 0); });
  };

  /* Shapes, crossings and town labels are no tab stops (Leaflet makes every shape with a
   * tooltip one): the keyboard route to the events is the event list. Nor are they buttons
   * then: Leaflet's role="button" on a marker would be a command without a name that no key
   * reaches (axe-core: aria-command-name). */
  Controller.prototype._untab = function () {
    var nodes = this.map.getContainer().querySelectorAll(
      ".leaflet-map-pane .leaflet-marker-icon, .leaflet-map-pane path.leaflet-interactive");
    for (var k = 0; k < nodes.length; k++) {
      nodes[k].setAttribute("tabindex", "-1");
      if (nodes[k].getAttribute("role") === "button") { nodes[k].removeAttribute("role"); }
    }
  };

  Controller.prototype._bindPointer = function () {
    var self = this, map = this.map, ev = this.events, container = map.getContainer();
    var tooltip = L.tooltip({direction: "top", offset: [0, -6], className: "geo-tooltip"});
    var hovered = "";
    popups.keepView(map);
    map.on("mousemove", function (e) {
      var hits = self.canvas.hitAll(e.containerPoint), key = hits.join(",");
      if (key === hovered) { return; }
      hovered = key;
      container.style.cursor = hits.length ? "pointer" : "";
      // one tooltip at a time: province and belt tooltips step aside over an event
      L.DomUtil[hits.length ? "addClass" : "removeClass"](container, "geo-on-event");
      if (!hits.length) { map.closeTooltip(tooltip); return; }
      var i = hits[0];
      tooltip.setLatLng([ev.lat[i], ev.lon[i]]).setContent(hits.length === 1
        ? popups.tooltipContent(ev.record(i))
        : util.el("span", null, hits.length + " events here \u00b7 click to list them"));
      map.openTooltip(tooltip);
    });
    map.on("mouseout", function () {
      hovered = "";
      L.DomUtil.removeClass(container, "geo-on-event");
      map.closeTooltip(tooltip);
    });
    map.on("click", function (e) {
      var hits = self.canvas.hitAll(e.containerPoint);
      if (hits.length === 1) { self.popup(hits[0]); } else if (hits.length > 1) { self.popupStack(hits); }
    });
  };

  /* Escape closes any popup, wherever the focus is, and gives the focus back. */
  Controller.prototype._bindKeys = function () {
    var self = this;
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Escape" || !self.map._popup || !self.map.hasLayer(self.map._popup)) { return; }
      self.map.closePopup();
      if (self.opener && document.contains(self.opener)) { self.opener.focus(); }
      self.opener = null;
    });
  };

  /* Popup size and auto-pan padding: layout.js replaces this with the room the panels leave. */
  Controller.prototype.popupOptions = function () {
    return {maxWidth: 360, minWidth: 240, autoPanPaddingBottomRight: [20, 160]};
  };

  /* A popup fitted to the room above its event (popup.js, open); a pan it needs is undone
   * when it closes (popups.keepView, bound in _bindPointer). */
  Controller.prototype._open = function (latlng, content) {
    var active = document.activeElement;
    this.opener = active && active !== document.body ? active : null;
    popups.open(this.map, latlng, content, this.popupOptions());
  };

  Controller.prototype.popup = function (i) {
    var ev = this.events;
    this._open([ev.lat[i], ev.lon[i]], popups.popupContent(ev.record(i)));
  };

  /* One popup for several events on one spot: newest first, each opens to its card. */
  Controller.prototype.popupStack = function (list) {
    var ev = this.events, sorted = list.slice().sort(function (a, b) { return ev.start[b] - ev.start[a] || a - b; });
    var content = popups.stackContent(sorted.slice(0, STACK_LIMIT).map(function (i) { return ev.record(i); }));
    if (sorted.length > STACK_LIMIT) {
      content.appendChild(util.el("p", "geo-stack-more", (sorted.length - STACK_LIMIT) +
        " more not listed: zoom in, or narrow the dates or filters."));
    }
    // one card open at a time, the list scrolls inside the room the panels leave (popups.open
    // fits this height to the room above the spot)
    var self = this, opts = this.popupOptions();
    content.style.maxHeight = (opts.maxHeight || 320) + "px";
    content.addEventListener("toggle", function (e) {
      if (!e.target.open) { return; }
      var open = content.querySelectorAll("details[open]");
      for (var k = 0; k < open.length; k++) { if (open[k] !== e.target) { open[k].open = false; } }
      if (self.map._popup) { self.map._popup.update(); }
    }, true);
    this._open([ev.lat[sorted[0]], ev.lon[sorted[0]]], content);
  };

  /* Show one base layer and hide the others, as the layer control's radio buttons do. */
  Controller.prototype.setBase = function (name) {
    var self = this;
    Object.keys(this.baseNames).forEach(function (other) {
      var layer = self.layersByName[other];
      if (other !== name && self.map.hasLayer(layer)) { self.map.removeLayer(layer); }
    });
    if (!this.map.hasLayer(this.layersByName[name])) { this.map.addLayer(this.layersByName[name]); }
  };

  Controller.prototype.setRange = function (a, b) {
    this.range = [Math.min(a, b), Math.max(a, b)];
    this.applyFilter();
  };

  /* Known values only: names that the data has, a whole number of fatalities, short text. */
  Controller.prototype.cleanFilter = function (f) {
    var ev = this.events, out = H.emptyFilter(), known = this.filterValues();
    f = f || {};
    function pick(list, allowed) {
      if (!Array.isArray(list)) { return []; }
      var set = new Set(allowed), seen = new Set();
      return list.map(String).filter(function (v) { var ok = set.has(v) && !seen.has(v); seen.add(v); return ok; });
    }
    out.actors = pick(f.actors, known.actors);
    out.subEventTypes = pick(f.subEventTypes, known.subEventTypes);
    out.provinces = pick(f.provinces, known.provinces);
    var min = Number(f.minFatalities);
    out.minFatalities = Number.isFinite(min) && min > 0 ? Math.min(1e7, Math.floor(min)) : 0;
    out.text = typeof f.text === "string" ? f.text.slice(0, 200) : "";
    void ev;
    return out;
  };

  /* What the filters can choose from, from the data. */
  Controller.prototype.filterValues = function () {
    if (!this._values) {
      var ev = this.events, actors = new Set(ev.values("actor1").concat(ev.values("actor2")));
      this._values = {
        actors: Array.from(actors).sort(function (a, b) { return a.localeCompare(b); }),
        subEventTypes: ev.values("sub_event_type"),
        provinces: ev.values("province")
      };
    }
    return this._values;
  };

  /* Change some filters (the others stay); every count and layer follows. */
  Controller.prototype.setFilter = function (partial) {
    var merged = {}, cur = this.filter;
    Object.keys(cur).forEach(function (k) { merged[k] = cur[k]; });
    Object.keys(partial || {}).forEach(function (k) {
      if (Object.hasOwn(cur, k)) { merged[k] = partial[k]; }
    });
    this.filter = this.cleanFilter(merged);
    var ev = this.events, g = ev.get;
    var figure = this.figure;
    var test = H.filterTest(this.filter, {actor1: g.actor1, actor2: g.actor2, sub_event_type: g.sub_event_type,
      province: g.province, figure: function (i) { return Number.isNaN(figure[i]) ? null : figure[i]; },
      haystack: function (i) { return ev.haystack(i); }});
    var pass = this.attrPass;
    for (var i = 0; i < ev.n; i++) { pass[i] = !test || test(i) ? 1 : 0; }
    this.applyFilter();
    return this.filter;
  };

  Controller.prototype.filterActive = function () {
    var f = this.filter;
    return !!(f.actors.length || f.subEventTypes.length || f.provinces.length || f.minFatalities > 0 ||
      H.searchTerms(f.text).length);
  };

  Controller.prototype.applyFilter = function () {
    if (this._building) { return; }
    var ev = this.events, lo = this.range[0], hi = this.range[1];
    var start = ev.start, end = ev.end, t = this.typeCode, on = this.typeOn, vis = this.visible, pass = this.attrPass;
    var inRange = this.types.map(function () { return 0; }), shown = 0, matching = 0;
    for (var i = 0; i < ev.n; i++) {
      var r = start[i] <= hi && end[i] >= lo && pass[i] === 1;
      var v = r && on[t[i]] === 1;
      vis[i] = v ? 1 : 0;
      if (r) { inRange[t[i]]++; matching++; }
      if (v) { shown++; }
    }
    this.shown = shown;
    this.shownVersion = (this.shownVersion || 0) + 1;  // cm.visible was written
    this.stats = this.summarise(inRange, matching);
    if (this.canvas) { this.canvas.drawNow(); }
    // the one place that says "what is shown changed": the title, legend, layer control,
    // histogram, caption and list all listen here (cm.on("filter"), or the DOM event)
    this.emit("filter");
    var container = this.map.getContainer();
    if (typeof window.CustomEvent === "function") {
      container.dispatchEvent(new CustomEvent("geo:filter", {detail: this.stats}));
    }
  };

  /* Every number the page shows, for the current dates, filters and type toggles. */
  Controller.prototype.summarise = function (inRange, matching) {
    var self = this, hidden = [];
    var types = this.types.map(function (type, k) {
      var on = self.typeOn[k] === 1;
      if (!on) { hidden.push(type.name); }
      return {name: type.name, color: type.color, inRange: inRange[k], shown: on ? inRange[k] : 0,
        visible: on, total: type.count};
    });
    return {total: this.events.n, shown: this.shown, inRange: matching,
      range: [H.dayToIso(this.range[0]), H.dayToIso(this.range[1])], types: types, hiddenTypes: hidden,
      filter: JSON.parse(JSON.stringify(this.filter))};
  };

  /* The filters in words: "actor Taliban; at least 10 killed; text "drone"". */
  Controller.prototype.filterWords = function () {
    var f = this.filter, parts = [];
    if (f.actors.length) { parts.push("actor " + f.actors.join(" or ")); }
    if (f.subEventTypes.length) { parts.push(f.subEventTypes.join(" or ")); }
    if (f.provinces.length) { parts.push("in " + f.provinces.join(" or ")); }
    if (f.minFatalities > 0) { parts.push("at least " + f.minFatalities + " killed"); }
    if (H.searchTerms(f.text).length) { parts.push("matching \u201c" + f.text.trim() + "\u201d"); }
    return parts.join("; ");
  };

  /* One line that says what the view shows: count, dates, filters and the types switched off. */
  Controller.prototype.caption = function () {
    var s = this.stats, lo = this.range[0], hi = this.range[1];
    if (s.total === 0 && this.config.emptyNote) { return this.config.emptyNote; }
    var text = s.shown.toLocaleString("en-GB") + (s.shown === 1 ? " event" : " events") +
      (lo === hi ? " on " + H.formatDate(lo, "day")
        : ", " + H.formatDate(lo, "day") + " to " + H.formatDate(hi, "day"));
    // the filters the page was built with (text from the build: set as text), then the reader's
    var built = this.config.buildFilters || [];
    if (built.length) { text += " \u00b7 " + built.join(" \u00b7 "); }
    var words = this.filterWords();
    if (words) { text += " (" + words + ")"; }
    if (s.hiddenTypes.length) { text += " (not shown: " + s.hiddenTypes.join(", ") + ")"; }
    // the highlight's words come from the build (text from the user: set as text)
    if (this.highlight && this.highlightOn) {
      text += " \u00b7 in colour: " + this.config.highlight.description + " (" +
        this.highlightedShown().toLocaleString("en-GB") + " of " + s.shown.toLocaleString("en-GB") + ")";
    }
    return text;
  };

  /* Plugins have run: say what the page opened with. */
  Controller.prototype.ready = function () { this.emit("filter"); };

  /* ---------- page API ---------- */

  Controller.prototype.api = function () {
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
        self.setRange(H.isoToDay(a), H.isoToDay(b));
        return [H.dayToIso(self.range[0]), H.dayToIso(self.range[1])];
      },
      dateRange: function () { return [H.dayToIso(self.range[0]), H.dayToIso(self.range[1])]; },
      /* {actors, subEventTypes, minFatalities, provinces, text}; unknown values are dropped. */
      setFilter: function (partial) { return JSON.parse(JSON.stringify(self.setFilter(partial))); },
      filter: function () { return JSON.parse(JSON.stringify(self.filter)); },
      filterValues: function () { return JSON.parse(JSON.stringify(self.filterValues())); },
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
      /* How the events are drawn: {points, hexbin, heat, dense, auto, measure, legend}. */
      display: function () {
        var c = self.canvas;
        return {points: self.display.points, hexbin: self.display.hexbin, heat: self.display.heat,
          dense: !!(c && c.dense), auto: self.autoDensity, measure: self.densityMeasure,
          legend: c && c.legend ? JSON.parse(JSON.stringify(c.legend)) : null};
      },
      openPopup: function (id) {
        var i = ev.find(id);
        if (i < 0) { throw new Error("no event with id " + JSON.stringify(id)); }
        if (!self.visible[i]) { return false; }
        self.popup(i);
        return true;
      },
      /* Where an event is drawn, in container pixels, with its circle's radius as drawn at
       * this map size and zoom (null when hidden): for tests and embeds. */
      screenPosition: function (id) {
        var i = ev.find(id);
        if (i < 0 || !self.visible[i]) { return null; }
        var p = self.map.latLngToContainerPoint([ev.lat[i], ev.lon[i]]);
        return {x: p.x, y: p.y, radius: self.radius[i] * (self.symbolFactor || 1)};
      },
      /* The numbers on the page: {total, shown, inRange, range, types: [{name, inRange, shown, visible, total}], hiddenTypes, filter}. */
      counts: function () { return JSON.parse(JSON.stringify(self.stats)); },
      /* The highlight: {description, on, highlighted, shown}, or null for a page without one. */
      highlight: function () {
        if (!self.highlight) { return null; }
        return {description: self.config.highlight.description, on: self.highlightOn,
          highlighted: self.highlightedShown(), shown: self.shown};
      },
      /* Switch the highlight on or off; returns whether it is on. */
      setHighlight: function (on) { return self.setHighlight(on); },
      /* The one-line caption of the current view (also in the print caption). */
      caption: function () { return self.caption(); },
      map: self.map
    };
  };

  GeoPage.Controller = Controller;
  GeoPage.DISPLAY = DISPLAY;
})();
