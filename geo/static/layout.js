/* geo page, load order 17 of 18 (see STATIC_JS in geo/render/page.py): the page's layout, from the size of
 * the page itself (an iframe's viewport is the frame), and an opening view that frames the story.
 *
 * - The map sits in a grid with the panels around it, never under them, as a news graphic is laid out:
 *   the title and the live caption above the map, the time control and the source line under it.
 *   geo-mode-wide (at least 960 x 560 px): the analyst panels (layers, legend, tools) in a column
 *   beside the map. Smaller frames get the reader layout: the legend and the time control beside
 *   the map (geo-mode-side, a landscape frame) or under it (geo-mode-stack, a phone), and the
 *   technical switches behind one "Layers" button on the map. A stacked map is no taller than
 *   the story's frame needs, so the story fills it. Below 360 px of height everything goes back
 *   onto the map as buttons and overlays (geo-mode-overlay). geo-compact marks every frame
 *   below wide (44 px touch targets), geo-narrow one below 560 px, geo-tiny one below 340 x 300.
 * - The locator inset (inset.js) sits in a corner of a wide map, under the legend beside a
 *   reader's landscape map, and is left out on a phone and below 360 px of height.
 * - cm.insets(): how far the controls left on the map reach in from each edge. Popups pan inside
 *   that room (cm.popupOptions) and the opening view is fitted inside it (cm.frame).
 * - The opening view frames the box of geo/render/framing.py (the story, as the stills do):
 *   events beyond it (Doha, New Delhi) may lie off the map; the time control then says how many
 *   are outside the view and offers to frame them all. */
