/* geo conflict map: the title box, data attributions, and the switch to the offline basemap
 * when map tiles cannot load. */
(function () {
  "use strict";

  function titleBox(cm) {
    var util = GeoConflictMap.util;
    var control = L.control({position: "topleft"});
    control.onAdd = function () {
      var box = util.el("header", "geo-title leaflet-bar");
      box.appendChild(util.el("h1", null, cm.config.title));
      if (cm.config.description) { box.appendChild(util.el("p", null, cm.config.description)); }
      box.appendChild(util.el("p", "geo-notice"));
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    control.addTo(cm.map);
    cm.titleControl = control;
  }

  /* Attribution strings were escaped when the page was built: they are text. */
  function attributions(cm) {
    (cm.config.attributions || []).forEach(function (text) {
      cm.map.attributionControl.addAttribution(text);
    });
  }

  /* If the visible tile layer fails several tiles before loading any, show the offline
   * basemap instead and say so. This happens once: a tile layer the user picks afterwards
   * stays, even if it fails too. */
  function offlineFallback(cm) {
    var name = cm.config.offlineBase, offline = name && cm.layersByName[name];
    if (!offline) { return; }
    (cm.config.baseLayers || []).forEach(function (entry) {
      var layer = entry.layer, failed = 0, loaded = 0;
      if (entry.name === name || !layer.on) { return; }
      layer.on("tileload", function () { loaded++; });
      layer.on("tileerror", function () {
        failed++;
        if (failed === 4 && loaded === 0 && cm.map.hasLayer(layer) && !cm.fellBack) {
          cm.fellBack = true;
          cm.setBase(name);
          var notice = cm.titleControl && cm.titleControl.getContainer().querySelector(".geo-notice");
          if (notice) {
            notice.textContent = "Map tiles could not load, so the offline basemap is shown.";
            notice.setAttribute("role", "status");
          }
        }
      });
    });
  }

  GeoConflictMap.onInit.push(function (cm) {
    titleBox(cm);
    attributions(cm);
    offlineFallback(cm);
  });
})();
