/* geo conflict map: the view lives in the page address (#start=...&end=...&hide=...&view=...),
 * so a filtered map can be bookmarked or sent as a link and opens the same way. */
(function () {
  "use strict";

  /* Only these keys are read, each checked against what it may hold: a link is input from
   * anyone (`#hide=__proto__`, a malformed `%` escape) and must never break the page. */
  var KEYS = {start: /^\d{4}-\d{2}-\d{2}$/, end: /^\d{4}-\d{2}-\d{2}$/, hide: /^[^]*$/, view: /^[-\d.,]+$/};

  function read() {
    var out = Object.create(null);
    window.location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var kv = part.split("="), key, value;
      if (kv.length !== 2) { return; }
      try { key = decodeURIComponent(kv[0]); value = decodeURIComponent(kv[1]); } catch (e) { return; }
      if (Object.prototype.hasOwnProperty.call(KEYS, key) && KEYS[key].test(value)) { out[key] = value; }
    });
    return out;
  }

  function apply(cm, state) {
    var util = GeoConflictMap.util;
    if (state.start && state.end) {
      try { cm.setRange(util.isoToDay(state.start), util.isoToDay(state.end)); } catch (e) { /* ignore a bad link */ }
    }
    if (state.hide) {
      state.hide.split(",").forEach(function (name) {
        if (cm.layerOrder.indexOf(name) < 0 || cm.baseNames[name] === true) { return; }
        var layer = cm.layersByName[name];
        if (layer && cm.map.hasLayer(layer)) { cm.map.removeLayer(layer); }
      });
    }
    var view = (state.view || "").split(",").map(Number);
    if (view.length === 3 && view.every(isFinite) && Math.abs(view[0]) <= 90 &&
        Math.abs(view[1]) <= 360 && view[2] >= 0 && view[2] <= 22) {
      cm.map.setView([view[0], view[1]], view[2]);
    }
  }

  function write(cm) {
    var util = GeoConflictMap.util, c = cm.map.getCenter();
    var hidden = cm.layerOrder.filter(function (name) {
      return !cm.baseNames[name] && !cm.map.hasLayer(cm.layersByName[name]);
    });
    var parts = ["start=" + util.dayToIso(cm.range[0]), "end=" + util.dayToIso(cm.range[1])];
    if (hidden.length) { parts.push("hide=" + hidden.map(encodeURIComponent).join(",")); }
    parts.push("view=" + c.lat.toFixed(4) + "," + c.lng.toFixed(4) + "," + cm.map.getZoom());
    try { window.history.replaceState(null, "", "#" + parts.join("&")); } catch (e) { /* sandboxed frame */ }
  }

  GeoConflictMap.onInit.push(function (cm) {
    apply(cm, read());
    var pending = null;
    function later() {
      if (pending) { window.clearTimeout(pending); }
      pending = window.setTimeout(function () { pending = null; write(cm); }, 200);
    }
    cm.filterListeners.push(later);
    cm.map.on("moveend overlayadd overlayremove layeradd layerremove", later);
    window.conflictMap.permalink = function () { write(cm); return window.location.href; };
  });
})();
