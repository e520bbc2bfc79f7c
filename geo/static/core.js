/* geo page, load order 2 of 18 (see STATIC_JS in geo/render/page.py): the namespace's
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
 *   the highlight (geo/highlight.py): cm.highlight (read only: 1 where event i is in colour,
 *   null without one), cm.highlightOn (read only), cm.setHighlight(on),
 *   cm.highlightedShown() (how many of the events shown are highlighted);
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

  /* ---------- the events ----------
   * Small maps carry JSON columns: plain arrays or {dict: [...], codes: [...]}. Large maps
   * carry binary columns (geo/render/events.py, BinaryColumns), which unpack() has turned
   * into ArrayBuffers: numbers as typed arrays, text as UTF-8 decoded a block of rows at
   * a time when first read, dictionaries as codes into their values. Both give the same
   * records. */

  var TYPED = {Int8: Int8Array, Uint8: Uint8Array, Int16: Int16Array, Uint16: Uint16Array,
    Int32: Int32Array, Float64: Float64Array};

  function Events(data) {
    var cols = data.columns;
    this.n = data.n;
    this.cols = cols;
    this.get = {};
    this.index = null;
    this._hay = null;
    if (data.buffers) {
      this._binary(data);
      return;
    }
    this.start = Int32Array.from(cols.date_start);
    this.end = Int32Array.from(cols.date_end);
    this.lat = Float64Array.from(cols.lat);
    this.lon = Float64Array.from(cols.lon);
    for (var name in cols) {
      if (Object.hasOwn(cols, name)) { this.get[name] = accessor(cols[name]); }
    }
  }

  function accessor(col) {
    if (!Array.isArray(col)) {
      return function (i) { var c = col.codes[i]; return c < 0 ? null : col.dict[c]; };
    }
    return function (i) { return col[i]; };
  }

  Events.prototype._binary = function (data) {
    var buffers = data.buffers, cols = data.columns, n = this.n, self = this;
    function typed(type, k) { return new TYPED[type](buffers[k]); }
    function numbers(name) {  // a number column as doubles, whatever its encoding
      var col = cols[name], raw = typed(col.type, col.buffer);
      if (!col.scale) { return raw; }
      var out = new Float64Array(n);
      for (var i = 0; i < n; i++) { out[i] = raw[i] / col.scale; }
      return out;
    }
    function text(col) {
      var lengths = typed(col.type, col.lengths);
      return textAccessor(lengths, new Uint8Array(buffers[col.data]));
    }
    function values(col) {  // a dictionary's values, as an array or an accessor
      var v = col.values;
      if (Array.isArray(v)) { return v; }
      if (v.json !== undefined) { return JSON.parse(new TextDecoder().decode(buffers[v.json])); }
      return text(v);
    }
    this.start = typed(cols.date_start.type, cols.date_start.buffer);
    this.end = typed(cols.date_end.type, cols.date_end.buffer);
    this.lat = numbers("lat");
    this.lon = numbers("lon");
    this._values = {};
    Object.keys(cols).forEach(function (name) {
      var col = cols[name], get;
      if (col.kind === "text") {
        get = text(col);
      } else if (col.kind === "dict") {
        var codes = typed(col.type, col.codes), dict = values(col);
        self._values[name] = dict;
        get = Array.isArray(dict)
          ? function (i) { var c = codes[i]; return c < 0 ? null : dict[c]; }
          : function (i) { var c = codes[i]; return c < 0 ? null : dict(c); };
      } else if (name === "lat" || name === "lon") {
        var done = self[name];
        get = function (i) { return done[i]; };
      } else {
        get = numberAccessor(typed(col.type, col.buffer), col);
      }
      self.get[name] = get;
    });
  };

  function numberAccessor(raw, col) {
    var nul = col.null === undefined ? null : col.null, scale = col.scale || 1;
    return function (i) {
      var v = raw[i];
      return v === nul || Number.isNaN(v) ? null : (scale === 1 ? v : v / scale);
    };
  }

  /* Row i of UTF-8 text given the byte length of every row. Rows are decoded a block at a
   * time, when first read, into one string that rows are cut from; a block that is not
   * plain ASCII first has its rows' positions counted in UTF-16 units. */
  function textAccessor(lengths, bytes) {
    var n = lengths.length, offsets = new Int32Array(n + 1), blocks = [], BLOCK = Events.blockBits;
    for (var i = 0; i < n; i++) { offsets[i + 1] = offsets[i] + lengths[i]; }
    if (offsets[n] !== bytes.length) { throw new Error("corrupt text column"); }
    // keep a leading U+FEFF: it belongs to the first row, not a byte order mark
    var decoder = new TextDecoder("utf-8", {ignoreBOM: true});
    function block(b) {
      var lo = b << BLOCK, hi = Math.min(n, lo + (1 << BLOCK));
      var first = offsets[lo], text = decoder.decode(bytes.subarray(first, offsets[hi]));
      var at = null;
      if (text.length !== offsets[hi] - first) {
        at = new Int32Array(hi - lo + 1);
        for (var r = lo, u = 0; r < hi; r++) {
          at[r - lo] = u;
          for (var k = offsets[r], end = offsets[r + 1]; k < end; k++) {
            var c = bytes[k];
            if ((c & 0xC0) !== 0x80) { u += c >= 0xF0 ? 2 : 1; }  // lead byte: 4 bytes, 2 units
          }
        }
        at[hi - lo] = u;
      }
      return (blocks[b] = {lo: lo, first: first, text: text, at: at});
    }
    function read(i) {
      var b = blocks[i >> BLOCK] || block(i >> BLOCK);
      if (b.at) { return b.text.substring(b.at[i - b.lo], b.at[i - b.lo + 1]); }
      return b.text.substring(offsets[i] - b.first, offsets[i + 1] - b.first);
    }
    read.size = n;
    return read;
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
    var list = Array.isArray(col) ? col : col.dict;
    if (this._values) {  // binary columns: a dictionary (an array or text read by code), or every row
      var dict = this._values[name], read = dict || this.get[name], size = dict ? dict.size : this.n;
      list = dict;
      if (!Array.isArray(dict)) {
        list = [];
        for (var k = 0; k < size; k++) { list.push(read(k)); }
      }
    }
    var seen = new Set();
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

  /* Large maps carry binary columns: every buffer gzip-compressed in parts, each part
   * base64-encoded (geo/render/events.py, pack). unpack() inflates all parts at once and
   * joins the parts of each buffer again; it resolves to the data with `buffers` as
   * ArrayBuffers. (Inflating in workers measured slower on two busy cores, 1.5 s against
   * 1.2 s at 1M events: the page has nothing else to do meanwhile, and workers are sent
   * copies of the text.) */
  function base64Bytes(b64) {
    if (Uint8Array.fromBase64) { return Uint8Array.fromBase64(b64); }
    // a plain loop: Uint8Array.from with a mapping function is several times slower
    var text = atob(b64);
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) { bytes[i] = text.charCodeAt(i); }
    return bytes;
  }

  function inflatePart(b64) {
    var stream = new Blob([base64Bytes(b64)]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer();
  }

  function unpack(data) {
    var parts = [], owner = [];
    data.buffers.forEach(function (buffer, k) {
      buffer.parts.forEach(function (part) { parts.push(part); owner.push(k); });
    });
    return Promise.all(parts.map(inflatePart)).then(function (inflated) {
      var pieces = data.buffers.map(function () { return []; });
      inflated.forEach(function (piece, j) { pieces[owner[j]].push(piece); });
      var buffers = data.buffers.map(function (buffer, k) {
        var out = pieces[k].length === 1 ? pieces[k][0] : joined(pieces[k], buffer.size);
        if (out.byteLength !== buffer.size) { throw new Error("corrupt event data"); }
        return out;
      });
      return {n: data.n, columns: data.columns, buffers: buffers};
    });
  }

  function joined(parts, size) {
    var out = new Uint8Array(size), at = 0;
    parts.forEach(function (part) {
      if (at + part.byteLength > size) { throw new Error("corrupt event data"); }
      out.set(new Uint8Array(part), at);
      at += part.byteLength;
    });
    if (at !== size) { throw new Error("corrupt event data"); }
    return out.buffer;
  }

  GeoPage.init = function (config) {
    if (config.data.buffers) {
      // inside the promise chain, so that a missing DecompressionStream is caught below
      return Promise.resolve(config.data).then(unpack).then(function (data) {
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
  Events.blockBits = 16;  // text is decoded 2^16 rows at a time (tests lower it)
  GeoPage.util = {el: el, button: button, icon: icon, escapeHtml: escapeHtml, dayToIso: H.dayToIso,
    isoToDay: H.isoToDay, formatDate: H.formatDate};
})();
