/* geo change map, load order 1 of 1 (see CHANGE_JS in geo/render/change_page.py; it runs after the
 * main page's helpers.js, which decodes the drawn context layers): the page of
 * `geo diff --map OUT.html`, apart from the main map's scripts.
 *
 * Reads one configuration (geo.render.change_page.change_page): `title` (the one-line
 * correction), `kinds` (each kind of change: its label with the count, colours and SVG path,
 * in the legend's order), `events` (`[kind, lat, lon, id, date, type, place, [[field, old,
 * new], ...], sources]`), `credits`, `frame` (the box to show) and `offlineName`; the init script adds
 * the Leaflet `map`, the first `tiles` layer and the `offline` basemap.
 *
 * Every text comes from data or a user: it is set with textContent or as an attribute,
 * never parsed as markup. Sets <html data-conflict-map="ready"> once drawn.
 */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function symbol(kind, size) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 20 20");
    svg.setAttribute("width", String(size));
    svg.setAttribute("height", String(size));
    svg.setAttribute("aria-hidden", "true");
    var path = document.createElementNS(SVG, "path");
    path.setAttribute("d", kind.path);
    path.setAttribute("fill", kind.face);
    path.setAttribute("stroke", kind.edge);
    path.setAttribute("stroke-width", "1.5");
    svg.appendChild(path);
    return svg;
  }

  function box(position, cls, build) {
    var Control = L.Control.extend({
      onAdd: function () {
        var node = el("div", "geo-changes-box " + cls);
        build(node);
        L.DomEvent.disableClickPropagation(node);
        L.DomEvent.disableScrollPropagation(node);
        return node;
      },
    });
    return new Control({ position: position });
  }

  function popup(kind, ev) {
    var node = el("div", "geo-changes-popup");
    node.appendChild(el("div", "geo-changes-what", kind.kind === "changed" ? "Revised" : kind.kind === "added" ? "Added" : "Removed"));
    node.appendChild(el("div", "geo-changes-id", ev[3]));
    var facts = [ev[4], ev[5], ev[6]].filter(function (t) { return t; });
    if (facts.length) node.appendChild(el("div", "geo-changes-facts", facts.join(" · ")));
    if (kind.kind === "removed") node.appendChild(el("div", "geo-changes-note", "Shown where it was before its removal"));
    if (ev[7].length) {
      var list = el("ul", "geo-changes-fields");
      ev[7].forEach(function (f) {
        var item = el("li");
        item.appendChild(el("span", "geo-changes-field", f[0] + ": "));
        item.appendChild(el("span", "geo-changes-old", f[1]));
        item.appendChild(document.createTextNode(" \u2192 "));
        item.appendChild(el("span", "geo-changes-new", f[2]));
        list.appendChild(item);
      });
      node.appendChild(list);
    }
    if (ev[8]) node.appendChild(el("div", "geo-changes-sources", "Sources: " + ev[8]));
    return node;
  }

  function markers(config, room) {
    var z = { added: 300, changed: 200, removed: 100 };
    config.events.forEach(function (ev) {
      var kind = config.kinds[ev[0]];
      var holder = el("span", "geo-changes-marker");
      holder.setAttribute("data-kind", kind.kind);
      holder.appendChild(symbol(kind, 18));
      var marker = L.marker([ev[1], ev[2]], {
        icon: L.divIcon({ html: holder, className: "geo-changes-icon", iconSize: [18, 18], iconAnchor: [9, 9] }),
        title: kind.label.replace(/ \(.*\)$/, "") + ": " + ev[3],
        alt: kind.kind,
        zIndexOffset: z[kind.kind] || 0,
        riseOnHover: true,
      });
      marker.bindPopup(function () { return popup(kind, ev); }, {
        maxWidth: 320,
        maxHeight: room.height,
        autoPanPaddingTopLeft: room.topLeft,
        autoPanPaddingBottomRight: [20, 20],
      });
      marker.addTo(config.map);
    });
  }

  // the room a popup has: under the title box (one array, updated in place, which every
  // popup reads when it pans into view) and at most this tall
  function room(map, title) {
    var out = { topLeft: [20, 20], height: 300 };
    function measure() {
      var box = title.getBoundingClientRect();
      var frame = map.getContainer().getBoundingClientRect();
      out.topLeft[1] = Math.round(box.bottom - frame.top + 12);
      out.height = Math.max(140, Math.round(frame.height - out.topLeft[1] - 90));
    }
    measure();
    map.on("resize", measure);
    return out;
  }

  function init(config) {
    var map = config.map;
    var title = box("topleft", "geo-changes-title", function (node) {
      node.appendChild(el("h1", null, config.title));
    });
    title.addTo(map);
    box("bottomright", "geo-changes-legend", function (node) {
      node.appendChild(el("div", "geo-changes-head", "What changed"));
      config.kinds.forEach(function (kind) {
        var row = el("div", "geo-changes-row");
        row.setAttribute("data-kind", kind.kind);
        row.setAttribute("data-count", String(kind.count));
        row.appendChild(symbol(kind, 14));
        row.appendChild(el("span", null, kind.label));
        node.appendChild(row);
      });
    }).addTo(map);
    if (config.credits.length) {
      box("bottomleft", "geo-changes-credits", function (node) {
        node.appendChild(el("span", null, "Sources: " + config.credits.join("; ")));
      }).addTo(map);
    }
    markers(config, room(map, title.getContainer()));
    // the background tiles need the network: without it, the vector basemap instead
    var switched = false;
    config.tiles.on("tileerror", function () {
      if (switched) return;
      switched = true;
      map.removeLayer(config.tiles);
      map.addLayer(config.offline);
    });
    map.fitBounds(config.frame, { padding: [24, 24] });
    window.conflictMap = {
      counts: function () {
        var out = {};
        config.kinds.forEach(function (k) { out[k.kind] = k.count; });
        return out;
      },
    };
    document.documentElement.dataset.conflictMap = "ready";
  }

  window.GeoChanges = { init: init };
})();
