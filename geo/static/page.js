/* geo page, load order 7 of 18 (see STATIC_JS in geo/render/page.py): the title box, data attributions, the switch to the offline basemap
 * when map tiles cannot load, and the placement of the basemap's names (geo/render/labels.py).
 * The "Sources and methods" panel (config.methods, geo/methods.py), opened from the source line;
 * GeoPage.util.creditText(cm) is the source line as text, for the print caption and the image. */
(function () {
  "use strict";
  /* How long filter changes must pause before the names are placed again (ms). */
  var FILTER_PAUSE = 120;

  function titleBox(cm) {
    var util = GeoPage.util;
    var control = L.control({position: "topleft"});
    control.onAdd = function () {
      var box = util.el("header", "geo-title leaflet-bar");
      var h1 = util.el("h1", null, cm.config.title);
      h1.title = cm.config.title;  // the whole title when a small frame cuts it short
      box.appendChild(h1);
      // the live caption: count, dates and hidden types of the view (cm.caption())
      var caption = util.el("p", "geo-caption");
      caption.setAttribute("aria-live", "polite");
      box.appendChild(caption);
      if (cm.config.description) { box.appendChild(util.el("p", "geo-description", cm.config.description)); }
      box.appendChild(util.el("p", "geo-notice"));
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    control.addTo(cm.map);
    cm.titleControl = control;
    cm.on("filter", caption);
    caption(cm);
  }

  function caption(cm) {
    var node = cm.titleControl.getContainer().querySelector(".geo-caption");
    if (node) { node.textContent = cm.caption(); }
    emptyNote(cm);
  }

  /* Nothing shown (an empty build, or a date range or types with no event): say so. */
  function emptyNote(cm) {
    var util = GeoPage.util, container = cm.map.getContainer();
    var note = container.querySelector(".geo-empty");
    if (!note) {
      note = util.el("div", "geo-empty");
      note.setAttribute("role", "status");
      L.DomEvent.disableClickPropagation(note);
      container.appendChild(note);
    }
    var s = cm.stats, r = cm.range;
    if (s.shown > 0) { note.hidden = true; note.textContent = ""; return; }
    var text;
    if (s.total === 0 && cm.config.emptyNote) {
      text = cm.config.emptyNote + ".";
    } else {
      text = "No events " + (r[0] === r[1] ? "on " + util.formatDate(r[0], "day")
        : "between " + util.formatDate(r[0], "day") + " and " + util.formatDate(r[1], "day"));
      // inRange counts the events in the dates that pass the filters: when some do, the
      // type switches hid them; when none do and a filter is set, the filters chose nothing
      if (s.inRange > 0) { text += " in the event types switched on"; }
      else if (cm.filterActive()) { text += " that match the filters set"; }
      text += ".";
    }
    note.textContent = text;
    note.hidden = false;
  }

  var METHODS_LINK = '<a class="geo-methods-link" href="#geo-methods" role="button" aria-controls="geo-methods">Sources and methods</a>';

  /* The panel: each line of config.methods as text, then each source's clause and its link. */
  function methodsPanel(cm) {
    var util = GeoPage.util, spec = cm.config.methods;
    if (!spec) { return null; }
    var box = util.el("section", "geo-methods");
    box.id = "geo-methods";
    box.hidden = true;
    box.setAttribute("aria-label", "Sources and methods");
    box.tabIndex = -1;  // focused when opened: read from its heading, Escape closes it
    box.addEventListener("keydown", function (e) { if (e.key === "Escape") { box.hidden = true; } });
    box.appendChild(util.el("h2", null, "Sources and methods"));
    var list = box.appendChild(util.el("ul", "geo-methods-lines"));
    (spec.lines || []).forEach(function (line) { list.appendChild(util.el("li", null, line)); });
    var terms = box.appendChild(util.el("ul", "geo-methods-terms"));
    (spec.terms || []).forEach(function (t) {
      var li = terms.appendChild(util.el("li", null, t.name + " terms, as the project reads them: " + t.clause + " (" + t.where + ")"));
      if (t.url && /^https:\/\//.test(t.url)) {
        var a = util.el("a", null, t.url);
        a.href = t.url; a.target = "_blank"; a.rel = "noopener noreferrer";
        li.appendChild(document.createTextNode(" "));
        li.appendChild(a);
      }
    });
    box.appendChild(util.el("p", "geo-methods-note", "Not legal advice: check each source's own terms."));
    var close = util.button("Close", "geo-methods-close", "Close sources and methods");
    close.addEventListener("click", function () { box.hidden = true; });
    box.appendChild(close);
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    cm.map.getContainer().appendChild(box);
    return box;
  }

  /* The source line as text, without the link to the panel. */
  function creditText(cm) {
    var node = cm.map.attributionControl && cm.map.attributionControl.getContainer();
    if (!node) { return ""; }
    var copy = node.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll(".geo-methods-link"), function (a) { a.remove(); });
    // the link's place leaves a separator behind: "Leaflet | , Data" reads "Leaflet | Data"
    return copy.textContent.replace(/\|\s*,\s*/g, "| ").replace(/^\s*[|,]\s*|\s*[|,]\s*$/g, "")
      .replace(/\|\s*\|/g, "|");
  }

  /* Attribution strings were escaped when the page was built: they are text. */
  function attributions(cm) {
    var panel = methodsPanel(cm);
    if (panel) { cm.map.attributionControl.addAttribution(METHODS_LINK); }
    (cm.config.attributions || []).forEach(function (text) {
      cm.map.attributionControl.addAttribution(text);
    });
    window.conflictMap.methods = function () {
      return panel ? {lines: (cm.config.methods.lines || []).slice(), open: !panel.hidden} : null;
    };
    // a small frame shows the credits on one line; a tap shows them whole
    var node = cm.map.attributionControl.getContainer();
    node.addEventListener("click", function (e) {
      if (panel && e.target.closest && e.target.closest(".geo-methods-link")) {
        e.preventDefault();
        panel.hidden = !panel.hidden;
        if (!panel.hidden) { panel.scrollTop = 0; panel.focus({preventScroll: true}); }
        return;
      }
      if (e.target.tagName !== "A") { L.DomUtil[L.DomUtil.hasClass(node, "geo-open") ? "removeClass" : "addClass"](node, "geo-open"); }
    });
  }

  /* If the visible tile layer fails several tiles before loading any, show the offline
   * basemap instead, without a word to the reader. This happens once: a tile layer the
   * user picks afterwards stays, even if it fails too. */
  function offlineFallback(cm) {
    var name = cm.config.offlineBase, offline = name && cm.layer(name);
    if (!offline) { return; }
    (cm.config.baseLayers || []).forEach(function (entry) {
      var layer = entry.layer, failed = 0, loaded = 0;
      if (entry.name === name || !layer.on) { return; }
      layer.on("tileload", function () { loaded++; });
      layer.on("tileerror", function () {
        failed++;
        if (failed === 4 && loaded === 0 && cm.map.hasLayer(layer) && !cm.fellBack) {
          // quietly: a reader sees a map, not a server's failure (the layer control shows
          // which base is on; the container says so for scripts)
          cm.fellBack = true;
          cm.setBase(name);
          cm.map.getContainer().setAttribute("data-geo-basemap", "offline");
        }
      });
    });
  }

  /* ---------- the basemap's names ----------
   * The rule of geo/render/labels.py (place), run on the boxes the browser measures, anew
   * after every move, zoom, resize and drawing of the events: each label, in the order the
   * configuration gives (its priority), takes the first of its candidate spots that lies
   * inside the map, touches no control, no label and no town dot kept before it and, when
   * it is drawn over the events, covers no event's centre; among those, the one touching
   * the fewest event circles and dots still to place. A label with no spot is hidden, and
   * so is its town's dot: a name is shown whole or not at all, and no town is an anonymous
   * dot. The editor's callouts (kind "note", config labels.notes) are placed first, while
   * their event is shown (or their date window overlaps the range), whatever the base map.
   * Coordinates are container pixels, y downwards. Keep this in step with the Python:
   * tests/browser/test_labels_page.py runs both on one scene. */

  function overlaps(a, b) { return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]; }

  function anyOverlap(box, boxes) {
    for (var i = 0; i < boxes.length; i++) { if (overlaps(box, boxes[i])) { return true; } }
    return false;
  }

  /* labels.candidate_box: a w x h text put at `spot` around (x, y), `off` away from it. */
  function candidateBox(x, y, w, h, spot, off) {
    var sx = spot[0], sy = spot[1], x0, y0;
    if (off === 0) {
      x0 = x - w / 2 + sx * w / 2; y0 = y - h / 2 + sy * h / 2;
    } else {
      x0 = sx === 0 ? x - w / 2 : (sx > 0 ? x + off : x - off - w);
      y0 = sy === 0 ? y - h / 2 : (sy > 0 ? y + off : y - off - h);
    }
    return [x0, y0, x0 + w, y0 + h];
  }

  /* The event symbols [[x, y, r], ...] in square cells, for the two questions asked of
   * them: is a centre inside a box, how many circles reach into it. */
  function eventGrid(events) {
    var CELL = 64, cells = {}, maxR = 0;
    events.forEach(function (e) {
      var key = Math.floor(e[0] / CELL) + ":" + Math.floor(e[1] / CELL);
      (cells[key] || (cells[key] = [])).push(e);
      if (e[2] > maxR) { maxR = e[2]; }
    });
    function each(box, reach, fn) {
      for (var cx = Math.floor((box[0] - reach) / CELL); cx <= Math.floor((box[2] + reach) / CELL); cx++) {
        for (var cy = Math.floor((box[1] - reach) / CELL); cy <= Math.floor((box[3] + reach) / CELL); cy++) {
          (cells[cx + ":" + cy] || []).forEach(fn);
        }
      }
    }
    return {
      centresInside: function (box) {
        var n = 0;
        each(box, 0, function (e) { if (e[0] > box[0] && e[0] < box[2] && e[1] > box[1] && e[1] < box[3]) { n++; } });
        return n;
      },
      touched: function (box) {
        var n = 0;
        each(box, maxR, function (e) {
          var dx = Math.max(box[0] - e[0], 0, e[0] - box[2]), dy = Math.max(box[1] - e[1], 0, e[1] - box[3]);
          if (dx * dx + dy * dy < e[2] * e[2]) { n++; }
        });
        return n;
      }
    };
  }

  /* labels._spots: a label's candidate spots in order, each [spot, distance or null]: a
   * callout's nudge first at every distance, then the others distance by distance. */
  function spotsOf(kind, nudge, rules) {
    var spots = rules.candidates[kind], out = [], first = null, d, k;
    if (kind !== "note") { return spots.map(function (s) { return [s, null]; }); }
    for (k = 0; nudge && k < spots.length; k++) {
      if (spots[k][0] === nudge[0] && spots[k][1] === nudge[1]) { first = spots[k]; }
    }
    if (first) { rules.lead.forEach(function (lead) { out.push([first, lead]); }); }
    for (d = 0; d < rules.lead.length; d++) {
      for (k = 0; k < spots.length; k++) { if (spots[k] !== first) { out.push([spots[k], rules.lead[d]]); } }
    }
    return out;
  }

  /* labels.place: each label's text box [x0, y0, x1, y1], or null where it is not drawn. */
  function placeLabels(kinds, anchors, sizes, frame, obstacles, events, rules, nudges) {
    var pad = rules.padding, gap = rules.gap, edge = rules.edge, dot = rules.dot;
    var W = frame[0], H = frame[1], taken = obstacles.slice(), grid = eventGrid(events);
    var dotted = {}, over = {}, covering = {}, inside = [], dots = [], pending = [], out = [], i, k;
    rules.dotted.forEach(function (kind) { dotted[kind] = true; });
    (rules.covering || []).forEach(function (kind) { covering[kind] = true; });
    rules.over.forEach(function (kind) { over[kind] = true; });
    function outside(b) { return b[0] < edge || b[1] < edge || b[2] > W - edge || b[3] > H - edge; }
    for (i = 0; i < kinds.length; i++) {
      var a = anchors[i];
      inside.push(a[0] >= 0 && a[0] <= W && a[1] >= 0 && a[1] <= H);
      dots.push([a[0] - dot, a[1] - dot, a[0] + dot, a[1] + dot]);
      pending.push(Boolean(dotted[kinds[i]] && inside[i]));
    }
    for (i = 0; i < kinds.length; i++) {
      var kind = kinds[i], x = anchors[i][0], y = anchors[i][1];
      pending[i] = false;
      out.push(null);
      if (!inside[i]) { continue; }
      var own = dotted[kind] ? dots[i] : null;
      if (own && (outside(own) || anyOverlap(own, taken))) { continue; }
      var best = null, bestCost = 0, spots = spotsOf(kind, nudges ? nudges[i] : null, rules);
      for (k = 0; k < spots.length; k++) {
        var off = spots[k][1] !== null ? spots[k][1] : (own ? dot + gap : 0);
        var t = candidateBox(x, y, sizes[i][0], sizes[i][1], spots[k][0], off);
        var box = [t[0] - pad, t[1] - pad, t[2] + pad, t[3] + pad];
        if (outside(box) || anyOverlap(box, taken)) { continue; }
        var centres = over[kind] ? grid.centresInside(box) : 0;
        if (centres && !covering[kind]) { continue; }
        var cost = (over[kind] ? grid.touched(box) : 0) + rules.centreCost * centres;
        for (var j = 0; j < dots.length; j++) { if (pending[j] && overlaps(box, dots[j])) { cost++; } }
        if (best === null || cost < bestCost) {
          best = box; bestCost = cost;
          if (cost === 0) { break; }
        }
      }
      if (best === null) { continue; }
      out[i] = [best[0] + pad, best[1] + pad, best[2] - pad, best[3] - pad];
      taken.push(best);
      if (own) { taken.push(own); }
    }
    return out;
  }

  var LIFT = 100000;
  var CLASSES = {country: "geo-country-label", major: "geo-city-label geo-major", town: "geo-city-label", province: "geo-province-label"};

  /* The look of a label, from geo/render/style.py (LABEL_STYLES): data, set as styles. */
  function styleLabel(node, s, halo) {
    var st = node.style;
    st.fontSize = s.size + "px";
    st.fontWeight = String(s.weight);
    st.color = s.color;
    st.fontStyle = s.italic ? "italic" : "normal";
    st.textTransform = s.caps ? "uppercase" : "none";
    st.letterSpacing = s.spacing + "em";
    if (s.halo) {
      var one = "0 0 " + halo.width + "px " + halo.color;
      st.textShadow = [one, one, one, one].join(", ");
    }
  }

  /* The names of the offline basemap: made once into its layer group, placed at every view. */
  function Labels(cm) {
    var conf = cm.config.labels, util = GeoPage.util, self = this;
    this.cm = cm;
    this.conf = conf;
    this.group = cm.layer(cm.config.offlineBase);
    this.entries = [];
    this.notes = [];
    this.noteGroup = null;
    this.spoken = null;
    this.frame = null;
    if (!conf) { return; }
    var dotted = {};
    conf.rules.dotted.forEach(function (kind) { dotted[kind] = true; });
    var over = {};
    conf.rules.over.forEach(function (kind) { over[kind] = true; });
    (this.group ? conf.items : []).forEach(function (item, index) {
      var kind = item[0], at = L.latLng(item[3], item[2]);
      var node = util.el("span", "geo-label " + CLASSES[kind], item[1]);
      node.setAttribute("data-geo-label", String(index));
      styleLabel(node, conf.styles[kind], conf.halo);
      var entry = {kind: kind, text: item[1], at: at, node: node, dot: null, box: null};
      var pane = over[kind] ? conf.panes.over : conf.panes.under;
      // markers take their z-index from their y; lift them above the land drawn in their pane
      self.group.addLayer(L.marker(at, {icon: L.divIcon({className: "geo-label-anchor", html: node, iconSize: null}),
        pane: pane, interactive: false, keyboard: false, zIndexOffset: LIFT}));
      if (dotted[kind]) {
        var d = 2 * conf.rules.dot, dotNode = util.el("span", "geo-town-dot");
        dotNode.style.background = conf.dotColor;
        dotNode.setAttribute("data-geo-label", String(index));
        entry.dot = dotNode;
        self.group.addLayer(L.marker(at, {icon: L.divIcon({className: "geo-town-dot-anchor", html: dotNode, iconSize: [d, d]}),
          pane: conf.panes.under, interactive: false, keyboard: false, zIndexOffset: LIFT}));
      }
      self.entries.push(entry);
    });
    if ((conf.notes || []).length) { this.makeNotes(); }
    var map = cm.map;
    cm.on("draw", function () { self.place(); });
    // a filter change (a date step, a playback frame) redraws the events at once; the names
    // and callouts follow once the changes pause (at 100k events placing them against every
    // circle costs as much as the redraw itself)
    cm.on("filter", function () { self.later(); });
    map.on("moveend zoomend resize", function () { self.schedule(); });
    // layers switched and panels resized (a legend's counts after a filter) wait for the pause too
    map.on("baselayerchange layeradd layerremove", function () { self.later(); });
    if (window.ResizeObserver) { this.observer = new ResizeObserver(function () { self.later(); }); }
    this.schedule();
  }

  /* The editor's callouts (geo/render/annotations.py): a box of text (lines broken when the
   * page was built) and a leader line to the anchor, in their own pane above the names, on
   * the map whatever its base; and a list of those shown now, for screen readers. */
  Labels.prototype.makeNotes = function () {
    var cm = this.cm, conf = this.conf, util = GeoPage.util, self = this, map = cm.map;
    var pane = conf.notePane, style = conf.styles.note, boxStyle = style.box;
    if (!map.getPane(pane)) { map.createPane(pane).style.zIndex = 470; }
    this.noteGroup = L.layerGroup().addTo(map);
    conf.notes.forEach(function (item, index) {
      var at = L.latLng(item[2], item[1]);
      var holder = util.el("div", "geo-note-anchor-box");
      var leader = util.el("span", "geo-note-leader");
      leader.style.borderTopColor = boxStyle.border;
      var node = util.el("span", "geo-label geo-note", item[0]);
      node.setAttribute("data-geo-note", String(index));
      styleLabel(node, style, conf.halo);
      node.style.background = boxStyle.fill;
      node.style.border = boxStyle.width + "px solid " + boxStyle.border;
      node.style.padding = boxStyle.padding + "px";
      var point = null;
      if (item[3] === null) {  // a place, not an event: a small mark where the leader ends
        point = util.el("span", "geo-note-point");
        point.style.background = boxStyle.border;
        holder.appendChild(point);
      }
      holder.appendChild(leader);
      holder.appendChild(node);
      self.noteGroup.addLayer(L.marker(at, {icon: L.divIcon({className: "geo-label-anchor", html: holder, iconSize: null}),
        pane: pane, interactive: false, keyboard: false, zIndexOffset: LIFT}));
      self.notes.push({kind: "note", text: item[0], at: at, node: node, leader: leader, point: point, box: null,
        event: item[3] === null ? -1 : cm.events.find(item[3]), id: item[3], first: item[4], last: item[5], nudge: item[6]});
    });
    var live = this.live = util.el("div", "geo-alt geo-notes-live");
    live.setAttribute("aria-live", "polite");
    live.setAttribute("data-geo-notes", "");
    map.getContainer().appendChild(live);
  };

  /* Whether a callout belongs to what is shown: its event is (dates, types, filters), or
   * the date range overlaps its window. */
  Labels.prototype.active = function (note) {
    var cm = this.cm, r = cm.range;
    if (note.id !== null) { return note.event >= 0 && cm.visible[note.event] === 1; }
    return (note.first === null || note.first <= r[1]) && (note.last === null || note.last >= r[0]);
  };

  /* The callouts shown now, said once each time they change. */
  Labels.prototype.speak = function (texts) {
    var key = texts.join("\n");
    if (!this.live || key === this.spoken) { return; }
    this.spoken = key;
    var util = GeoPage.util, live = this.live;
    live.textContent = "";
    if (!texts.length) { return; }
    live.appendChild(util.el("p", null, texts.length === 1 ? "Annotation on the map:" : "Annotations on the map:"));
    var list = util.el("ul");
    texts.forEach(function (t) { list.appendChild(util.el("li", null, t.replace(/\n/g, " "))); });
    live.appendChild(list);
  };

  /* The leader from a callout's box to its anchor (its event's centre, or the place). */
  function lead(note, box) {
    var ax = note.anchor[0], ay = note.anchor[1];
    var px = Math.min(Math.max(ax, box[0]), box[2]), py = Math.min(Math.max(ay, box[1]), box[3]);
    var dx = px - ax, dy = py - ay, length = Math.sqrt(dx * dx + dy * dy), st = note.leader.style;
    st.width = length + "px";
    st.transform = "rotate(" + Math.atan2(dy, dx) + "rad)";
    st.visibility = "visible";
  }

  /* Place the names and callouts once a burst of filter changes has paused. */
  Labels.prototype.later = function () {
    var self = this;
    if (this.timer) { window.clearTimeout(this.timer); }
    this.timer = window.setTimeout(function () { self.timer = null; self.schedule(); }, FILTER_PAUSE);
  };

  Labels.prototype.schedule = function () {
    var self = this;
    if (this.frame) { return; }
    this.frame = L.Util.requestAnimFrame(function () { self.frame = null; self.place(); });
  };

  /* The event symbols drawn, [x, y, r] in container pixels (none while they are drawn as
   * hexagons or heat only). */
  Labels.prototype.events = function () {
    var cm = this.cm, c = cm.canvas, out = [];
    if (!c || !c.drawn || !cm.display.points) { return out; }
    for (var k = 0; k < c.drawn.length; k++) {
      var i = c.drawn[k];
      out.push([c.sx[i], c.sy[i], c.dense ? 1.5 : cm.radius[i]]);
    }
    return out;
  };

  /* Measure (every read first), place, then show, move or hide each label and its dot. */
  Labels.prototype.place = function () {
    var map = this.cm.map, self = this;
    // the basemap's names while the offline basemap is on; the callouts always, first
    var names = this.group && map.hasLayer(this.group) ? this.entries : [];
    var notes = this.notes.filter(function (n) { return self.active(n); });
    var entries = notes.concat(names);
    this.notes.forEach(function (n) {
      if (notes.indexOf(n) < 0) { n.box = null; n.node.style.visibility = n.leader.style.visibility = "hidden"; if (n.point) { n.point.style.visibility = "hidden"; } }
    });
    this.speak(notes.map(function (n) { return n.text; }));
    if (!entries.length) { return; }
    var container = map.getContainer(), cbox = container.getBoundingClientRect(), size = map.getSize();
    var obstacles = [], nodes = container.querySelectorAll(this.conf.obstacles), i;
    for (i = 0; i < nodes.length; i++) {
      var r = nodes[i].getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || getComputedStyle(nodes[i]).visibility === "hidden") { continue; }
      obstacles.push([r.left - cbox.left, r.top - cbox.top, r.right - cbox.left, r.bottom - cbox.top]);
      if (this.observer) { this.observer.observe(nodes[i]); }
    }
    var anchors = [], sizes = [], kinds = [];
    entries.forEach(function (e) {
      var p = map.layerPointToContainerPoint(map.latLngToLayerPoint(e.at).round());
      var b = e.node.getBoundingClientRect();
      e.anchor = [p.x, p.y];
      anchors.push(e.anchor);
      sizes.push([b.width, b.height]);
      kinds.push(e.kind);
    });
    var nudges = entries.map(function (e) { return e.nudge || null; });
    var boxes = placeLabels(kinds, anchors, sizes, [size.x, size.y], obstacles, this.events(), this.conf.rules, nudges);
    var shown = 0, noted = 0;
    entries.forEach(function (e, j) {
      var box = boxes[j];
      e.box = box;
      if (box) {
        e.node.style.left = (box[0] - e.anchor[0]) + "px";
        e.node.style.top = (box[1] - e.anchor[1]) + "px";
        if (e.kind === "note") { noted++; } else { shown++; }
      }
      e.node.style.visibility = box ? "visible" : "hidden";
      if (e.dot) { e.dot.style.visibility = box ? "visible" : "hidden"; }
      if (e.leader) {
        if (box) { lead(e, box); } else { e.leader.style.visibility = "hidden"; }
        if (e.point) { e.point.style.visibility = box ? "visible" : "hidden"; }
      }
    });
    if (names.length) { container.setAttribute("data-geo-labels", String(shown)); }
    container.setAttribute("data-geo-notes", String(noted));
  };

  GeoPage.placeLabels = placeLabels;
  GeoPage.util.creditText = creditText;

  GeoPage.plugin(function (cm) {
    titleBox(cm);
    attributions(cm);
    offlineFallback(cm);
    var labels = cm.labels = new Labels(cm);
    /* The names of the offline basemap as placed now: [{kind, text, shown, box}], boxes in
     * container pixels (for tests and embeds). */
    window.conflictMap.labels = function () {
      labels.place();
      return labels.entries.map(function (e) {
        return {kind: e.kind, text: e.text, shown: Boolean(e.box), box: e.box};
      });
    };
    /* The callouts (--annotate, --note) as placed now: [{text, event, shown, box}]. */
    window.conflictMap.annotations = function () {
      labels.place();
      return labels.notes.map(function (n) {
        return {text: n.text, event: n.id, shown: Boolean(n.box), box: n.box};
      });
    };
  });
})();
