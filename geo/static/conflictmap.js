/* geo conflict map: event layers, popups, legend and time control.
 *
 * Everything shown from the data goes through textContent or element attributes, never
 * innerHTML, so text in an input file cannot run as script in the page.
 * The page API lives on window.conflictMap (see README, "Page API").
 */
(function () {
  "use strict";

  var DAY_MS = 86400000;
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var MONTHS_LONG = ["January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"];

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function dayToIso(day) {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }

  function isoToDay(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text));
    if (!m) { throw new Error("expected a date as YYYY-MM-DD, got " + JSON.stringify(text)); }
    return Math.round(Date.UTC(+m[1], +m[2] - 1, +m[3]) / DAY_MS);
  }

  function formatDate(day, precision) {
    var d = new Date(day * DAY_MS);
    var y = d.getUTCFullYear(), mo = d.getUTCMonth();
    if (precision === "year") { return String(y); }
    if (precision === "month") { return MONTHS_LONG[mo] + " " + y; }
    return d.getUTCDate() + " " + MONTHS[mo] + " " + y;
  }

  /* Columns are plain arrays or dictionary-encoded {dict: [...], codes: [...]}. */
  function column(data, name) {
    var col = data.columns[name];
    if (col && !Array.isArray(col)) {
      return function (i) { var c = col.codes[i]; return c < 0 ? null : col.dict[c]; };
    }
    return function (i) { return col ? col[i] : null; };
  }

  function Events(data) {
    this.n = data.n;
    this.get = {};
    for (var name in data.columns) {
      if (Object.prototype.hasOwnProperty.call(data.columns, name)) {
        this.get[name] = column(data, name);
      }
    }
  }
  Events.prototype.record = function (i) {
    var out = {};
    for (var name in this.get) { out[name] = this.get[name](i); }
    return out;
  };

  function radius(style, best) {
    if (best === null || best === undefined || best <= 0) { return style.minRadius; }
    return Math.min(style.maxRadius, style.minRadius + style.scale * Math.sqrt(best));
  }

  function markerStyle(style, color, rec) {
    var approxPlace = rec.geo_precision !== "exact";
    var approxDate = rec.date_precision !== "day";
    return {
      radius: radius(style, rec.fatalities_best !== null ? rec.fatalities_best
        : (rec.fatalities_high !== null ? rec.fatalities_high : rec.fatalities_low)),
      color: color,
      weight: 2,
      opacity: 0.95,
      fillColor: color,
      fillOpacity: approxPlace ? 0.08 : 0.55,
      dashArray: approxDate ? "4 3" : null
    };
  }

  function range(low, best, high) {
    if (low === null && best === null && high === null) { return "not reported"; }
    var parts = [];
    if (best !== null) { parts.push(String(best)); }
    if (low !== null && high !== null && low !== high) {
      parts.push((best !== null ? "(range " : "") + low + "\u2013" + high + (best !== null ? ")" : ""));
    } else if (best === null) {
      parts.push(String(low !== null ? low : high));
    }
    return parts.join(" ");
  }

  function safeUrl(url) {
    try {
      var u = new URL(url, "https://invalid.invalid/");
      return (u.protocol === "http:" || u.protocol === "https:") && /^https?:/i.test(url) ? u.href : null;
    } catch (e) { return null; }
  }

  function row(table, label, value) {
    if (value === null || value === undefined || value === "") { return; }
    var tr = el("tr");
    tr.appendChild(el("th", null, label));
    var td = el("td");
    if (value instanceof Node) { td.appendChild(value); } else { td.textContent = String(value); }
    tr.appendChild(td);
    table.appendChild(tr);
  }

  function popupContent(rec) {
    var box = el("div", "geo-popup");
    box.setAttribute("data-event-id", rec.event_id);
    box.appendChild(el("h3", null, rec.event_type + (rec.sub_event_type ? " \u2013 " + rec.sub_event_type : "")));
    var table = el("table");
    var date = formatDate(rec.date_start, rec.date_precision);
    if (rec.date_end !== rec.date_start && rec.date_precision === "day") {
      date += " \u2013 " + formatDate(rec.date_end, "day");
    }
    row(table, "Date", date + (rec.date_precision !== "day" ? " (" + rec.date_precision + " precision)" : ""));
    var place = [rec.location, rec.admin2, rec.province, rec.country].filter(Boolean).join(", ");
    row(table, "Place", place + " (" + rec.geo_precision + ")");
    if (rec.border_distance_km !== undefined && rec.border_distance_km !== null) {
      row(table, "Border", rec.border_distance_km.toFixed(1) + " km from the Durand Line, " +
        ({AFG: "Afghan side", PAK: "Pakistani side"}[rec.border_side] || "outside both countries"));
    }
    row(table, "Actors", [rec.actor1, rec.actor2].filter(Boolean).join(" vs. "));
    row(table, "Killed", range(rec.fatalities_low, rec.fatalities_best, rec.fatalities_high));
    row(table, "Injured", range(rec.injured_low, rec.injured_best, rec.injured_high));
    row(table, "Figures", rec.fatality_note);
    box.appendChild(table);
    if (rec.summary) { box.appendChild(el("p", "geo-summary", rec.summary)); }
    var sources = rec.sources || [];
    if (sources.length) {
      var list = el("ul", "geo-sources");
      sources.forEach(function (s) {
        var li = el("li");
        var href = s[1] ? safeUrl(s[1]) : null;
        var label = s[0] || s[1];
        if (href) {
          var a = el("a", null, label);
          a.href = href; a.target = "_blank"; a.rel = "noopener noreferrer";
          li.appendChild(a);
        } else {
          li.textContent = label + (s[1] ? " (" + s[1] + ")" : "");
        }
        if (s[2]) { li.appendChild(document.createTextNode(", " + s[2])); }
        list.appendChild(li);
      });
      box.appendChild(el("div", "geo-sources-title", "Sources"));
      box.appendChild(list);
    }
    box.appendChild(el("div", "geo-event-id", rec.event_id));
    return box;
  }

  function tooltipContent(rec) {
    return el("span", null, formatDate(rec.date_start, rec.date_precision) + " \u00b7 " +
      ([rec.location, rec.province].filter(Boolean).join(", ") || rec.country));
  }

  /* ---------- the map object ---------- */

  function ConflictMap(config) {
    this.config = config;
    this.map = config.map;
    this.control = config.control;
    this.events = new Events(config.data);
    this.types = config.types;
    this.layersByName = {};
    this.layerOrder = [];
    this.markers = new Array(this.events.n);
    this.renderer = L.canvas({padding: 0.5, tolerance: 4});
    this.range = config.initialRange.slice();
    this._buildLayers();
    this._registerContext();
    this.applyFilter();
  }

  ConflictMap.prototype._buildLayers = function () {
    var self = this, ev = this.events, style = this.config.style;
    var groups = this.types.map(function (t) { return L.featureGroup(); });
    var typeCol = ev.get.event_type;
    var typeIndex = {};
    this.types.forEach(function (t, k) { typeIndex[t.name] = k; });
    for (var i = 0; i < ev.n; i++) {
      var rec = ev.record(i);
      var k = typeIndex[typeCol(i)];
      var marker = L.circleMarker([rec.lat, rec.lon],
        L.extend({renderer: this.renderer}, markerStyle(style, this.types[k].color, rec)));
      marker.eventIndex = i;
      marker.bindTooltip(function (layer) { return tooltipContent(ev.record(layer.eventIndex)); },
        {direction: "top", sticky: true});
      marker.bindPopup(function (layer) { return popupContent(ev.record(layer.eventIndex)); },
        {maxWidth: 360, minWidth: 240});
      marker.typeIndex = k;
      this.markers[i] = marker;
    }
    this.types.forEach(function (t, k) {
      var group = groups[k];
      self.layersByName[t.name] = group;
      self.layerOrder.push(t.name);
      group.addTo(self.map);
      self.control.addOverlay(group, t.label);
    });
    this.groups = groups;
  };

  ConflictMap.prototype._registerContext = function () {
    var ctx = this.config.contextLayers;
    for (var i = 0; i < ctx.length; i++) {
      this.layersByName[ctx[i].name] = ctx[i].layer;
      this.layerOrder.push(ctx[i].name);
    }
  };

  ConflictMap.prototype.isVisible = function (i) {
    var ev = this.events;
    return ev.get.date_start(i) <= this.range[1] && ev.get.date_end(i) >= this.range[0];
  };

  ConflictMap.prototype.applyFilter = function () {
    var shown = 0;
    for (var i = 0; i < this.events.n; i++) {
      var marker = this.markers[i];
      var group = this.groups[marker.typeIndex];
      var want = this.isVisible(i);
      var has = group.hasLayer(marker);
      if (want && !has) { group.addLayer(marker); }
      if (!want && has) { group.removeLayer(marker); }
      if (want) { shown++; }
    }
    this.shownInRange = shown;
    if (this.onFilter) { this.onFilter(); }
  };

  ConflictMap.prototype.setRange = function (a, b) {
    var lo = Math.min(a, b), hi = Math.max(a, b);
    this.range = [lo, hi];
    this.applyFilter();
  };

  /* ---------- page API ---------- */

  ConflictMap.prototype.api = function () {
    var self = this, ev = this.events;
    return {
      events: function () {
        var ids = [];
        for (var i = 0; i < ev.n; i++) { ids.push(ev.get.event_id(i)); }
        return ids;
      },
      visibleEventIds: function () {
        var ids = [];
        for (var i = 0; i < ev.n; i++) {
          var m = self.markers[i];
          if (self.map.hasLayer(self.groups[m.typeIndex]) && self.groups[m.typeIndex].hasLayer(m)) {
            ids.push(ev.get.event_id(i));
          }
        }
        return ids;
      },
      setDateRange: function (a, b) {
        self.setRange(isoToDay(a), isoToDay(b));
        return [dayToIso(self.range[0]), dayToIso(self.range[1])];
      },
      dateRange: function () { return [dayToIso(self.range[0]), dayToIso(self.range[1])]; },
      layers: function () {
        return self.layerOrder.map(function (name) {
          return {name: name, visible: self.map.hasLayer(self.layersByName[name])};
        });
      },
      setLayerVisible: function (name, visible) {
        var layer = self.layersByName[name];
        if (!layer) { throw new Error("no layer named " + JSON.stringify(name)); }
        if (visible && !self.map.hasLayer(layer)) { self.map.addLayer(layer); }
        if (!visible && self.map.hasLayer(layer)) { self.map.removeLayer(layer); }
        return self.map.hasLayer(layer);
      },
      openPopup: function (id) {
        for (var i = 0; i < ev.n; i++) {
          if (ev.get.event_id(i) === id) {
            var m = self.markers[i];
            if (!self.map.hasLayer(m)) { return false; }
            m.openPopup();
            return true;
          }
        }
        throw new Error("no event with id " + JSON.stringify(id));
      },
      map: self.map
    };
  };

  window.GeoConflictMap = {
    init: function (config) {
      var cm = new ConflictMap(config);
      window.conflictMap = cm.api();
      window.conflictMap._impl = cm;
      if (window.GeoConflictMap.onInit) { window.GeoConflictMap.onInit.forEach(function (f) { f(cm); }); }
      document.documentElement.setAttribute("data-conflict-map", "ready");
      return cm;
    },
    onInit: [],
    util: {el: el, dayToIso: dayToIso, isoToDay: isoToDay, formatDate: formatDate, radius: radius}
  };
})();
