/* geo page, load order 14 of 18 (see STATIC_JS in geo/render/page.py): download the
 * events shown as CSV or GeoJSON, made in the page (offline, in a frame too). Needs
 * report.js (the tools box it joins).
 *
 * Columns: config.exportColumns (the canonical columns the page carries, in order), then
 * source_names, source_urls, latitude, longitude and the export mark, as `geo export`
 * writes them, by the rule of config.csv (GeoPage.helpers.csvCell: a text cell a spreadsheet
 * would run as a formula, or one that starts with an apostrophe, gets one more). GeoJSON is
 * written with JSON.stringify. File names: the title, the dates and the filters, reduced
 * to letters, digits, dot, dash and underscore (helpers.safeFileName).
 * Off (no menu; exportData and download throw) when config.download is false: a source's
 * terms forbid sharing the rows (geo/terms.py) and --allow-download was not given.
 */
(function () {
  "use strict";

  var H = GeoPage.helpers, util = GeoPage.util;
  var NUMERIC = /^(fatalities_|injured_|deaths_|border_distance_km$)/;

  function sourcesOf(ev, i) {
    return (ev.get.sources ? ev.get.sources(i) || [] : []).map(function (s) {
      var out = {name: s[0] || ""};
      if (s[1]) { out.url = s[1]; }
      if (s[2]) { out.date = s[2]; }
      return out;
    });
  }

  /* Column values of event i, as `geo export` writes them. */
  function values(cm, i) {
    var ev = cm.events, out = {};
    (cm.config.exportColumns || []).forEach(function (name) {
      if (name === "date_start") { out[name] = H.dayToIso(ev.start[i]); return; }
      if (name === "date_end") { out[name] = H.dayToIso(ev.end[i]); return; }
      if (name === "sources") { out[name] = sourcesOf(ev, i); return; }
      var get = ev.get[name], v = get ? get(i) : null;
      if (name === "in_border_belt" && v !== null && v !== undefined) { v = !!v; }
      out[name] = v === undefined ? null : v;
    });
    return out;
  }

  function shownIndices(cm) {
    var out = [], vis = cm.visible;
    for (var i = 0; i < vis.length; i++) { if (vis[i]) { out.push(i); } }
    return out;
  }

  function csv(cm) {
    var cols = cm.config.exportColumns || [], ev = cm.events, spec = cm.config.csv;
    var rule = H.csvRule(spec);
    var head = cols.concat(["source_names", "source_urls", "latitude", "longitude", spec.mark]);
    var rows = [H.csvRow(head, rule)];
    shownIndices(cm).forEach(function (i) {
      var v = values(cm, i), srcs = v.sources || sourcesOf(ev, i);
      var cells = cols.map(function (name) {
        var x = v[name];
        if (name === "sources" || name === "tags") { return JSON.stringify(x || []); }
        if (typeof x === "boolean") { return x ? "true" : "false"; }
        if (x !== null && NUMERIC.test(name)) { return Number(x); }
        return x;
      });
      cells.push(srcs.map(function (s) { return s.name; }).join(" | "));
      cells.push(srcs.filter(function (s) { return s.url; }).map(function (s) { return s.url; }).join(" | "));
      cells.push(ev.lat[i], ev.lon[i], spec.markValue);
      rows.push(H.csvRow(cells, rule));
    });
    return rows.join("");
  }

  function geojson(cm) {
    var ev = cm.events;
    var features = shownIndices(cm).map(function (i) {
      return {type: "Feature", geometry: {type: "Point", coordinates: [ev.lon[i], ev.lat[i]]}, properties: values(cm, i)};
    });
    return JSON.stringify({type: "FeatureCollection", features: features}, null, 1) + "\n";
  }

  /* "durand-line-conflict-map_2025-10-01_2025-10-31_actor-x_min10-killed". */
  function fileName(cm) {
    var f = cm.filter, parts = [cm.config.title || "events", H.dayToIso(cm.range[0]), H.dayToIso(cm.range[1])];
    if (f.actors.length) { parts.push("actor-" + f.actors.join("-")); }
    if (f.subEventTypes.length) { parts.push(f.subEventTypes.join("-")); }
    if (f.provinces.length) { parts.push(f.provinces.join("-")); }
    if (f.minFatalities > 0) { parts.push("min" + f.minFatalities + "-killed"); }
    if (f.text) { parts.push("q-" + f.text); }
    if (cm.stats.hiddenTypes.length) { parts.push("without-" + cm.stats.hiddenTypes.join("-")); }
    return H.safeFileName(parts.map(H.safeFileName).join("_"));
  }

  function exportData(cm, format) {
    if (format !== "csv" && format !== "geojson") { throw new Error("format must be csv or geojson"); }
    return {name: fileName(cm) + "." + format, rows: cm.shown,
      text: format === "csv" ? csv(cm) : geojson(cm),
      type: format === "csv" ? "text/csv;charset=utf-8" : "application/geo+json"};
  }

  function save(data) {
    var url = URL.createObjectURL(new Blob([data.text], {type: data.type}));
    var a = util.el("a");
    a.href = url;
    a.download = data.name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    window.setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
  }

  function menu(cm) {
    var tools = cm.map.getContainer().querySelector(".geo-tools");
    var wrap = util.el("div", "geo-download");
    var open = util.button("", "geo-download-toggle", "Download the events shown");
    open.appendChild(util.icon("M12 4v11M7 10l5 5 5-5M5 20h14"));
    open.appendChild(util.el("span", "geo-button-text", "Download"));
    open.setAttribute("aria-expanded", "false");
    var box = util.el("div", "geo-download-menu");
    box.hidden = true;
    box.id = "geo-download-menu";
    open.setAttribute("aria-controls", box.id);
    open.addEventListener("click", function () {
      box.hidden = !box.hidden;
      open.setAttribute("aria-expanded", String(!box.hidden));
      if (!box.hidden) { refresh(); }
    });
    var buttons = ["csv", "geojson"].map(function (format) {
      var b = util.button("", "geo-download-" + format);
      b.addEventListener("click", function () { save(exportData(cm, format)); });
      box.appendChild(b);
      return [format, b];
    });
    function refresh() {
      buttons.forEach(function (pair) {
        pair[1].textContent = (pair[0] === "csv" ? "CSV" : "GeoJSON") + " \u00b7 " + cm.shown +
          (cm.shown === 1 ? " event" : " events");
      });
    }
    cm.on("filter", function () { if (!box.hidden) { refresh(); } });
    wrap.appendChild(open);
    wrap.appendChild(box);
    if (tools) { tools.insertBefore(wrap, tools.querySelector(".geo-copied")); } else {
      var control = L.control({position: "topright"});
      control.onAdd = function () { L.DomEvent.disableClickPropagation(wrap); return wrap; };
      control.addTo(cm.map);
    }
  }

  GeoPage.plugin(function (cm) {
    if (cm.config.download === false) {
      /* the sources' terms forbid sharing the rows (geo/terms.py): no menu, no rows */
      window.conflictMap.exportData = window.conflictMap.download = function () {
        throw new Error("row download is off for this page: its data's terms do not allow it (see Sources and methods)");
      };
      return;
    }
    menu(cm);
    /* {name, rows, text, type} of the events shown; download() also saves the file. */
    window.conflictMap.exportData = function (format) {
      var d = exportData(cm, format);
      return {name: d.name, rows: d.rows, text: d.text};
    };
    window.conflictMap.download = function (format) {
      var d = exportData(cm, format);
      save(d);
      return {name: d.name, rows: d.rows};
    };
  });
})();
