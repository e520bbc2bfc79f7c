/* geo page, load order 15 of 16 (see STATIC_JS in geo/render/page.py): a layout that follows the map's own container (an iframe's viewport is
 * the frame), the room the panels leave, and an opening view that frames the events.
 *
 * - Size classes on the container, from a ResizeObserver: geo-compact below 720 x 500 px
 *   (layer control and legend collapse to buttons that open as overlays, the title box is one
 *   line, the time control one row), geo-tiny below 340 x 300 px.
 * - cm.insets(): how far the controls reach in from each edge. Popups pan inside that room
 *   (cm.popupOptions) and the opening view is fitted inside it (cm.frame), so no event of the
 *   opening view lies under a control.
 * - The opening view frames the box of geo/render/framing.py (the story, as the stills do):
 *   events beyond it (Doha, New Delhi) may lie off the map or under a panel; the time control
 *   then says how many are outside the view and offers to frame them all. */
(function () {
  "use strict";
  var COMPACT = {width: 720, height: 500}, TINY = {width: 340, height: 300}, GAP = 8;

  function rel(node, box) {
    var r = node.getBoundingClientRect();
    return {left: r.left - box.left, top: r.top - box.top, right: r.right - box.left,
      bottom: r.bottom - box.top, width: r.width, height: r.height};
  }

  /* Visible control boxes, in container pixels. */
  function controlRects(cm) {
    var container = cm.map.getContainer(), box = container.getBoundingClientRect();
    var nodes = container.querySelectorAll(".leaflet-control, .geo-time");
    var out = [];
    for (var i = 0; i < nodes.length; i++) {
      if (!nodes[i].offsetParent || nodes[i].offsetWidth === 0) { continue; }
      out.push(rel(nodes[i], box));
    }
    return out;
  }

  /* Each control is assigned to the edge where keeping clear of it costs the least area. */
  function insets(cm) {
    var size = cm.map.getSize(), W = size.x, H = size.y;
    var out = {top: 0, right: 0, bottom: 0, left: 0};
    controlRects(cm).forEach(function (r) {
      var cost = {top: r.bottom * W, bottom: (H - r.top) * W, left: r.right * H, right: (W - r.left) * H};
      var side = Object.keys(cost).sort(function (a, b) { return cost[a] - cost[b]; })[0];
      var reach = {top: r.bottom, bottom: H - r.top, left: r.right, right: W - r.left}[side];
      out[side] = Math.max(out[side], Math.ceil(reach));
    });
    return out;
  }

  function Layout(cm) {
    var self = this;
    this.cm = cm;
    this.container = cm.map.getContainer();
    this.mode = null;
    cm.insets = function () { return insets(cm); };
    cm.popupOptions = function () { return self.popupOptions(); };
    cm.frame = function (all) { return self.frame(all); };
    this.apply();
    this.frame(false);
    this.userMoved = false;
    cm.map.on("movestart", function () { if (!self.framing) { self.userMoved = true; } });
    cm.map.on("moveend zoomend", function () { self.outside(); });
    cm.on("filter", function () { self.outside(); });
    cm.map.on("click", function () { if (self.mode !== "wide") { self.collapse(); } });
    L.DomEvent.on(this.container, "keydown", function (e) {
      if (e.key === "Escape" && self.mode !== "wide") { self.collapse(); }
    });
    if (window.ResizeObserver) {
      new ResizeObserver(function () { self.resized(); }).observe(this.container);
    } else {
      window.addEventListener("resize", function () { self.resized(); });
    }
  }

  Layout.prototype.resized = function () {
    var before = this.mode;
    this.cm.map.invalidateSize({pan: false});
    this.apply();
    if (this.cm.timeControl) { this.cm.timeControl.makeRoom(); }
    if (!this.userMoved || before !== this.mode) { this.frame(this.showingAll); }
    this.outside();
  };

  /* Size class of the container and the open/closed state of the panels that go with it. */
  Layout.prototype.apply = function () {
    var cm = this.cm, c = this.container, w = c.clientWidth, h = c.clientHeight;
    var mode = w < TINY.width || h < TINY.height ? "tiny"
      : w < COMPACT.width || h < COMPACT.height ? "compact" : "wide";
    L.DomUtil[mode !== "wide" ? "addClass" : "removeClass"](c, "geo-compact");
    L.DomUtil[mode === "tiny" ? "addClass" : "removeClass"](c, "geo-tiny");
    L.DomUtil[w < 560 ? "addClass" : "removeClass"](c, "geo-narrow");
    c.style.setProperty("--geo-width", w + "px");  // percentages of a corner box resolve to nothing
    if (mode === this.mode) { return; }
    this.mode = mode;
    if (mode === "wide") {
      if (cm.control.expand) { cm.control.expand(); }
      // the layer list already gives each type its colour and count; the rest of the legend
      // opens by itself only where it leaves the map three quarters of the room
      if (cm.setLegendOpen) { cm.setLegendOpen(h >= 1000); }
      if (cm.map.zoomControl) { cm.map.zoomControl.setPosition("topleft"); }
    } else {
      this.collapse();
      // the title takes the top-left corner; zoom joins the buttons on the right
      if (cm.map.zoomControl) { cm.map.zoomControl.setPosition("topright"); }
    }
    if (cm.timeControl) { cm.timeControl.makeRoom(); }
  };

  Layout.prototype.collapse = function () {
    var cm = this.cm;
    if (cm.control.collapse) { cm.control.collapse(); }
    if (cm.setLegendOpen) { cm.setLegendOpen(false); }
  };

  /* Popups: no wider or taller than the room the panels leave, panned into that room. */
  Layout.prototype.popupOptions = function () {
    var size = this.cm.map.getSize(), ins = insets(this.cm);
    var roomW = size.x - ins.left - ins.right - 2 * GAP, roomH = size.y - ins.top - ins.bottom - 2 * GAP;
    var maxWidth = Math.max(160, Math.min(360, roomW - 40));
    return {
      maxWidth: maxWidth,
      minWidth: Math.min(240, maxWidth),
      maxHeight: Math.max(120, roomH - 60),  // the content scrolls; 60 px of tip and padding
      autoPanPaddingTopLeft: [ins.left + GAP, ins.top + GAP],
      autoPanPaddingBottomRight: [ins.right + GAP, ins.bottom + GAP],
      className: "geo-popup-wrap"
    };
  };

  /* The latitude/longitude box of the events shown (null when none is): min/max loops over
   * the columns, as extending an L.latLngBounds point by point would give. */
  function shownBounds(cm) {
    var ev = cm.events, lat = ev.lat, lon = ev.lon, vis = cm.visible, n = ev.n, i, y, x;
    var all = [Infinity, Infinity, -Infinity, -Infinity];
    for (i = 0; i < n; i++) {
      if (!vis[i]) { continue; }
      y = lat[i]; x = lon[i];
      if (y < all[0]) { all[0] = y; }
      if (x < all[1]) { all[1] = x; }
      if (y > all[2]) { all[2] = y; }
      if (x > all[3]) { all[3] = x; }
    }
    return all[0] <= all[2] ? L.latLngBounds([all[0], all[1]], [all[2], all[3]]) : null;
  }

  /* The opening view: the box every output frames (config.frame, from the one rule in
   * geo/render/framing.py: the central events, the provinces a build kept, or --extent),
   * inside the room the panels leave. `all` frames every event shown as well. */
  Layout.prototype.frame = function (all) {
    var cm = this.cm, map = cm.map, box = cm.config.frame;
    var shown = shownBounds(cm);
    var core = box ? L.latLngBounds(box) : shown;
    if (!core) { return; }
    var everything = L.latLngBounds(core.getSouthWest(), core.getNorthEast());
    if (shown) { everything.extend(shown); }
    var ins = insets(cm);
    var opts = {paddingTopLeft: [ins.left + GAP + 6, ins.top + GAP + 6],
      paddingBottomRight: [ins.right + GAP + 6, ins.bottom + GAP + 6], animate: false};
    map.options.zoomSnap = 0.25;
    var chosen = all ? everything : L.latLngBounds(core.getSouthWest(), core.getNorthEast());
    this.framing = true;
    // a story event that lands under a panel must land in the room too: refit with it (an
    // event beyond the story stays where it falls, counted by "outside the view")
    for (var round = 0; round < 4; round++) {
      map.fitBounds(chosen, opts);
      var grow = this.underControls(ins, all ? null : core);
      if (!grow) { break; }
      chosen.extend(grow);
    }
    if (round === 4) { map.fitBounds(everything, opts); }
    this.framing = false;
    this.showingAll = !!all;
    this.outside();
  };

  /* How many events are shown. */
  Layout.prototype.shownCount = function () {
    var vis = this.cm.visible, n = 0;
    for (var i = 0; i < vis.length; i++) { n += vis[i]; }
    return n;
  };

  /* The events shown and their container pixels as map.latLngToContainerPoint gives them:
   * {count, index, x, y}, typed arrays reused from call to call. From the controller's
   * projected columns (cm.pixels) where the map's CRS allows, and then kept until the view
   * or the events shown change; otherwise through Leaflet, every time. */
  Layout.prototype.shownPixels = function () {
    var cm = this.cm, ev = cm.events, vis = cm.visible, n = ev.n, px = cm.pixels ? cm.pixels() : null, i, k = 0;
    var out = this._pixels;
    if (!out || out.index.length !== n) {
      out = this._pixels = {count: 0, index: new Uint32Array(n), x: new Float64Array(n), y: new Float64Array(n), key: null};
    }
    var key = px ? [cm.shownVersion, px.scale, px.ox, px.oy, px.px, px.py].join(",") : null;
    if (key !== null && key === out.key) { return out; }
    out.key = key;
    var index = out.index, xs = out.x, ys = out.y;
    if (px) {
      var mx = cm.mercX, my = cm.mercY, scale = px.scale, ox = px.ox, oy = px.oy, dx = px.px, dy = px.py;
      for (i = 0; i < n; i++) {
        if (!vis[i]) { continue; }
        index[k] = i;
        xs[k] = (Math.round(scale * mx[i]) - ox) + dx;
        ys[k] = (Math.round(scale * my[i]) - oy) + dy;
        k++;
      }
    } else {
      for (i = 0; i < n; i++) {
        if (!vis[i]) { continue; }
        var p = cm.map.latLngToContainerPoint([ev.lat[i], ev.lon[i]]);
        index[k] = i;
        xs[k] = p.x;
        ys[k] = p.y;
        k++;
      }
    }
    out.count = k;
    return out;
  };

  /* The box of the shown events inside the container but under a panel (outside the
   * room); null when there is none. */
  Layout.prototype.underControls = function (ins, within) {
    var ev = this.cm.events, size = this.cm.map.getSize(), box = [Infinity, Infinity, -Infinity, -Infinity];
    var px = this.shownPixels(), xs = px.x, ys = px.y, right = size.x - ins.right, bottom = size.y - ins.bottom;
    for (var k = 0; k < px.count; k++) {
      var x = xs[k], y = ys[k];
      var inView = x >= 0 && y >= 0 && x <= size.x && y <= size.y;
      var inRoom = x >= ins.left && y >= ins.top && x <= right && y <= bottom;
      if (!inView || inRoom) { continue; }
      var i = px.index[k], la = ev.lat[i], lo = ev.lon[i];
      if (within && !within.contains([la, lo])) { continue; }
      if (la < box[0]) { box[0] = la; }
      if (lo < box[1]) { box[1] = lo; }
      if (la > box[2]) { box[2] = la; }
      if (lo > box[3]) { box[3] = lo; }
    }
    return box[0] <= box[2] ? L.latLngBounds([box[0], box[1]], [box[2], box[3]]) : null;
  };

  /* "N events outside the view" (off the map, or under a panel) with a button that frames
   * them all. */
  Layout.prototype.outside = function () {
    var cm = this.cm, tc = cm.timeControl, map = cm.map, self = this;
    if (!tc || !tc.extra) { return; }
    var size = map.getSize(), n = 0, px = this.shownPixels(), xs = px.x, ys = px.y;
    var rects = controlRects(cm), x, y, hidden = [];
    function covered(r) { return x >= r.left && x <= r.right && y >= r.top && y <= r.bottom; }
    for (var k = 0; k < px.count; k++) {
      x = xs[k]; y = ys[k];
      if (x < 0 || y < 0 || x > size.x || y > size.y || rects.some(covered)) { n++; hidden.push(px.index[k]); }
    }
    this.outsideCount = n;
    this.outsideIndex = hidden;
    var util = GeoPage.util, slot = tc.extra;
    if (n === 0) { slot.textContent = ""; slot.hidden = true; return; }
    var button = slot.querySelector("button");
    if (!button) {
      slot.textContent = "";
      button = util.el("button", "geo-show-all");
      button.type = "button";
      button.addEventListener("click", function () { self.frame(true); });
      slot.appendChild(button);
    }
    button.textContent = n + (n === 1 ? " event" : " events") + " outside the view: show all";
    slot.hidden = false;
  };

  GeoPage.plugin(function (cm) {
    cm.layout = new Layout(cm);
    window.conflictMap.insets = function () { return insets(cm); };
    window.conflictMap.outsideView = function () { return cm.layout.outsideCount || 0; };
    window.conflictMap.frameAll = function () { cm.layout.frame(true); };
  });
})();
