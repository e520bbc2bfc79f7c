/* geo page, load order 6 of 18 (see STATIC_JS in geo/render/page.py): the legend, built from config.legend with DOM calls only.
 * The size key's circles take the factor the map's circles take (cm.symbolFactor, from the map's
 * size and zoom: canvas.js symbolFactor), redrawn when it changes, so they stay true to the map. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    for (var k in attrs) { node.setAttribute(k, String(attrs[k])); }
    return node;
  }

  function symbol(cm, item, factor) {
    var radius = item.kind === "size" ? Math.round(item.radius * (factor || 1) * 10) / 10 : 0;
    var size = item.kind === "size" ? Math.ceil(radius * 2 + 4) : 18;
    var box = svg("svg", {width: size, height: size, viewBox: "0 0 " + size + " " + size, "aria-hidden": "true"});
    var c = size / 2;
    if (item.kind === "line") {
      // a worldview's line (geo/worldview.py): thinner, the Line of Control dashed
      var line = {x1: 1, y1: c, x2: size - 1, y2: c, stroke: item.color, "stroke-width": item.worldview ? 2 : 3};
      if (item.dashed) { line["stroke-dasharray"] = "4 2.5"; }
      box.appendChild(svg("line", line));
    } else if (item.kind === "fill") {
      box.appendChild(svg("rect", {x: 2, y: 3, width: size - 4, height: size - 6, fill: item.color,
        "fill-opacity": 0.8, stroke: "#777", "stroke-width": 0.5}));
    } else if (item.kind === "diamond") {  // border crossings (render/style.py CROSSING_STYLE)
      box.appendChild(svg("rect", {x: c - 4.5, y: c - 4.5, width: 9, height: 9, fill: item.fill,
        stroke: "#777", "stroke-width": 1, transform: "rotate(45 " + c + " " + c + ")"}));
    } else if (item.kind === "size") {
      box.appendChild(svg("circle", {cx: c, cy: c, r: radius, fill: "#888", "fill-opacity": 0.35,
        stroke: "#444", "stroke-width": 1.5}));
    } else {
      var attrs = {cx: c, cy: c, r: 6, stroke: item.color, "stroke-width": 2,
        fill: item.fill || item.color, "fill-opacity": item.hollow ? 0.08 : (item.fill ? 1 : 0.55)};
      var muted = item.muted && cm.config.symbols && cm.config.symbols.muted;
      if (muted) { attrs["fill-opacity"] = muted.fillOpacity; attrs["stroke-opacity"] = muted.strokeOpacity; }
      if (item.dashed) { attrs["stroke-dasharray"] = "3 2"; }
      box.appendChild(svg("circle", attrs));
    }
    return box;
  }

  function build(cm) {
    var util = GeoPage.util;
    var sections = cm.config.legend || [];
    var control = L.control({position: "bottomleft"});
    control.onAdd = function () {
      var root = util.el("section", "geo-legend leaflet-bar");
      root.setAttribute("aria-label", "Legend");
      L.DomEvent.disableClickPropagation(root);
      L.DomEvent.disableScrollPropagation(root);
      var toggle = util.el("button", "geo-legend-toggle", "Legend");
      toggle.type = "button";
      toggle.setAttribute("aria-expanded", "true");
      var body = util.el("div", "geo-legend-body");
      body.id = "geo-legend-body";
      toggle.setAttribute("aria-controls", body.id);
      toggle.addEventListener("click", function () { setOpen(cm, body.hidden); });
      root.appendChild(toggle);
      sections.forEach(function (section) {
        var block = util.el("div", "geo-legend-section");
        if (section.layer) { block.setAttribute("data-layer", section.layer); }
        block.appendChild(util.el("h4", null, section.title));
        var sizes = section.items.length && section.items.every(function (it) { return it.kind === "size"; });
        var list = util.el("ul", sizes ? "geo-legend-sizes" : null);
        var switchable = section.highlight && cm.highlight;
        section.items.forEach(function (item) {
          // the switch says what is in colour: the note that says it in print is left out
          if (switchable && item.kind === "note" && !item.count) { return; }
          var li = util.el("li");
          if (item.kind !== "note") { li.appendChild(symbol(cm, item, cm.symbolFactor)); }
          if (item.kind === "note") { li.className = "geo-legend-note"; }
          if (item.count) { li.setAttribute("data-highlight-count", ""); }
          if (item.kind === "size") { li.geoSize = item; }
          var label = util.el("span", null, item.label);
          if (item.type) { label.setAttribute("data-type", item.type); }
          li.appendChild(label);
          list.appendChild(li);
        });
        block.appendChild(list);
        if (switchable) { block.insertBefore(highlightSwitch(cm), list); }
        body.appendChild(block);
      });
      root.appendChild(body);
      // outside the body: the squares need explaining even while the legend is a button
      root.appendChild(util.el("p", "geo-dense-note",
        "Many events in view: each is drawn as a small square. Zoom in for sized circles."));
      return root;
    };
    control.addTo(cm.map);
    cm.legendControl = control;
    cm.setLegendOpen = function (open) { setOpen(cm, open); };
    syncLayerSections(cm);
    cm.on("filter", recount);
    recount(cm);
    cm.on("draw", resize);
    resize(cm);
    cm.map.on("overlayadd overlayremove layeradd layerremove", function () { syncLayerSections(cm); });
  }

  function setOpen(cm, open) {
    var root = cm.legendControl && cm.legendControl.getContainer();
    if (!root) { return; }
    root.querySelector(".geo-legend-body").hidden = !open;
    root.querySelector(".geo-legend-toggle").setAttribute("aria-expanded", String(!!open));
    L.DomUtil[open ? "addClass" : "removeClass"](root, "geo-open");
  }

  /* The size key at the factor the circles are drawn at now. */
  function resize(cm) {
    var root = cm.legendControl && cm.legendControl.getContainer(), factor = cm.symbolFactor || 1;
    if (!root || root.geoFactor === factor) { return; }
    root.geoFactor = factor;
    var items = root.querySelectorAll(".geo-legend-sizes li");
    for (var i = 0; i < items.length; i++) {
      if (items[i].geoSize) { items[i].replaceChild(symbol(cm, items[i].geoSize, factor), items[i].firstChild); }
    }
  }

  /* The highlight's switch: "In colour: <what>" (text from the build, set as text), on
   * while the highlighted events are in colour and the others grey. */
  function highlightSwitch(cm) {
    var util = GeoPage.util, label = util.el("label", "geo-highlight-switch");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = !!cm.highlightOn;
    box.addEventListener("change", function () { cm.setHighlight(box.checked); });
    label.appendChild(box);
    label.title = "Switch the highlight off to draw every event in its colour";
    label.appendChild(util.el("span", null, "In colour: " + cm.config.highlight.description));
    return label;
  }

  /* Type labels count the events of the date range shown, like the layer control; the
   * highlight's count follows the filters too, and its section dims while it is off. */
  function recount(cm) {
    var root = cm.legendControl && cm.legendControl.getContainer();
    if (!root || !cm.stats) { return; }
    var count = root.querySelector("[data-highlight-count]");
    if (count && cm.highlight) {
      count.textContent = cm.highlightedShown().toLocaleString("en-GB") + " highlighted of " +
        cm.stats.shown.toLocaleString("en-GB") + " shown";
      var block = count.closest(".geo-legend-section"), box = block.querySelector(".geo-highlight-switch input");
      if (box) { box.checked = !!cm.highlightOn; }
      (cm.highlightOn ? L.DomUtil.removeClass : L.DomUtil.addClass)(block, "geo-highlight-off");
    }
    cm.stats.types.forEach(function (t) {
      var labels = root.querySelectorAll("span[data-type]");
      for (var i = 0; i < labels.length; i++) {
        if (labels[i].getAttribute("data-type") === t.name) {
          labels[i].textContent = t.name + " (" + t.inRange + ")";
        }
      }
    });
  }

  /* A section that belongs to a layer (the choropleth) shows only while that layer is on. */
  function syncLayerSections(cm) {
    var root = cm.legendControl && cm.legendControl.getContainer();
    if (!root) { return; }
    var blocks = root.querySelectorAll(".geo-legend-section[data-layer]");
    var opened = false;
    for (var i = 0; i < blocks.length; i++) {
      var layer = cm.layer(blocks[i].getAttribute("data-layer"));
      var show = !!(layer && cm.map.hasLayer(layer));
      if (show && blocks[i].hidden) { opened = true; }
      blocks[i].hidden = !show;
    }
    // a layer whose colours need explaining opens the legend, where there is room for it
    var onMap = !cm.layout || cm.layout.mode === "overlay";
    if (opened && !onMap && cm.setLegendOpen) { cm.setLegendOpen(true); }
  }

  GeoPage.plugin(build);
})();
