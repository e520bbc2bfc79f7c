/* geo page, load order 18 of 18 (see STATIC_JS in geo/render/page.py): the view lives in
 * the page address, so a filtered map can be bookmarked or sent as a link and opens the
 * same way. Loaded last: it applies the address once every plugin is in place.
 *
 * #start=2025-10-01&end=2025-10-31      the date range
 * &hide=Battles,Event%20points          layers switched off (each name escaped, then joined)
 * &show=Density%3A%20heat               layers switched on that are off by default
 * &actor=...&sub=...&prov=...           filters: actors, sub-event types, provinces (lists)
 * &minfat=10&q=drone%20strike           minimum fatalities, free-text search
 * &step=month&speed=2&mode=cumulative&len=3   playback
 * &measure=fatalities                   what the density layers count
 * &hl=off                               the build's highlight switched off
 * &view=33.2,67.7,6                     the map view
 */
(function () {
  "use strict";

  var DAY = /^\d{4}-\d{2}-\d{2}$/;
  /* Only these keys are read, each checked against what it may hold: a link is input from
   * anyone (`#hide=__proto__`, a malformed `%` escape) and must never break the page.
   * Lists are checked again, item by item, against the names the page knows. */
  var KEYS = {start: DAY, end: DAY, hide: /^[\s\S]*$/, show: /^[\s\S]*$/, view: /^[-\d.,]+$/,
    actor: /^[\s\S]*$/, sub: /^[\s\S]*$/, prov: /^[\s\S]*$/, minfat: /^\d{1,7}$/, q: /^[\s\S]{0,200}$/,
    step: /^(day|week|month|quarter|year)$/, speed: /^(0\.5|1|2|4)$/, mode: /^(window|cumulative)$/,
    len: /^(1|2|3|6|12)$/, measure: /^(events|fatalities)$/, hl: /^off$/};
  var LISTS = {hide: true, show: true, actor: true, sub: true, prov: true};

  function decode(text) {
    try { return decodeURIComponent(text); } catch (_e) { return null; }
  }

  function read() {
    var out = Object.create(null);
    window.location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var kv = part.split("="), key;
      if (kv.length !== 2 || (key = decode(kv[0])) === null) { return; }
      if (!Object.hasOwn(KEYS, key)) { return; }
      if (LISTS[key]) {
        var items = kv[1].split(",").map(decode);
        if (items.some(function (v) { return v === null; })) { return; }
        out[key] = items.filter(Boolean);
        return;
      }
      var value = decode(kv[1]);
      if (value !== null && KEYS[key].test(value)) { out[key] = value; }
    });
    return out;
  }

  function list(names) { return names.map(encodeURIComponent).join(","); }

  function apply(cm, state) {
    var util = GeoPage.util;
    if (state.start && state.end) {
      try { cm.setRange(util.isoToDay(state.start), util.isoToDay(state.end)); } catch (_e) { /* ignore a bad link */ }
    }
    function known(name) { return cm.layerNames().indexOf(name) >= 0 && !cm.isBase(name); }
    (state.show || []).forEach(function (name) {
      if (known(name) && !cm.map.hasLayer(cm.layer(name))) { cm.map.addLayer(cm.layer(name)); }
    });
    (state.hide || []).forEach(function (name) {
      if (known(name) && cm.map.hasLayer(cm.layer(name))) { cm.map.removeLayer(cm.layer(name)); }
    });
    if (state.measure && cm.setDensityMeasure) { cm.setDensityMeasure(state.measure); }
    if (state.hl === "off") { cm.setHighlight(false); }
    var filter = {};
    if (state.actor) { filter.actors = state.actor; }
    if (state.sub) { filter.subEventTypes = state.sub; }
    if (state.prov) { filter.provinces = state.prov; }
    if (state.minfat) { filter.minFatalities = +state.minfat; }
    if (state.q) { filter.text = state.q; }
    if (Object.keys(filter).length) { cm.setFilter(filter); }
    if (cm.timeControl && (state.step || state.speed || state.mode || state.len)) {
      cm.timeControl.setPlayback({step: state.step, speed: state.speed, mode: state.mode, length: state.len});
    }
    var view = (state.view || "").split(",").map(Number);
    if (view.length === 3 && view.every(Number.isFinite) && Math.abs(view[0]) <= 90 &&
        Math.abs(view[1]) <= 360 && view[2] >= 0 && view[2] <= 22) {
      cm.map.setView([view[0], view[1]], view[2]);
    }
  }

  function write(cm, defaults) {
    var util = GeoPage.util, c = cm.map.getCenter(), f = cm.filter;
    var display = GeoPage.DISPLAY, auto = {};
    Object.keys(display).forEach(function (k) { auto[display[k]] = true; });
    var hidden = [], shown = [];
    cm.layerNames().forEach(function (name) {
      if (cm.isBase(name) || (cm.autoDensity && auto[name])) { return; }  // drawn as the data asks
      var on = cm.map.hasLayer(cm.layer(name));
      if (defaults[name] && !on) { hidden.push(name); }
      if (!defaults[name] && on) { shown.push(name); }
    });
    var parts = ["start=" + util.dayToIso(cm.range[0]), "end=" + util.dayToIso(cm.range[1])];
    if (hidden.length) { parts.push("hide=" + list(hidden)); }
    if (shown.length) { parts.push("show=" + list(shown)); }
    if (f.actors.length) { parts.push("actor=" + list(f.actors)); }
    if (f.subEventTypes.length) { parts.push("sub=" + list(f.subEventTypes)); }
    if (f.provinces.length) { parts.push("prov=" + list(f.provinces)); }
    if (f.minFatalities > 0) { parts.push("minfat=" + f.minFatalities); }
    if (f.text) { parts.push("q=" + encodeURIComponent(f.text)); }
    if (cm.densityMeasure !== "events") { parts.push("measure=" + cm.densityMeasure); }
    if (cm.highlight && !cm.highlightOn) { parts.push("hl=off"); }
    var tc = cm.timeControl;
    if (tc) {
      var pb = tc.playback;
      if (pb.step !== tc.unit) { parts.push("step=" + pb.step); }
      if (pb.speed !== 1) { parts.push("speed=" + pb.speed); }
      if (pb.mode !== "window") { parts.push("mode=" + pb.mode); }
      if (pb.length !== 1) { parts.push("len=" + pb.length); }
    }
    parts.push("view=" + c.lat.toFixed(4) + "," + c.lng.toFixed(4) + "," + cm.map.getZoom());
    try { window.history.replaceState(null, "", "#" + parts.join("&")); } catch (_e) { /* sandboxed frame */ }
  }

  GeoPage.plugin(function (cm) {
    // what the page shows by itself; the address records only the differences
    var defaults = Object.create(null);
    cm.layerNames().forEach(function (name) { defaults[name] = cm.map.hasLayer(cm.layer(name)); });
    Object.keys(GeoPage.DISPLAY).forEach(function (k) { defaults[GeoPage.DISPLAY[k]] = k === "points"; });
    apply(cm, read());
    var pending = null;
    function later() {
      if (pending) { window.clearTimeout(pending); }
      pending = window.setTimeout(function () { pending = null; write(cm, defaults); }, 200);
    }
    cm.on("filter", later);
    cm.on("playback", later);
    cm.map.on("moveend overlayadd overlayremove layeradd layerremove", later);
    window.conflictMap.permalink = function () { write(cm, defaults); return window.location.href; };
  });
})();
