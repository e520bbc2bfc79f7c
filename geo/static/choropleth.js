/* geo page, load order 9 of 16 (see STATIC_JS in geo/render/events.py): the province choropleth follows the date range and the type toggles.
 * Counts are made from the events currently shown; classes are the fixed breaks sent by
 * the build (see geo/render/choropleth.py). */
(function () {
  "use strict";

  function classOf(value, breaks) {
    var k = -1;
    for (var i = 0; i < breaks.length; i++) { if (value >= breaks[i]) { k = i; } }
    return k;
  }

  function Choropleth(cm, spec) {
    this.cm = cm;
    this.spec = spec;
    this.layer = cm.layer(spec.layer);
    var ev = cm.events, n = ev.n, pidOf = {};
    spec.keys.forEach(function (key, pid) { pidOf[key] = pid; });
    // polygon index per event, -1 when its province is not drawn
    this.pid = new Int32Array(n);
    for (var i = 0; i < n; i++) {
      var key = String(ev.get.province(i) || "").toLowerCase() + "|" + String(ev.get.country(i) || "");
      this.pid[i] = Object.hasOwn(pidOf, key) ? pidOf[key] : -1;
    }
  }

  Choropleth.prototype.update = function () {
    var cm = this.cm, spec = this.spec, ev = cm.events;
    var totals = new Float64Array(spec.keys.length), best = ev.get.fatalities_best;
    for (var i = 0; i < ev.n; i++) {
      if (!cm.visible[i] || this.pid[i] < 0) { continue; }
      totals[this.pid[i]] += spec.measure === "events" ? 1 : (best(i) || 0);
    }
    this.layer.eachLayer(function (feature) {
      var p = feature.feature.properties;
      var value = totals[Number(p.pid)];
      var k = classOf(value, spec.breaks);
      p.value = value;
      feature.setStyle({fillColor: k < 0 ? spec.zero : spec.colours[k]});
    });
  };

  GeoPage.plugin(function (cm) {
    var spec = cm.config.choropleth;
    if (!spec || !cm.layer(spec.layer)) { return; }
    var choropleth = new Choropleth(cm, spec);
    cm.choropleth = choropleth;
    cm.on("filter", function () { choropleth.update(); });
    choropleth.update();
  });
})();
