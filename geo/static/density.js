/* geo page, load order 12 of 18 (see STATIC_JS in geo/render/page.py): the legend of the
 * density layers (hexagons and heat) and the note that says the page chose them. Reads
 * the canvas's figures after each drawing (cm.on("draw")); the measure (events or
 * fatalities) is chosen here. Publishes cm.setDensityMeasure.
 */
(function () {
  "use strict";

  var util = GeoPage.util, H = GeoPage.helpers;

  function DensityLegend(cm) {
    var self = this;
    this.cm = cm;
    var control = L.control({position: "bottomright"});
    control.onAdd = function () {
      var root = util.el("section", "geo-density leaflet-bar");
      root.setAttribute("aria-label", "Density legend");
      L.DomEvent.disableClickPropagation(root);
      self.title = root.appendChild(util.el("h4", null, ""));
      var pick = util.el("label", "geo-density-measure");
      pick.appendChild(util.el("span", null, "Count "));
      self.measure = util.el("select");
      [["events", "events"], ["fatalities", "killed (best estimate)"]].forEach(function (o) {
        var opt = util.el("option", null, o[1]);
        opt.value = o[0];
        self.measure.appendChild(opt);
      });
      self.measure.addEventListener("change", function () { cm.setDensityMeasure(self.measure.value); });
      pick.appendChild(self.measure);
      root.appendChild(pick);
      self.scale = root.appendChild(util.el("ul", "geo-density-scale"));
      self.note = root.appendChild(util.el("p", "geo-density-note"));
      self.points = util.button("Show points", "geo-density-points");
      self.points.addEventListener("click", function () { cm.map.addLayer(cm.layer(GeoPage.DISPLAY.points)); });
      root.appendChild(self.points);
      root.hidden = true;
      self.root = root;
      return root;
    };
    control.addTo(cm.map);
    cm.on("draw", function () { self.update(); });
    cm.setDensityMeasure = function (m) {
      if (m !== "events" && m !== "fatalities") { return; }
      cm.densityMeasure = m;
      self.measure.value = m;
      cm.canvas.drawNow();
      cm.emit("playback");  // the address keeps the measure
    };
  }

  DensityLegend.prototype.update = function () {
    var cm = this.cm, c = cm.canvas, leg = c.legend, root = this.root;
    if (!root) { return; }
    root.hidden = !leg;
    if (!leg) { return; }
    var what = leg.measure === "fatalities" ? "killed (best estimate)" : "events";
    this.title.textContent = (leg.kind === "hexbin" ? "Hexagons: " : "Heat: ") + what + " shown";
    this.scale.textContent = "";
    if (leg.kind === "hexbin") {
      leg.breaks.forEach(function (lo, k) {
        var hi = k + 1 < leg.breaks.length ? leg.breaks[k + 1] - 1 : leg.max;
        var li = util.el("li");
        var sw = li.appendChild(util.el("span", "geo-density-swatch"));
        sw.style.background = leg.colours[k];
        li.appendChild(util.el("span", null, lo >= hi ? String(Math.round(lo)) : Math.round(lo) + "\u2013" + Math.round(hi)));
        this.scale.appendChild(li);
      }, this);
    } else {
      var li = util.el("li", "geo-density-ramp");
      var ramp = li.appendChild(util.el("span", "geo-density-gradient"));
      ramp.style.background = "linear-gradient(to right, " + [0, 0.25, 0.5, 0.75, 1].map(function (t) {
        return "rgb(" + H.viridis(Math.sqrt(t)).join(",") + ")";
      }).join(", ") + ")";
      li.appendChild(util.el("span", null, "fewer \u2192 more, relative to the busiest spot in view"));
      this.scale.appendChild(li);
    }
    var auto = cm.autoDensity && !cm.display.points;
    this.note.textContent = auto ? "Many events in view, so density is shown. Zoom in or narrow the filter for points." : "";
    this.points.hidden = cm.display.points;
  };

  GeoPage.plugin(function (cm) { cm.densityLegend = new DensityLegend(cm); });
})();
