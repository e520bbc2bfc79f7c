/* geo page, load order 9 of 18 (see STATIC_JS in geo/render/page.py): the province choropleth follows the date range and the type toggles.
 * Counts are made from the events currently shown; classes are the fixed breaks sent by
 * the build (see geo/render/choropleth.py). The page holds the province polygons once, in
 * the outline layer (spec.outlines); the choropleth's features come without geometry and
 * take the outline's polygon with the same pid. */
(function () {
  "use strict";

  function classOf(value, breaks) {
    var k = -1;
    for (var i = 0; i < breaks.length; i++) { if (value >= breaks[i]) { k = i; } }
    return k;
  }

  /* One feature per outline, sharing its geometry (never changed, only read by Leaflet). */
  function shareShapes(layer, outlines) {
    var features = [];
    outlines.eachLayer(function (outline) {
      var f = outline.feature, p = f.properties;
      features.push({
        type: "Feature", id: Number(p.pid), geometry: f.geometry,
        properties: {province: p.province, country: p.country, value: 0, pid: p.pid}
      });
    });
    layer.addData(features);
  }

  function Choropleth(cm, spec) {
    this.cm = cm;
    this.spec = spec;
    this.layer = cm.layer(spec.layer);
    var outlines = spec.outlines && cm.layer(spec.outlines);
    if (outlines) { shareShapes(this.layer, outlines); }
    var ev = cm.events, n = ev.n, pidOf = new Map(), g = ev.get;
    spec.keys.forEach(function (key, pid) { pidOf.set(key, pid); });
    // polygon index per event, -1 when its province is not drawn; the key is made once
    // per distinct province and country, not per event
    var pid = this.pid = new Int32Array(n), byProvince = new Map();
    for (var i = 0; i < n; i++) {
      var province = g.province(i), country = g.country(i), byCountry = byProvince.get(province);
      if (!byCountry) { byCountry = new Map(); byProvince.set(province, byCountry); }
      var found = byCountry.get(country);
      if (found === undefined) {
        var key = String(province || "").toLowerCase() + "|" + String(country || "");
        found = pidOf.has(key) ? pidOf.get(key) : -1;
        byCountry.set(country, found);
      }
      pid[i] = found;
    }
    // what each event adds to its province
    this.weight = null;
    if (spec.measure !== "events") {
      var best = g.fatalities_best, weight = this.weight = new Float64Array(n);
      for (i = 0; i < n; i++) { weight[i] = best(i) || 0; }
    }
  }

  Choropleth.prototype.update = function () {
    var cm = this.cm, spec = this.spec, n = cm.events.n, vis = cm.visible, pid = this.pid, weight = this.weight;
    var totals = new Float64Array(spec.keys.length);
    for (var i = 0; i < n; i++) {
      if (vis[i] && pid[i] >= 0) { totals[pid[i]] += weight ? weight[i] : 1; }
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