(function () {
  "use strict";
  var WIDE = {width: 960, height: 560}, TINY = {width: 340, height: 300}, OVERLAY_HEIGHT = 360, GAP = 8;
  // a stacked map's height: the frame's, this much more, and never less than the minimum
  var FRAMED = window.parent !== window;
  var STACK_SLACK = 1.05, MIN_MAP_HEIGHT = 200, FOOT_PEEK = 140, MAX_REPORTED = 4000;

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

  /* The page's regions around the map: head (title), side (a column beside the map), foot
   * (under the map). The map's container moves into a cell of its own. */
  function regions(container) {
    var util = GeoPage.util, page = util.el("div", "geo-page");
    var r = {page: page, head: util.el("div", "geo-head"), cell: util.el("div", "geo-map-cell"),
      side: util.el("div", "geo-side"), foot: util.el("div", "geo-foot"), spare: util.el("div", "geo-spare")};
    r.side.setAttribute("role", "complementary");
    r.side.setAttribute("aria-label", "Map key and controls");
    container.parentNode.insertBefore(page, container);
    // what the map shows, in words (--alt), for screen readers: text, never markup
    if (GeoPage.alt) {
      var alt = r.head.appendChild(util.el("p", "geo-alt", GeoPage.alt));
      alt.id = "geo-alt";
      container.setAttribute("aria-describedby", alt.id);
    }
    r.cell.appendChild(container);
    [r.head, r.cell, r.side, r.foot, r.spare].forEach(function (n) { page.appendChild(n); });
    return r;
  }

  /* Where each panel goes in each mode ("map" is its own corner of the map). */
  var PLACES = {
    wide: {title: "head", layers: "side", legend: "side", tools: "side", time: "foot", source: "foot", inset: "map"},
    side: {title: "head", layers: "map", legend: "side", tools: "side", time: "foot", source: "foot", inset: "side"},
    stack: {title: "head", layers: "map", legend: "foot", tools: "foot", time: "foot", source: "foot", inset: "none"},
    overlay: {title: "map", layers: "map", legend: "map", tools: "map", time: "map", source: "map", inset: "none"}
  };
  // "none": left out in that mode (the locator inset on a phone: its map is the story's)
  var ORDER = ["title", "legend", "inset", "time", "layers", "tools", "source"];

  function Layout(cm) {
    var self = this;
    this.cm = cm;
    this.container = cm.map.getContainer();
    GeoPage.alt = cm.config.alt || "";
    this.regions = regions(this.container);
    this.panels = this.findPanels();
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
    cm.map.on("click", function () { self.collapse(); });
    L.DomEvent.on(this.regions.page, "keydown", function (e) {
      if (e.key === "Escape") { self.collapse(); }
    });
    if (window.ResizeObserver) {
      new ResizeObserver(function () { self.resized(); }).observe(this.regions.page);
      // a panel that grows or shrinks by itself (a caption that wraps, the "outside the
      // view" button) changes the height the layout needs
      var panels = new ResizeObserver(function () { self.reportHeight(); });
      panels.observe(this.regions.head);
      panels.observe(this.regions.foot);
    } else {
      window.addEventListener("resize", function () { self.resized(); });
    }
  }

  /* The panels and the map corner each came from. */
  Layout.prototype.findPanels = function () {
    var cm = this.cm, out = {};
    var nodes = {
      title: cm.titleControl && cm.titleControl.getContainer(),
      layers: cm.control && cm.control.getContainer && cm.control.getContainer(),
      legend: cm.legendControl && cm.legendControl.getContainer(),
      tools: cm.tools && cm.tools.control && cm.tools.control.getContainer(),
      time: cm.timeControl && cm.timeControl.root,
      inset: cm.locator && cm.locator.node,
      source: cm.map.attributionControl && cm.map.attributionControl.getContainer()
    };
    Object.keys(nodes).forEach(function (k) {
      var n = nodes[k];
      if (n && n.parentNode) { out[k] = {node: n, home: n.parentNode, next: n.nextSibling}; }
    });
    return out;
  };

  /* Move each panel to its place for the mode: a region, or back to its corner of the map. */
  Layout.prototype.place = function (mode) {
    var r = this.regions, panels = this.panels, places = PLACES[mode];
    ORDER.forEach(function (k) {
      var p = panels[k];
      if (!p) { return; }
      var where = places[k];
      if (where === "none") {
        if (p.node.parentNode) { p.node.parentNode.removeChild(p.node); }
      } else if (where === "map") {
        if (p.node.parentNode !== p.home) {
          // back to its corner, in its first order (the corner's other controls stayed)
          p.home.insertBefore(p.node, p.next && p.next.parentNode === p.home ? p.next : null);
        }
      } else {
        r[where].appendChild(p.node);
      }
    });
  };

  Layout.prototype.resized = function () {
    var before = this.mode;
    this.apply();
    this.cm.map.invalidateSize({pan: false});
    if (this.cm.timeControl) { this.cm.timeControl.makeRoom(); }
    if (!this.userMoved || before !== this.mode) { this.frame(this.showingAll); }
    this.outside();
  };

  /* The mode for the page's size (see the head of this file). In a frame (an embed) the
   * width alone decides: the frame's height follows the layout (reportHeight), so a mode
   * chosen by height would choose the height that chooses it. */
  function modeFor(w, h) {
    if (FRAMED && h >= TINY.height) { return w >= WIDE.width ? "wide" : w >= 560 ? "side" : "stack"; }
    if (w >= WIDE.width && h >= WIDE.height) { return "wide"; }
    if (h < OVERLAY_HEIGHT) { return "overlay"; }
    return w >= 560 && w / h >= 1.2 ? "side" : "stack";
  }

  /* Size class of the page, the panels' places and the open/closed state that goes with them. */
  Layout.prototype.apply = function () {
    var cm = this.cm, r = this.regions, page = r.page, w = page.clientWidth, h = page.clientHeight;
    var mode = modeFor(w, h);
    var c = page;
    L.DomUtil[mode !== "wide" ? "addClass" : "removeClass"](c, "geo-compact");
    L.DomUtil[mode !== "wide" && mode !== "overlay" ? "addClass" : "removeClass"](c, "geo-reader");
    L.DomUtil[w < TINY.width || h < TINY.height ? "addClass" : "removeClass"](c, "geo-tiny");
    L.DomUtil[w < 560 ? "addClass" : "removeClass"](c, "geo-narrow");
    c.style.setProperty("--geo-width", w + "px");  // percentages of a corner box resolve to nothing
    if (mode !== this.mode) {
      ["wide", "side", "stack", "overlay"].forEach(function (m) { L.DomUtil.removeClass(c, "geo-mode-" + m); });
      L.DomUtil.addClass(c, "geo-mode-" + mode);
      this.mode = mode;
      this.place(mode);
      if (cm.control.expand && cm.control.collapse) { cm.control[mode === "wide" ? "expand" : "collapse"](); }
      // a reader's map keeps one edge for its buttons: zoom joins Layers on the right
      if (cm.map.zoomControl) { cm.map.zoomControl.setPosition(mode === "wide" ? "topleft" : "topright"); }
      // beside or under the map the legend is always open; on the map it is a button
      if (cm.setLegendOpen) { cm.setLegendOpen(mode !== "overlay"); }
    }
    var aspect = this.frameAspect();
    if (aspect) { c.style.setProperty("--geo-frame-aspect", aspect.toFixed(3)); }  // print sizes the map by it
    this.sizeMap();
    if (cm.timeControl) { cm.timeControl.makeRoom(); }
    this.reportHeight();
  };

  /* The height the layout needs at this width: the map as tall as the story's frame needs
   * (as a stacked map is sized), the panels above and below at their own heights. */
  Layout.prototype.naturalHeight = function () {
    var r = this.regions, page = r.page;
    if (this.mode === "overlay") { return page.clientHeight; }
    var w = r.cell.clientWidth || page.clientWidth, pad = 2 * (GAP + 6);
    var aspect = this.frameAspect() || 1.3;
    var map = Math.max(MIN_MAP_HEIGHT, Math.round((w - pad) / aspect * STACK_SLACK + pad));
    // measured without a scroll bar, as the page will be at that height (a bar that comes
    // and goes would make the height swing between two values)
    var before = page.style.overflowY;
    page.style.overflowY = "hidden";
    // heights rounded up: offsetHeight rounds to the nearest pixel, and a source line of
    // several 15.4 px lines would then be cut by a fraction of a pixel
    var h = Math.ceil(r.head.getBoundingClientRect().height) + map +
      Math.ceil(r.foot.getBoundingClientRect().height);
    page.style.overflowY = before;
    return Math.min(MAX_REPORTED, h);
  };

  /* In a frame, tell the page around it the height this layout needs, in pym.js's message
   * format ("pym" xPYMx id xPYMx "height" xPYMx pixels): geo's embed snippet, or a page
   * using pym.js, sets the frame's height to it. Sent when it changes. */
  Layout.prototype.reportHeight = function () {
    if (window.parent === window || !window.parent.postMessage) { return; }
    var h = this.naturalHeight();
    if (h === this.reported) { return; }
    this.reported = h;
    var id = "geo";
    try { id = new URLSearchParams(window.location.search).get("childId") || id; } catch (_e) { /* old browsers */ }
    window.parent.postMessage(["pym", id, "height", String(h)].join("xPYMx"), "*");
  };


  /* A stacked map (a phone) is as tall as the story's frame needs, with a little room, and no
   * taller: the rest of the height goes to the legend and the time control under it. A short
   * frame keeps the map at that height and the start of the legend in view; the page scrolls
   * to the rest. */
  Layout.prototype.sizeMap = function () {
    var r = this.regions, page = r.page;
    if (this.mode !== "stack") { page.style.gridTemplateRows = ""; return; }
    var w = r.cell.clientWidth || page.clientWidth, pad = 2 * (GAP + 6);
    var aspect = this.frameAspect() || 1.3;
    var want = Math.round((w - pad) / aspect * STACK_SLACK + pad);
    var room = page.clientHeight - r.head.offsetHeight - Math.min(r.foot.offsetHeight, FOOT_PEEK);
    var h = Math.max(MIN_MAP_HEIGHT, Math.min(want, room));
    page.style.gridTemplateRows = "auto " + h + "px auto minmax(0, 1fr)";
  };

  /* Width over height of the story's frame in the map's projection (null without one). */
  Layout.prototype.frameAspect = function () {
    var box = this.cm.config.frame;
    if (!box) { return null; }
    var b = L.latLngBounds(box), map = this.cm.map, z = 8;
    var a = map.project(b.getNorthWest(), z), c = map.project(b.getSouthEast(), z);
    var dx = Math.abs(c.x - a.x), dy = Math.abs(c.y - a.y);
    return dx > 0 && dy > 0 ? dx / dy : null;
  };

  /* Close what opens over the map: the layer list and, on the map, the legend. */
  Layout.prototype.collapse = function () {
    var cm = this.cm;
    if (this.mode === "wide") { return; }
    if (cm.control.collapse) { cm.control.collapse(); }
    if (this.mode === "overlay" && cm.setLegendOpen) { cm.setLegendOpen(false); }
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
    // the fit is exact (no snap to a quarter zoom, which can waste a sixth of each side);
    // the buttons and the wheel step from there in quarters
    map.options.zoomSnap = 0;
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
    map.options.zoomSnap = 0.25;
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
    /* "wide", "side", "stack" or "overlay" (see the head of this file). */
    window.conflictMap.layoutMode = function () { return cm.layout.mode; };
    /* The height the layout needs at this width (what an embed's frame is told). */
    window.conflictMap.naturalHeight = function () { return cm.layout.naturalHeight(); };
  });
})();
