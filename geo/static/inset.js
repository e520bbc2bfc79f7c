/* geo page, load order 16 of 18 (see STATIC_JS in geo/render/page.py): the locator inset.
 *
 * A small overview of the region (config.inset, geo/render/locator.py: the two countries and
 * their neighbours, simplified, as encoded polylines) drawn as one SVG in Web Mercator, with a
 * red rectangle where the map's view lies; the rectangle follows the view (moveend). No second
 * Leaflet map. It is a control of its own (cm.locator.node): layout.js places it, like the
 * other panels, in a corner of a wide map, in the side column under the legend of the reader's
 * landscape layout, and nowhere on a phone (see PLACES there). Absent when the build says no
 * inset (--no-inset, or a frame as large as the two countries). */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg", WIDTH = 160, RAD = Math.PI / 180;

  /* Web Mercator of a longitude/latitude, in radians of longitude (y grows northward). */
  function merc(lon, lat) {
    var y = Math.max(-85, Math.min(85, lat));
    return [lon * RAD, Math.log(Math.tan(Math.PI / 4 + y * RAD / 2))];
  }

  function svgEl(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function Locator(cm, conf) {
    var box = conf.box, style = conf.style, self = this;
    this.cm = cm;
    var a = merc(box[0], box[1]), b = merc(box[2], box[3]);
    this.x0 = a[0]; this.y1 = b[1];
    this.k = WIDTH / (b[0] - a[0]);
    this.w = WIDTH;
    this.h = Math.round((b[1] - a[1]) * this.k);
    var node = this.node = GeoPage.util.el("div", "leaflet-control geo-inset");
    node.setAttribute("role", "img");
    node.setAttribute("aria-label", "Locator: where the map's view lies in the region");
    var svg = svgEl("svg", {viewBox: "0 0 " + this.w + " " + this.h, width: this.w, height: this.h,
      "aria-hidden": "true", focusable: "false"});
    svg.appendChild(svgEl("rect", {x: 0, y: 0, width: this.w, height: this.h, fill: style.sea}));
    [["neighbours", style.neighbour, style.neighbourEdge], ["land", style.land, style.landEdge]].forEach(function (s) {
      var geoms = conf.shapes[s[0]] || [];
      var d = geoms.map(function (g) { return self.path(GeoPage.helpers.decodeGeometry(g)); }).join("");
      if (d) {
        svg.appendChild(svgEl("path", {d: d, fill: s[1], stroke: s[2], "stroke-width": style.edgeWeight,
          "fill-rule": "evenodd", "stroke-linejoin": "round"}));
      }
    });
    this.frame = svgEl("rect", {"class": "geo-inset-frame", fill: "none", stroke: style.frame,
      "stroke-width": style.frameWeight});
    svg.appendChild(this.frame);
    node.appendChild(svg);
    L.DomEvent.disableClickPropagation(node);
    // a Leaflet control in the map's corner; layout.js moves it beside the map or leaves it out
    var Control = L.Control.extend({onAdd: function () { return node; }});
    this.control = new Control({position: "bottomright"});
    this.control.addTo(cm.map);
    cm.map.on("moveend zoomend resize", function () { self.update(); });
    this.update();
  }

  /* An SVG path of a (multi)polygon's rings, in the inset's pixels (a tenth of one). */
  Locator.prototype.path = function (geom) {
    var self = this, polys = geom.type === "Polygon" ? [geom.coordinates] : geom.type === "MultiPolygon" ? geom.coordinates : [];
    return polys.map(function (rings) {
      return rings.map(function (ring) {
        return ring.map(function (c, i) {
          var p = self.point(c[0], c[1]);
          return (i ? "L" : "M") + p[0] + " " + p[1];
        }).join("") + "Z";
      }).join("");
    }).join("");
  };

  Locator.prototype.point = function (lon, lat) {
    var m = merc(lon, lat);
    return [Math.round((m[0] - this.x0) * this.k * 10) / 10, Math.round((this.y1 - m[1]) * this.k * 10) / 10];
  };

  /* The rectangle of the map's view, clipped to the inset (a 6 px square at least, so a view
   * of one valley still shows where it is). */
  Locator.prototype.update = function () {
    var b = this.cm.map.getBounds(), sw = b.getSouthWest(), ne = b.getNorthEast();
    var p = this.point(sw.lng, sw.lat), q = this.point(ne.lng, ne.lat), pad = 1;
    var x0 = Math.max(pad, p[0]), x1 = Math.min(this.w - pad, q[0]);
    var y0 = Math.max(pad, q[1]), y1 = Math.min(this.h - pad, p[1]);
    var MIN = 6;
    if (x1 - x0 < MIN) { var cx = (x0 + x1) / 2; x0 = cx - MIN / 2; x1 = cx + MIN / 2; }
    if (y1 - y0 < MIN) { var cy = (y0 + y1) / 2; y0 = cy - MIN / 2; y1 = cy + MIN / 2; }
    var f = this.frame;
    f.setAttribute("x", x0.toFixed(1));
    f.setAttribute("y", y0.toFixed(1));
    f.setAttribute("width", Math.max(0, x1 - x0).toFixed(1));
    f.setAttribute("height", Math.max(0, y1 - y0).toFixed(1));
    this.view = [sw.lng, sw.lat, ne.lng, ne.lat];
  };

  GeoPage.plugin(function (cm) {
    var conf = cm.config.inset;
    if (!conf) { return; }
    cm.locator = new Locator(cm, conf);
    /* The inset as drawn now: where it is (its box in the page, or null when left out), the
     * view its rectangle shows ([west, south, east, north]) and the rectangle in its pixels. */
    window.conflictMap.inset = function () {
      var loc = cm.locator, node = loc.node, f = loc.frame, shown = !!node.offsetParent;
      return {
        shown: shown,
        onMap: shown && cm.map.getContainer().contains(node),
        box: shown ? node.getBoundingClientRect().toJSON() : null,
        view: loc.view.slice(),
        size: [loc.w, loc.h],
        rect: ["x", "y", "width", "height"].map(function (k) { return Number(f.getAttribute(k)); })
      };
    };
  });
})();
