/* geo page, load order 3 of 18 (see STATIC_JS in geo/render/page.py): what a popup and a
 * tooltip say about an event, the popup of several events drawn on one spot, and where a
 * popup opens (fitted to the room the panels leave, the view given back when it closes).
 * Needs helpers.js and core.js. Defines GeoPage.popups.
 *
 * Rows come from the embedded columns: a format's own fields (ACLED's disorder type,
 * UCDP's dyad...) show only where the page carries them. Text is set with textContent;
 * only http(s) source links become links.
 */
(function () {
  "use strict";

  var H = GeoPage.helpers, el = GeoPage.util.el, formatDate = H.formatDate;

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
    if (!/^https?:\/\//i.test(url)) { return null; }
    try { return new URL(url).href; } catch (_e) { return null; }
  }

  function row(table, label, value) {
    if (value === null || value === undefined || value === "") { return; }
    var tr = el("tr");
    tr.appendChild(el("th", null, label));
    tr.appendChild(el("td", null, value));
    table.appendChild(tr);
  }

  function sourceList(sources) {
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
        li.textContent = label + (s[1] && s[0] ? " (" + s[1] + ")" : "");
      }
      if (s[2]) { li.appendChild(document.createTextNode(", " + s[2])); }
      list.appendChild(li);
    });
    return list;
  }

  /* A value is given when the column exists in the page and the event has one. */
  function given(value) { return value !== null && value !== undefined; }

  function withAssociated(actor, associated) {
    if (!associated) { return actor || ""; }
    return (actor ? actor + " " : "") + "(with " + associated + ")";
  }

  /* UCDP's breakdown of the best estimate: "side A 3 · side B 5 · civilians 2 · unknown 0". */
  function deathsByParty(rec) {
    return [["side A", rec.deaths_side_a], ["side B", rec.deaths_side_b],
      ["civilians", rec.deaths_civilians], ["unknown", rec.deaths_unknown]]
      .filter(function (p) { return given(p[1]); })
      .map(function (p) { return p[0] + " " + p[1]; }).join(" \u00b7 ");
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
    var place = [rec.location, rec.admin3, rec.admin2, rec.province, rec.country].filter(function (part, k, all) {
      return part && all.indexOf(part) === k;  // "Kabul, Kabul, Kabul" says it once
    }).join(", ");
    row(table, "Place", place + " (" + (rec.geo_precision === "exact" ? "exact place" : rec.geo_precision + " precision") + ")");
    if (rec.border_distance_km !== undefined && rec.border_distance_km !== null) {
      row(table, "Border", rec.border_distance_km.toFixed(1) + " km from the Durand Line, " +
        ({AFG: "Afghan side", PAK: "Pakistani side"}[rec.border_side] || "outside both countries"));
    }
    row(table, "Actors", [withAssociated(rec.actor1, rec.assoc_actor1),
      withAssociated(rec.actor2, rec.assoc_actor2)].filter(Boolean).join(" vs. "));
    row(table, "Conflict", rec.conflict_name);
    row(table, "Dyad", rec.dyad_name);
    row(table, "Disorder", rec.disorder_type);
    row(table, "Interaction", rec.interaction);
    row(table, "Targeting", /^civilian targeting$/i.test(rec.civilian_targeting || "")
      ? "Civilians were the target (civilian targeting)" : rec.civilian_targeting);
    row(table, "Killed", range(rec.fatalities_low, rec.fatalities_best, rec.fatalities_high));
    row(table, "Deaths by party", deathsByParty(rec));
    // a format without injury figures (ACLED) has none in any event: say nothing, not "not reported"
    if (given(rec.injured_low) || given(rec.injured_best) || given(rec.injured_high)) {
      row(table, "Injured", range(rec.injured_low, rec.injured_best, rec.injured_high));
    }
    row(table, "Figures", rec.fatality_note);
    box.appendChild(table);
    if (rec.summary) { box.appendChild(el("p", "geo-summary", rec.summary)); }
    if (rec.sources && rec.sources.length) {
      box.appendChild(el("div", "geo-sources-title", "Sources"));
      box.appendChild(sourceList(rec.sources));
    }
    if (rec.source_scale) { box.appendChild(el("div", "geo-source-scale", "Source scale: " + rec.source_scale)); }
    box.appendChild(el("div", "geo-event-id", rec.event_id));
    return box;
  }

  function tooltipContent(rec) {
    return el("span", null, formatDate(rec.date_start, rec.date_precision) + " \u00b7 " +
      ([rec.location, rec.province].filter(Boolean).join(", ") || rec.country || rec.event_id));
  }

  /* "N events here": one entry per event, newest first; each opens to its full card. */
  function stackContent(records) {
    var box = el("div", "geo-stack");
    box.appendChild(el("h3", null, records.length + " events here"));
    box.appendChild(el("p", "geo-stack-hint", "Newest first; open one for its details."));
    var list = el("ol", "geo-stack-list");
    records.forEach(function (rec) {
      var item = el("li");
      var details = el("details");
      details.setAttribute("data-event-id", rec.event_id);
      var killed = rec.fatalities_best !== null && rec.fatalities_best !== undefined
        ? " \u00b7 " + rec.fatalities_best + " killed" : "";
      var summary = el("summary", null, formatDate(rec.date_start, rec.date_precision) + " \u00b7 " +
        (rec.sub_event_type && rec.sub_event_type !== "Other" ? rec.sub_event_type : rec.event_type) + killed);
      details.appendChild(summary);
      // the card is built when opened: a stack of hundreds stays quick
      details.addEventListener("toggle", function () {
        if (details.open && !details.querySelector(".geo-popup")) { details.appendChild(popupContent(rec)); }
      });
      item.appendChild(details);
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  }

  /* ---------- where a popup opens, and the view it leaves ----------
   * Leaflet opens a popup above its point and pans the map until all of it is in view: a
   * long card moved the map by hundreds of pixels and left it there. Here a card is no
   * taller than the room between its point and the top of the free room (its content
   * scrolls), though never shorter than LEAST_SHARE of that room, and it slides sideways,
   * its tip still on the event, before the map has to pan for its width. Whatever pan is
   * left (an event near the top edge or out of view) is undone when the popup closes,
   * unless the reader moved or zoomed the map meanwhile. */
  var LEAST_SHARE = 0.4, LEAST_PX = 120, TIP_CLEAR = 32;

  function padding(opts, corner) {
    var p = opts[corner] || opts.autoPanPadding || [5, 5];
    return L.point(p);
  }

  /* Opened with autoPan off and laid out; fit it, then let Leaflet pan for what is left. */
  function fit(map, popup, opts) {
    var node = popup.getElement(), content = node && node.querySelector(".leaflet-popup-content");
    if (!content) { return; }
    var size = map.getSize(), box = map.getContainer().getBoundingClientRect(), r = node.getBoundingClientRect();
    var tl = padding(opts, "autoPanPaddingTopLeft"), br = padding(opts, "autoPanPaddingBottomRight");
    var chrome = r.height - content.offsetHeight;  // the card's margins, border and tip
    var room = size.y - tl.y - br.y - chrome;
    var above = r.bottom - box.top - tl.y - chrome;  // the popup's bottom stays where its point is
    var most = opts.maxHeight || Infinity;
    var least = Math.min(most, Math.max(LEAST_PX, Math.round(room * LEAST_SHARE)));
    var height = Math.floor(Math.max(least, Math.min(most, above)));
    popup.options.maxHeight = height;
    // content that scrolls by itself (the stack's list) takes the same height
    if (content.firstChild && content.firstChild.style && content.firstChild.style.maxHeight) {
      content.firstChild.style.maxHeight = height + "px";
    }
    popup.update();  // autoPan is still off: this lays the card out at its new height
    var w = node.offsetWidth, x = map.latLngToContainerPoint(popup.getLatLng()).x;
    var left = x - w / 2, right = x + w / 2, shift = 0;
    if (w <= size.x - tl.x - br.x) {
      if (left < tl.x) { shift = tl.x - left; } else if (right > size.x - br.x) { shift = size.x - br.x - right; }
    }
    var reach = Math.max(0, w / 2 - TIP_CLEAR);
    shift = Math.round(Math.max(-reach, Math.min(reach, shift)));
    var offset = L.point(opts.offset || [0, 7]);
    popup.options.offset = [offset.x + shift, offset.y];
    var tip = node.querySelector(".leaflet-popup-tip-container");
    if (tip) { tip.style.left = shift ? "calc(50% - " + shift + "px)" : ""; }
  }

  /* Open `content` at `latlng` with Leaflet popup options `opts`, fitted as above. */
  function open(map, latlng, content, opts) {
    var first = {};
    Object.keys(opts).forEach(function (k) { first[k] = opts[k]; });
    first.autoPan = false;
    var popup = L.popup(first).setLatLng(latlng).setContent(content).openOn(map);
    fit(map, popup, opts);
    popup.options.autoPan = opts.autoPan !== false;
    popup.update();  // now Leaflet pans for whatever still does not fit
    return popup;
  }

  function view(map) { return {center: map.getCenter(), zoom: map.getZoom()}; }

  function same(map, a, b) {
    if (!a || !b || a.zoom !== b.zoom) { return false; }
    return map.project(a.center, a.zoom).distanceTo(map.project(b.center, b.zoom)) < 1;
  }

  /* Give the view back when a popup that panned the map closes. `home` is the view before
   * the first popup pan, `moved` the view that pan (or the last of several) left; the view
   * goes home only if it is still `moved` when no popup is open any more. */
  function keepView(map) {
    var home = null, moved = null, panning = false;
    map.on("autopanstart", function () {
      // a popup that follows another one without a move of the reader's keeps the first home
      if (!(home && panning) && !(home && same(map, view(map), moved))) { home = view(map); }
      panning = true;
    });
    map.on("moveend", function () {
      if (panning) { panning = false; moved = view(map); }
    });
    map.on("popupclose", function () {
      // deferred: a click on another event closes this popup and opens that one in one go
      window.setTimeout(function () {
        if (!home || (map._popup && map.hasLayer(map._popup))) { return; }
        var back = home, stay = !panning && !same(map, view(map), moved);
        home = moved = null;
        panning = false;
        if (!stay) { map.setView(back.center, back.zoom); }
      }, 0);
    });
  }

  GeoPage.popups = {popupContent: popupContent, tooltipContent: tooltipContent, stackContent: stackContent,
    open: open, keepView: keepView};
})();
