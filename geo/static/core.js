/* geo page, load order 2 of 16 (see STATIC_JS in geo/render/events.py): the namespace's
 * shared pieces and the plugin registry. Needs helpers.js (GeoPage.helpers).
 *
 * Names: GeoPage is the namespace of the page's scripts; the Controller (controller.js) is
 * the one object that holds the events, the filter and the layers; window.conflictMap is
 * the page API (README, "Page API"); ConflictMap is the Python folium.Map subclass.
 *
 * The plugin surface. A plugin is `GeoPage.plugin(function (cm) {...})`, called once, in
 * load order, with the controller `cm`, after the events are filtered for the first time.
 * It may use, and only use:
 *   cm.map, cm.config (PageConfig: geo/render/page.py), cm.events (read only: n, start, end,
 *   lat, lon, get.<column>(i), record(i), find(id)), cm.visible (read only: 1 where event i
 *   is shown), cm.range and cm.filter (read only), cm.stats (counts()), cm.caption();
 *   cm.setRange(lo, hi), cm.setFilter(partial), cm.layer(name), cm.layerNames(),
 *   cm.isBase(name), cm.setBase(name), cm.popup(i), cm.popupStack(list), cm.popupOptions();
 *   cm.on("filter", fn): after every change of what is shown (also the DOM event
 *   "geo:filter" on the map container, detail = counts()); cm.on("draw", fn): after the
 *   events are drawn.
 * A plugin publishes what others may use as one object on cm under its own name
 * (cm.timeControl, cm.layout, cm.titleControl, cm.legendControl...), and adds its page API
 * functions to window.conflictMap.
 *
 * Everything shown from the data goes through textContent or element attributes, never
 * innerHTML, so text in an input file cannot run as script in the page.
 */
(function () {
  "use strict";

  var H = GeoPage.helpers;

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

  function button(text, cls, label) {
    var b = el("button", cls, text);
    b.type = "button";
    if (label) { b.setAttribute("aria-label", label); b.title = label; }
    return b;
  }

  /* A 24 x 24 stroked icon (aria-hidden): `d` is an SVG path. */
  function icon(d, cls) {
    var SVG = "http://www.w3.org/2000/svg", svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("class", "geo-icon " + (cls || ""));
    var path = document.createElementNS(SVG, "path");
    path.setAttribute("d", d);
    svg.appendChild(path);
    return svg;
  }

  /* ---------- the events: columns are plain arrays or {dict: [...], codes: [...]} ---------- */

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
      if (Object.hasOwn(cols, name)) { this.get[name] = accessor(cols[name]); }
    }
    this.index = null;
    this._hay = null;
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

  /* The distinct values of a text column, sorted (from the dictionary when it has one). */
  Events.prototype.values = function (name) {
    var col = this.cols[name];
    if (!col) { return []; }
    var list = Array.isArray(col) ? col : col.dict, seen = new Set();
    list.forEach(function (v) { if (v !== null && v !== undefined && v !== "") { seen.add(String(v)); } });
    return Array.from(seen).sort(function (a, b) { return a.localeCompare(b); });
  };

  /* What the free-text search reads: summary, location, actors, sources (lower case). */
  Events.prototype.haystack = function (i) {
    if (!this._hay) { this._hay = new Array(this.n); }
    var text = this._hay[i];
    if (text === undefined) {
      var g = this.get, parts = [];
      ["summary", "location", "actor1", "actor2", "assoc_actor1", "assoc_actor2"].forEach(function (name) {
        var v = g[name] ? g[name](i) : null;
        if (v) { parts.push(v); }
      });
      (g.sources ? g.sources(i) || [] : []).forEach(function (s) { parts.push(s[0] || "", s[1] || ""); });
      text = this._hay[i] = parts.join("\n").toLowerCase();
    }
    return text;
  };

  /* ---------- start-up ---------- */

  var plugins = [];

  function start(config) {
    var cm = new GeoPage.Controller(config);
    window.conflictMap = cm.api();
    plugins.forEach(function (f) { f(cm); });
    cm.ready();
    document.documentElement.setAttribute("data-conflict-map", "ready");
    if (window.performance && performance.mark) { performance.mark("conflict-map-ready"); }
    return cm;
  }

  /* Large data arrive gzip-compressed and base64-encoded; the browser inflates them. */
  function inflate(b64) {
    // a plain loop: Uint8Array.from with a mapping function is several times slower
    var text = atob(b64);
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) { bytes[i] = text.charCodeAt(i); }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(JSON.parse);
  }

  GeoPage.init = function (config) {
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
  };
  GeoPage.plugin = function (f) { plugins.push(f); };
  GeoPage.Events = Events;
  GeoPage.util = {el: el, button: button, icon: icon, escapeHtml: escapeHtml, dayToIso: H.dayToIso,
    isoToDay: H.isoToDay, formatDate: H.formatDate};
})();
