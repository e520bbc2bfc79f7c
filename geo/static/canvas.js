/* geo page, load order 4 of 18 (see STATIC_JS in geo/render/page.py): the one canvas the
 * events are drawn on. Needs helpers.js and core.js. Defines GeoPage.EventCanvas.
 *
 * Four ways to draw the events shown, each an overlay of the layer control:
 * - points: outlined circles sized by fatalities (config.sizes) times the factor of the
 *   map's size and zoom (config.symbols.frame, the rule of geo/render/style.py
 *   symbol_factor: the legend's size key takes the same factor); above DENSE events in view, small
 *   translucent squares (overlap darkens, so density reads);
 * - hexagons: counts (or fatalities) per hexagon on a viridis scale with a legend;
 * - heat: a blurred density surface on the same scale.
 * Everything is computed from the events shown, so every filter applies. Nothing is created
 * per event, which keeps a page of 100,000 events responsive.
 */
(function () {
  "use strict";

  var H = GeoPage.helpers;
  /* Above this many events in view, points are drawn as squares (and density turns on). */
  var DENSE = 15000;
  var HEX = 14, HEAT_CELL = 4, SQRT3 = Math.sqrt(3);

  var EventCanvas = L.Layer.extend({
    initialize: function (cm) { this.cm = cm; this.legend = null; },

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
      if (!this._map || this._frame || this._drawing) { return; }
      var self = this;
      this._frame = L.Util.requestAnimFrame(function () { self._frame = null; self._draw(); });
    },

    drawNow: function () {
      if (this._frame) { L.Util.cancelAnimFrame(this._frame); this._frame = null; }
      if (this._map && !this._drawing) { this._draw(); }
    },

    /* The factor of every circle's radius (geo/render/style.py symbol_factor): the map's
     * shorter side over the reference, clamped, times 2^(k * zoom levels beyond the
     * opening view), capped; the opening view is the zoom at which config.frame fits the
     * map (else the first zoom drawn). Rounded to 1/1000, as Python rounds it. */
    symbolFactor: function () {
      var map = this._map, rule = this.cm.config.symbols.frame, size = map.getSize();
      var short = Math.min(size.x, size.y);
      var sized = Math.min(rule.max, Math.max(rule.min, short / rule.reference));
      var box = this.cm.config.frame, key = size.x + "x" + size.y;
      if (this._baseKey !== key) {
        this._baseKey = key;
        // the exact zoom at which the frame fits (layout.js fits it unsnapped too)
        var snap = map.options.zoomSnap;
        map.options.zoomSnap = 0;
        this._baseZoom = box ? map.getBoundsZoom(L.latLngBounds(box), false) : (this._baseZoom === undefined ? map.getZoom() : this._baseZoom);
        map.options.zoomSnap = snap;
      }
      var steps = map.getZoom() - this._baseZoom;
      var zoom = Math.min(rule.zoomMax, Math.pow(2, rule.zoomExponent * Math.max(steps, 0)));
      var f = Math.round(sized * zoom * 1000) / 1000;
      return f > 0 && Number.isFinite(f) ? f : 1;
    },

    _draw: function () {
      var map = this._map, cm = this.cm, ev = cm.events, size = map.getSize();
      this.factor = cm.symbolFactor = this.symbolFactor();
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
      this.offX = offX; this.offY = offY; this.scale = scale;
      var order = cm.order, mx = cm.mercX, my = cm.mercY, vis = cm.visible;
      var sx = this.sx || (this.sx = new Float32Array(ev.n));
      var sy = this.sy || (this.sy = new Float32Array(ev.n));
      // the events drawn, in drawing order: a view of one buffer kept from draw to draw
      var buffer = this._drawnBuffer || (this._drawnBuffer = new Uint32Array(ev.n));
      var count = 0, k, i, x, y, right = size.x + 40, bottom = size.y + 40;
      // with the highlight on, two passes: the grey events first, under the highlighted
      var lit = cm.highlightOn ? cm.highlight : null, pass;
      for (pass = lit ? 0 : 1; pass < 2; pass++) {
        for (k = 0; k < order.length; k++) {
          i = order[k];
          if (!vis[i] || (lit && lit[i] !== pass)) { continue; }
          x = mx[i] * scale + offX; y = my[i] * scale + offY;
          if (x < -40 || y < -40 || x > right || y > bottom) { continue; }
          sx[i] = x; sy[i] = y;
          buffer[count++] = i;
        }
      }
      var drawn = this.drawn = buffer.subarray(0, count);
      this._drawing = true;
      try { cm.autoDisplay(drawn.length); } finally { this._drawing = false; }
      var show = cm.display;
      this.dense = show.points && drawn.length > DENSE;
      // the legend explains the squares while they are shown
      // on the page (the legend that explains the squares may lie beside the map)
      var host = map.getContainer().closest(".geo-page") || map.getContainer();
      (this.dense ? L.DomUtil.addClass : L.DomUtil.removeClass)(host, "geo-dense");
      this.legend = null;
      if (show.heat) { this._drawHeat(ctx, drawn, size); }
      if (show.hexbin) { this._drawHex(ctx, drawn); }
      if (show.points) {
        if (this.dense) { this._drawDense(ctx, drawn); } else { this._drawCircles(ctx, drawn, show.heat || show.hexbin); }
      }
      cm.emit("draw");
    },

    /* Many events in view: each is a small square written straight into the pixel buffer,
     * translucent, so that where they overlap the colour darkens with the number. */
    _drawDense: function (ctx, drawn) {
      var cm = this.cm, sx = this.sx, sy = this.sy, t = cm.drawCode, rgb = cm.typeRGB;
      var canvas = this._canvas, w = canvas.width, h = canvas.height;
      var ratio = window.devicePixelRatio || 1, cell = Math.max(2, Math.round(3 * ratio));
      var count = new Uint16Array(w * h), last = new Uint8Array(w * h);
      for (var k = 0; k < drawn.length; k++) {
        var i = drawn[k];
        var x0 = Math.round(sx[i] * ratio - cell / 2), y0 = Math.round(sy[i] * ratio - cell / 2);
        for (var y = Math.max(0, y0); y < Math.min(h, y0 + cell); y++) {
          var rowStart = y * w;
          for (var x = Math.max(0, x0); x < Math.min(w, x0 + cell); x++) {
            var p = rowStart + x;
            if (count[p] < 65535) { count[p]++; }
            last[p] = t[i];
          }
        }
      }
      // with the highlight on: grey squares fainter, highlighted ones at least `strong`
      var img = ctx.getImageData(0, 0, w, h), data = img.data, grey = cm.mutedCode;
      var muted = cm.config.symbols.muted, on = !!(cm.highlight && cm.highlightOn && muted);
      var faint = on ? muted.squareOpacity : 1, strong = on ? muted.highlightSquareOpacity : 0;
      for (var q = 0; q < count.length; q++) {
        if (!count[q]) { continue; }
        var c = rgb[last[q]], a = 1 - Math.pow(0.65, count[q]), o = q * 4;
        a = last[q] === grey ? a * faint : Math.max(a, strong);
        var keep = 1 - a;
        data[o] = Math.round(c[0] * a + data[o] * keep);
        data[o + 1] = Math.round(c[1] * a + data[o + 1] * keep);
        data[o + 2] = Math.round(c[2] * a + data[o + 2] * keep);
        data[o + 3] = Math.round(255 * a + data[o + 3] * keep);
      }
      ctx.putImageData(img, 0, 0);
    },

    /* The key of an event's circle: its style (type or grey, approximate place, approximate date)
     * and its radius as drawn (the size table's times the factor) to half a pixel. */
    _spriteKey: function (code, place, date, r) {
      return ((code * 2 + place) * 2 + date) * 1000 + Math.round(r * 2);
    },

    /* Circles of one style and radius, drawn once and stamped wherever they are needed: the
     * pixels of each, for compositing by hand, that is x, y within the sprite and the
     * premultiplied colour and alpha of each pixel not transparent, one word each in the
     * canvas's byte order (red first). Made at the first drawing of circles for every event
     * (and again should the device pixel ratio change), all on one scratch canvas read back
     * at once: a canvas and a read-back each cost more than the drawing, and later filter
     * steps find every sprite ready. One set per factor of the map's size and zoom, the
     * last few kept, so zooming back and forth makes none again. Drawn as the stills draw
     * circles (config.symbols, from geo/render/style.py): a translucent fill and a white
     * halo, then the outline in the type's colour. */
    _makeSprites: function () {
      var cm = this.cm, t = cm.typeCode, place = cm.approxPlace, date = cm.approxDate, r = cm.radius;
      var ratio = window.devicePixelRatio || 1, f = this.factor || 1, style = cm.config.symbols;
      // an event outside the highlight needs its grey circle too (the highlight can switch)
      var lit = cm.highlight, grey = cm.mutedCode, muted = style.muted;
      var id = ratio + "|" + f, sets = this._spriteSets || (this._spriteSets = new Map());
      if (this._sprites && this._spriteId === id) { return this._sprites; }
      var cache = sets.get(id);
      if (cache) { this._sprites = cache; this._spriteId = id; return cache; }
      cache = this._sprites = new Map();
      this._spriteId = id;
      sets.set(id, cache);
      if (sets.size > 6) { sets.delete(sets.keys().next().value); }
      var todo = [], i, key, sprite, pad = style.halo.weight / 2 + 1, codes = [0, grey], j, code;
      for (i = 0; i < t.length; i++) {
        codes[0] = t[i];
        for (j = 0; j < (lit && !lit[i] ? 2 : 1); j++) {
          code = codes[j];
          key = this._spriteKey(code, place[i], date[i], r[i] * f);
          if (cache.has(key)) { continue; }
          var rr = Math.round(r[i] * f * 2) / 2, css = Math.ceil((rr + pad) * 2), side = Math.ceil(css * ratio);
          sprite = {css: css, width: side, height: side, r: rr, code: code, place: place[i], date: date[i]};
          cache.set(key, sprite);
          todo.push(sprite);
        }
      }
      if (!todo.length) { return cache; }
      // shelves of sprites, each 2 px from the next, in rows at most 1024 px wide
      var x = 0, y = 0, rowH = 0, width = 0;
      todo.forEach(function (s) {
        if (x + s.width > 1024 && x > 0) { x = 0; y += rowH + 2; rowH = 0; }
        s.ax = x; s.ay = y;
        x += s.width + 2; rowH = Math.max(rowH, s.height); width = Math.max(width, x);
      });
      var scratch = document.createElement("canvas");
      scratch.width = width; scratch.height = y + rowH;
      var c = scratch.getContext("2d", {willReadFrequently: true}), colours = cm.typeColours;
      todo.forEach(function (s) {
        var colour = colours[s.code], isGrey = muted && s.code === cm.mutedCode;
        c.setTransform(ratio, 0, 0, ratio, s.ax, s.ay);
        c.beginPath();
        c.arc(s.css / 2, s.css / 2, s.r, 0, 2 * Math.PI);
        c.globalAlpha = s.place ? style.hollowFillOpacity : style.fillOpacity;
        if (isGrey) { c.globalAlpha = Math.min(c.globalAlpha, muted.fillOpacity); }
        c.fillStyle = colour;
        c.fill();
        c.globalAlpha = style.halo.opacity;
        c.strokeStyle = style.halo.color;
        c.lineWidth = style.halo.weight;
        c.setLineDash([]);
        c.stroke();
        c.globalAlpha = isGrey ? muted.strokeOpacity : style.strokeOpacity;
        c.strokeStyle = colour;
        c.lineWidth = style.weight;
        c.setLineDash(s.date ? style.dash : []);
        c.stroke();
      });
      var data = c.getImageData(0, 0, scratch.width, scratch.height).data, W = scratch.width;
      todo.forEach(function (s) {
        var xs = new Int16Array(s.width * s.height), ys = new Int16Array(xs.length);
        var words = new Uint32Array(xs.length), n = 0, px, py, o, a;
        for (py = 0; py < s.height; py++) {
          o = ((s.ay + py) * W + s.ax) * 4;
          for (px = 0; px < s.width; px++, o += 4) {
            a = data[o + 3];
            if (!a) { continue; }
            xs[n] = px; ys[n] = py;
            words[n++] = ((a << 24) | (Math.round(data[o + 2] * a / 255) << 16) |
              (Math.round(data[o + 1] * a / 255) << 8) | Math.round(data[o] * a / 255)) >>> 0;
          }
        }
        s.x = xs.subarray(0, n); s.y = ys.subarray(0, n); s.rgba = words.subarray(0, n);
        s.offs = null; s.rowWidth = 0;
      });
      return cache;
    },

    /* Each sprite lands on whole device pixels (at most half a pixel from the event's point)
     * and is composited by hand, "source-over" on premultiplied colours in 32-bit words
     * (little-endian, as every browser platform is), into one image put on the canvas at
     * once (over hexagons or heat, drawn on it as one image). A drawImage per circle cost
     * about 2 us of call overhead whatever the sprite's size: most of a filter step with
     * 10,000 circles. The result stays within rounding of the exact composite. */
    _drawCircles: function (ctx, drawn, beneath) {
      var cm = this.cm, sx = this.sx, sy = this.sy, r = cm.radius, t = cm.drawCode, f = this.factor || 1;
      var place = cm.approxPlace, date = cm.approxDate, ratio = window.devicePixelRatio || 1;
      var canvas = this._canvas, W = canvas.width, Hh = canvas.height;
      if (!W || !Hh) { return; }
      var img = this._circleImage;
      if (!img || img.width !== W || img.height !== Hh) { img = this._circleImage = new ImageData(W, Hh); }
      var buf = img.data, words = new Uint32Array(buf.buffer, buf.byteOffset, W * Hh);
      words.fill(0);
      var sprites = this._makeSprites();
      for (var k = 0; k < drawn.length; k++) {
        var i = drawn[k], px = sprites.get(this._spriteKey(t[i], place[i], date[i], r[i] * f)), half = px.css / 2;
        var rgba = px.rgba, n = px.x.length, j, p;
        var x0 = Math.round((sx[i] - half) * ratio), y0 = Math.round((sy[i] - half) * ratio);
        if (x0 >= 0 && y0 >= 0 && x0 + px.width <= W && y0 + px.height <= Hh) {
          if (px.rowWidth !== W) {  // offsets within a canvas row of this width
            px.offs = new Int32Array(n);
            for (j = 0; j < n; j++) { px.offs[j] = px.y[j] * W + px.x[j]; }
            px.rowWidth = W;
          }
          var offs = px.offs, base = y0 * W + x0;
          for (j = 0; j < n; j++) { p = base + offs[j]; words[p] = over(rgba[j], words[p]); }
          continue;
        }
        for (j = 0; j < n; j++) {  // partly off the canvas: pixel by pixel
          var x = x0 + px.x[j], y = y0 + px.y[j];
          if (x < 0 || y < 0 || x >= W || y >= Hh) { continue; }
          p = y * W + x; words[p] = over(rgba[j], words[p]);
        }
      }
      // ImageData holds colours not premultiplied
      for (var q = 0; q < words.length; q++) {
        if (!words[q]) { continue; }
        var b = q * 4, a = buf[b + 3];
        if (a === 255) { continue; }
        buf[b] = Math.round(buf[b] * 255 / a);
        buf[b + 1] = Math.round(buf[b + 1] * 255 / a);
        buf[b + 2] = Math.round(buf[b + 2] * 255 / a);
      }
      if (!beneath) { ctx.putImageData(img, 0, 0); return; }
      // over hexagons or heat: the circles go on as one image
      var layer = this._circleLayer || (this._circleLayer = document.createElement("canvas"));
      if (layer.width !== W || layer.height !== Hh) { layer.width = W; layer.height = Hh; }
      layer.getContext("2d").putImageData(img, 0, 0);
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.drawImage(layer, 0, 0);
      ctx.restore();
    },

    /* The value an event adds to its bin: 1, or its best fatality figure. */
    _weight: function () {
      var cm = this.cm;
      return cm.densityMeasure === "fatalities" ? function (i) { return cm.fatal[i]; } : function () { return 1; };
    },

    /* Hexagons in world pixels, so they stay put while the map pans. */
    _hexKey: function (i) {
      var cell = H.hexCell(this.sx[i] - this.offX, this.sy[i] - this.offY, HEX, this._cell || (this._cell = [0, 0]));
      return cell[0] * 100003 + cell[1];
    },

    /* The hexagons of the drawn events: axial q, r and summed weight v of each, in the
     * order their first event is drawn, and the largest sum. Summed in a table of the
     * hexagons that can hold a drawn event (the canvas and its 40 px margin); a map of
     * the cells met is the fallback, should an event fall outside that table. */
    _hexBins: function (drawn) {
      var sx = this.sx, sy = this.sy, offX = this.offX, offY = this.offY, size = this._map.getSize();
      var fatal = this.cm.densityMeasure === "fatalities" ? this.cm.fatal : null, cell = [0, 0], k, i;
      var x0 = -40 - offX, x1 = size.x + 40 - offX, y0 = -40 - offY, y1 = size.y + 40 - offY;
      var rLo = Math.floor(2 / 3 * y0 / HEX) - 2, rHi = Math.ceil(2 / 3 * y1 / HEX) + 2;
      var qLo = Math.floor((SQRT3 / 3 * x0 - y1 / 3) / HEX) - 2, qHi = Math.ceil((SQRT3 / 3 * x1 - y0 / 3) / HEX) + 2;
      var Q = qHi - qLo + 1, R = rHi - rLo + 1, inTable = Q > 0 && R > 0 && Q * R <= 1e6;
      var sums = new Float64Array(inTable ? Q * R : 0), seen = new Uint8Array(inTable ? Q * R : 0), order = [], max = 0;
      for (k = 0; k < drawn.length && inTable; k++) {
        i = drawn[k];
        H.hexCell(sx[i] - offX, sy[i] - offY, HEX, cell);
        var a = cell[0] - qLo, b = cell[1] - rLo, slot = b * Q + a;
        if (a < 0 || b < 0 || a >= Q || b >= R) { inTable = false; break; }
        if (!seen[slot]) { seen[slot] = 1; order.push(slot); }
        sums[slot] += fatal ? fatal[i] : 1;
        if (sums[slot] > max) { max = sums[slot]; }
      }
      var out = {q: [], r: [], v: [], max: 0};
      if (inTable) {
        order.forEach(function (slot) { out.q.push(slot % Q + qLo); out.r.push(Math.floor(slot / Q) + rLo); out.v.push(sums[slot]); });
        out.max = max;
        return out;
      }
      var bins = new Map();
      for (k = 0; k < drawn.length; k++) {
        i = drawn[k];
        H.hexCell(sx[i] - offX, sy[i] - offY, HEX, cell);
        var key = cell[0] * 100003 + cell[1], bin = bins.get(key);
        if (!bin) { bin = {q: cell[0], r: cell[1], v: 0}; bins.set(key, bin); }
        bin.v += fatal ? fatal[i] : 1;
        if (bin.v > out.max) { out.max = bin.v; }
      }
      bins.forEach(function (bin) { out.q.push(bin.q); out.r.push(bin.r); out.v.push(bin.v); });
      return out;
    },

    _drawHex: function (ctx, drawn) {
      var bins = this._hexBins(drawn), max = bins.max;
      var breaks = H.niceBreaks(max, 6), colours = breaks.map(function (_, j) {
        return "rgb(" + H.viridis(breaks.length === 1 ? 0.6 : j / (breaks.length - 1)).join(",") + ")";
      });
      var self = this;
      ctx.save();
      ctx.globalAlpha = 0.8;
      ctx.strokeStyle = "rgba(255,255,255,0.7)";
      ctx.lineWidth = 1;
      bins.v.forEach(function (v, j) {
        var c = H.classOf(v, breaks);
        if (c < 0) { return; }
        var ctr = H.hexCenter(bins.q[j], bins.r[j], HEX);
        var cx = ctr[0] + self.offX, cy = ctr[1] + self.offY;
        ctx.beginPath();
        for (var a = 0; a < 6; a++) {
          var ang = Math.PI / 180 * (60 * a - 30);
          ctx.lineTo(cx + (HEX - 0.5) * Math.cos(ang), cy + (HEX - 0.5) * Math.sin(ang));
        }
        ctx.closePath();
        ctx.fillStyle = colours[c];
        ctx.fill();
        ctx.stroke();
      });
      ctx.restore();
      this.legend = {kind: "hexbin", measure: this.cm.densityMeasure, breaks: breaks, colours: colours,
        max: max, bins: bins.v.length};
    },

    /* Counts on a grid of 4 px cells, blurred twice, coloured on the viridis ramp. */
    _drawHeat: function (ctx, drawn, size) {
      var gw = Math.ceil(size.x / HEAT_CELL) + 1, gh = Math.ceil(size.y / HEAT_CELL) + 1;
      var grid = new Float32Array(gw * gh), weight = this._weight(), k;
      for (k = 0; k < drawn.length; k++) {
        var i = drawn[k], gx = Math.floor(this.sx[i] / HEAT_CELL), gy = Math.floor(this.sy[i] / HEAT_CELL);
        if (gx >= 0 && gy >= 0 && gx < gw && gy < gh) { grid[gy * gw + gx] += weight(i); }
      }
      grid = blur(blur(grid, gw, gh, 3), gw, gh, 3);
      var max = 0;
      for (k = 0; k < grid.length; k++) { if (grid[k] > max) { max = grid[k]; } }
      if (max <= 0) { this.legend = {kind: "heat", measure: this.cm.densityMeasure, max: 0}; return; }
      var off = document.createElement("canvas");
      off.width = gw; off.height = gh;
      var octx = off.getContext("2d"), img = octx.createImageData(gw, gh), data = img.data;
      for (k = 0; k < grid.length; k++) {
        var v = grid[k] / max;
        if (v < 0.02) { continue; }
        var c = H.viridis(Math.sqrt(v));
        data[k * 4] = c[0]; data[k * 4 + 1] = c[1]; data[k * 4 + 2] = c[2];
        data[k * 4 + 3] = Math.round(255 * Math.min(0.85, 0.25 + v));
      }
      octx.putImageData(img, 0, 0);
      ctx.save();
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(off, 0, 0, gw * HEAT_CELL, gh * HEAT_CELL);
      ctx.restore();
      if (!this.legend) { this.legend = {kind: "heat", measure: this.cm.densityMeasure, max: max}; }
    },

    /* Every drawn event under a container point, topmost first: those whose symbol covers
     * it, or with hexagons alone those of the hexagon there. */
    hitAll: function (point) {
      var drawn = this.drawn || [], sx = this.sx, sy = this.sy, r = this.cm.radius, out = [], k, i;
      var f = this.factor || 1;
      var show = this.cm.display;
      if (!show.points && show.hexbin) {
        var cell = H.hexCell(point.x - this.offX, point.y - this.offY, HEX), key = cell[0] * 100003 + cell[1];
        for (k = drawn.length - 1; k >= 0; k--) { if (this._hexKey(drawn[k]) === key) { out.push(drawn[k]); } }
        return out;
      }
      for (k = drawn.length - 1; k >= 0; k--) {
        i = drawn[k];
        var dx = sx[i] - point.x, dy = sy[i] - point.y;
        var rr = (!show.points ? 8 : this.dense ? 3 : r[i] * f) + 3;
        if (dx * dx + dy * dy <= rr * rr) { out.push(i); }
      }
      return out;
    }
  });

  /* Premultiplied source s over destination d, each four bytes in one word: d's channels
   * scaled by 1 - alpha(s), two at a time (x / 255 rounded as (x + 128 + (x + 128) / 256) / 256). */
  function over(s, d) {
    var ia = 255 - (s >>> 24);
    var rb = (d & 0xff00ff) * ia + 0x800080, ga = ((d >>> 8) & 0xff00ff) * ia + 0x800080;
    rb = ((rb + ((rb >>> 8) & 0xff00ff)) >>> 8) & 0xff00ff;
    ga = ((ga + ((ga >>> 8) & 0xff00ff)) >>> 8) & 0xff00ff;
    return (s + (rb | (ga << 8))) >>> 0;
  }

  /* A box blur of radius r along both axes. */
  function blur(src, w, h, r) {
    var tmp = new Float32Array(src.length), out = new Float32Array(src.length), x, y, acc;
    for (y = 0; y < h; y++) {
      acc = 0;
      for (x = -r; x < w; x++) {
        if (x + r < w) { acc += src[y * w + x + r]; }
        if (x - r - 1 >= 0) { acc -= src[y * w + x - r - 1]; }
        if (x >= 0) { tmp[y * w + x] = acc; }
      }
    }
    for (x = 0; x < w; x++) {
      acc = 0;
      for (y = -r; y < h; y++) {
        if (y + r < h) { acc += tmp[(y + r) * w + x]; }
        if (y - r - 1 >= 0) { acc -= tmp[(y - r - 1) * w + x]; }
        if (y >= 0) { out[y * w + x] = acc; }
      }
    }
    return out;
  }

  GeoPage.EventCanvas = EventCanvas;
  GeoPage.DENSE = DENSE;
})();
