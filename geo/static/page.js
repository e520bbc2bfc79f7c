/* geo page, load order 7 of 16 (see STATIC_JS in geo/render/page.py): the title box, data attributions, and the switch to the offline basemap
 * when map tiles cannot load. */
(function () {
  "use strict";

  function titleBox(cm) {
    var util = GeoPage.util;
    var control = L.control({position: "topleft"});
    control.onAdd = function () {
      var box = util.el("header", "geo-title leaflet-bar");
      var h1 = util.el("h1", null, cm.config.title);
      h1.title = cm.config.title;  // the whole title when a small frame cuts it short
      box.appendChild(h1);
      // the live caption: count, dates and hidden types of the view (cm.caption())
      var caption = util.el("p", "geo-caption");
      caption.setAttribute("aria-live", "polite");
      box.appendChild(caption);
      if (cm.config.description) { box.appendChild(util.el("p", "geo-description", cm.config.description)); }
      box.appendChild(util.el("p", "geo-notice"));
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    control.addTo(cm.map);
    cm.titleControl = control;
    cm.on("filter", caption);
    caption(cm);
  }

  function caption(cm) {
    var node = cm.titleControl.getContainer().querySelector(".geo-caption");
    if (node) { node.textContent = cm.caption(); }
    emptyNote(cm);
  }

  /* Nothing shown (an empty build, or a date range or types with no event): say so. */
  function emptyNote(cm) {
    var util = GeoPage.util, container = cm.map.getContainer();
    var note = container.querySelector(".geo-empty");
    if (!note) {
      note = util.el("div", "geo-empty");
      note.setAttribute("role", "status");
      L.DomEvent.disableClickPropagation(note);
      container.appendChild(note);
    }
    var s = cm.stats, r = cm.range;
    if (s.shown > 0) { note.hidden = true; note.textContent = ""; return; }
    var text;
    if (s.total === 0 && cm.config.emptyNote) {
      text = cm.config.emptyNote + ".";
    } else {
      text = "No events " + (r[0] === r[1] ? "on " + util.formatDate(r[0], "day")
        : "between " + util.formatDate(r[0], "day") + " and " + util.formatDate(r[1], "day"));
      // inRange counts the events in the dates that pass the filters: when some do, the
      // type switches hid them; when none do and a filter is set, the filters chose nothing
      if (s.inRange > 0) { text += " in the event types switched on"; }
      else if (cm.filterActive()) { text += " that match the filters set"; }
      text += ".";
    }
    note.textContent = text;
    note.hidden = false;
  }

  /* Attribution strings were escaped when the page was built: they are text. */
  function attributions(cm) {
    (cm.config.attributions || []).forEach(function (text) {
      cm.map.attributionControl.addAttribution(text);
    });
    // a small frame shows the credits on one line; a tap shows them whole
    var node = cm.map.attributionControl.getContainer();
    node.addEventListener("click", function (e) {
      if (e.target.tagName !== "A") { L.DomUtil[L.DomUtil.hasClass(node, "geo-open") ? "removeClass" : "addClass"](node, "geo-open"); }
    });
  }

  /* If the visible tile layer fails several tiles before loading any, show the offline
   * basemap instead, without a word to the reader. This happens once: a tile layer the
   * user picks afterwards stays, even if it fails too. */
  function offlineFallback(cm) {
    var name = cm.config.offlineBase, offline = name && cm.layer(name);
    if (!offline) { return; }
    (cm.config.baseLayers || []).forEach(function (entry) {
      var layer = entry.layer, failed = 0, loaded = 0;
      if (entry.name === name || !layer.on) { return; }
      layer.on("tileload", function () { loaded++; });
      layer.on("tileerror", function () {
        failed++;
        if (failed === 4 && loaded === 0 && cm.map.hasLayer(layer) && !cm.fellBack) {
          // quietly: a reader sees a map, not a server's failure (the layer control shows
          // which base is on; the container says so for scripts)
          cm.fellBack = true;
          cm.setBase(name);
          cm.map.getContainer().setAttribute("data-geo-basemap", "offline");
        }
      });
    });
  }

  /* A basemap label (a town, a neighbouring country) that the map's edge would cut ("…war",
   * "INDI") is hidden until the view shows it whole: a name is shown whole or not at all. */
  var LABELS = ".geo-city-label, .geo-country-label";

  function wholeLabels(cm) {
    var container = cm.map.getContainer();
    function check() {
      var box = container.getBoundingClientRect(), labels = container.querySelectorAll(LABELS);
      for (var i = 0; i < labels.length; i++) {
        var r = labels[i].getBoundingClientRect();
        var cut = r.width > 0 && (r.left < box.left || r.right > box.right || r.top < box.top || r.bottom > box.bottom);
        labels[i].style.visibility = cut ? "hidden" : "";
      }
    }
    cm.map.on("moveend zoomend resize baselayerchange layeradd", check);
    check();
  }

  GeoPage.plugin(function (cm) {
    titleBox(cm);
    attributions(cm);
    offlineFallback(cm);
    wholeLabels(cm);
  });
})();
