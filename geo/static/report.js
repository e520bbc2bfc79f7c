/* geo page, load order 13 of 18 (see STATIC_JS in geo/render/page.py): what a map in a report needs — "Copy link to this view", full screen
 * (both work inside an iframe), and printing: the map framed on the story, as the stills are, and a
 * caption block with the title, the date window, the filters, the counts, the legend and the
 * credits. Loaded after permalink.js (the link) and legend.js (the legend it copies). */
(function () {
  "use strict";

  var ICONS = {  // 24 x 24 strokes, shown instead of the words in a small frame
    link: "M10 14a4 4 0 0 1 0-5.7l3-3a4 4 0 0 1 5.7 5.7l-1.6 1.6M14 10a4 4 0 0 1 0 5.7l-3 3a4 4 0 0 1-5.7-5.7l1.6-1.6",
    full: "M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5"
  };

  function button(text, label, cls, icon) {
    var b = GeoPage.util.el("button", cls);
    b.type = "button";
    b.setAttribute("aria-label", label);
    b.title = label;
    var SVG = "http://www.w3.org/2000/svg", svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("class", "geo-icon");
    var path = document.createElementNS(SVG, "path");
    path.setAttribute("d", ICONS[icon]);
    svg.appendChild(path);
    b.appendChild(svg);
    b.appendChild(GeoPage.util.el("span", "geo-button-text", text));
    return b;
  }

  function fullscreenElement() {
    return document.fullscreenElement || document.webkitFullscreenElement || null;
  }

  function Tools(cm) {
    var util = GeoPage.util, self = this;
    this.cm = cm;
    var control = L.control({position: "topright"});
    control.onAdd = function () {
      var box = util.el("div", "geo-tools leaflet-bar");
      L.DomEvent.disableClickPropagation(box);
      self.link = button("Copy link", "Copy link to this view", "geo-copy-link", "link");
      self.full = button("Full screen", "View full screen", "geo-fullscreen", "full");
      self.link.addEventListener("click", function () { self.copy(); });
      self.full.addEventListener("click", function () { self.fullscreen(); });
      box.appendChild(self.link);
      box.appendChild(self.full);
      self.copied = util.el("div", "geo-copied");
      self.copied.hidden = true;
      self.copied.setAttribute("role", "status");
      box.appendChild(self.copied);
      return box;
    };
    control.addTo(cm.map);
    this.control = control;
    document.addEventListener("fullscreenchange", function () { self.fullscreenChanged(); });
  }

  /* The permalink goes to the clipboard where the browser allows it, and is always shown in a
   * selected field, so it can be copied by hand in a sandboxed frame. */
  Tools.prototype.copy = function () {
    var util = GeoPage.util, url = window.conflictMap.permalink(), box = this.copied;
    box.textContent = "";
    var note = util.el("span", null, "Link to this view:");
    var field = util.el("input", "geo-link-field");
    field.readOnly = true;
    field.value = url;
    field.setAttribute("aria-label", "Link to this view");
    box.appendChild(note);
    box.appendChild(field);
    box.hidden = false;
    field.focus();
    field.select();
    var done = function () { note.textContent = "Link copied:"; };
    try {
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(url).then(done, function () { /* keep the field */ });
      } else if (document.execCommand && document.execCommand("copy")) {
        done();
      }
    } catch (_e) { /* a frame without clipboard access: the selected field is the fallback */ }
  };

  /* Full screen of this page (in an iframe too, when the frame allows it); otherwise the
   * page opens on its own in a new tab, at the same view. */
  Tools.prototype.fullscreen = function () {
    var root = document.documentElement;
    if (fullscreenElement()) {
      (document.exitFullscreen || document.webkitExitFullscreen).call(document);
      return;
    }
    var request = root.requestFullscreen || root.webkitRequestFullscreen;
    var enabled = document.fullscreenEnabled || document.webkitFullscreenEnabled;
    if (request && enabled) {
      var result = request.call(root);
      if (result && result.catch) { result.catch(function () { window.open(window.conflictMap.permalink(), "_blank", "noopener"); }); }
    } else {
      window.open(window.conflictMap.permalink(), "_blank", "noopener");
    }
  };

  Tools.prototype.fullscreenChanged = function () {
    var on = !!fullscreenElement();
    this.full.querySelector(".geo-button-text").textContent = on ? "Exit full screen" : "Full screen";
    this.full.setAttribute("aria-label", on ? "Exit full screen" : "View full screen");
    this.cm.map.invalidateSize();
  };

  /* ---------- print ---------- */

  function PrintCaption(cm) {
    var util = GeoPage.util;
    this.cm = cm;
    var root = this.root = util.el("section", "geo-print-caption");
    root.setAttribute("aria-hidden", "true");  // a copy of what the screen already says
    this.title = root.appendChild(util.el("h1", null, cm.config.title));
    this.caption = root.appendChild(util.el("p", "geo-print-line"));
    this.filters = root.appendChild(util.el("p", "geo-print-line"));
    this.outside = root.appendChild(util.el("p", "geo-print-line"));
    this.legend = root.appendChild(util.el("div", "geo-print-legend"));
    // the "Sources and methods" (geo/methods.py): filters, derived fields, the download; the
    // credits line under them names the sources with their dates
    this.methods = root.appendChild(util.el("div", "geo-print-methods"));
    ((cm.config.methods && cm.config.methods.methods) || []).forEach(function (line) {
      this.methods.appendChild(util.el("p", "geo-print-line", line));
    }, this);
    this.credits = root.appendChild(util.el("p", "geo-print-credits"));
    document.body.appendChild(root);
  }

  PrintCaption.prototype.update = function () {
    var cm = this.cm, s = cm.stats, util = GeoPage.util;
    this.caption.textContent = cm.caption();
    var types = s.types.filter(function (t) { return t.visible; })
      .map(function (t) { return t.name + " " + t.inRange; });
    var hiddenLayers = cm.layerNames().filter(function (name) {
      return !cm.isBase(name) && !cm.map.hasLayer(cm.layer(name)) &&
        s.hiddenTypes.indexOf(name) < 0;
    });
    this.filters.textContent = "Shown: " + s.shown + " of " + s.total + " events" +
      (types.length ? " (" + types.join(", ") + ")" : "") +
      (s.hiddenTypes.length ? ". Types not shown: " + s.hiddenTypes.join(", ") : "") +
      (hiddenLayers.length ? ". Layers off: " + hiddenLayers.join(", ") : "") + ".";
    // the events the frame leaves out, in the stills' words (geo/render/static.py, _notes)
    var out = (cm.layout && cm.layout.outsideIndex) || [], names = [];
    out.forEach(function (i) {
      var rec = cm.events.record(i), name = String(rec.location || rec.province || rec.country || "").trim();
      if (name && names.indexOf(name) < 0) { names.push(name); }
    });
    this.outside.textContent = out.length ? "Not drawn: " + out.length + (out.length === 1 ? " event" : " events") + " beyond the map frame" +
      (names.length ? " (" + names.slice(0, 3).join(", ") + (names.length > 3 ? " and " + (names.length - 3) + " more" : "") + ")" : "") + "." : "";
    this.outside.hidden = !out.length;
    var legend = cm.legendControl && cm.legendControl.getContainer().querySelector(".geo-legend-body");
    this.legend.textContent = "";
    if (legend) {
      var copy = legend.cloneNode(true);
      copy.removeAttribute("id");
      copy.hidden = false;
      // a copy for paper: its own class names, so it never answers for the live legend
      copy.className = "geo-print-legend-body";
      // the highlight on paper: what is in colour as a line of text, no switch; nothing
      // while it is off (every event is then in its colour)
      Array.prototype.forEach.call(copy.querySelectorAll(".geo-highlight-switch"), function (n) {
        var section = n.closest(".geo-legend-section");
        if (!cm.highlightOn) { section.remove(); return; }
        n.replaceWith(util.el("p", "geo-print-highlight", n.textContent));
      });
      Array.prototype.forEach.call(copy.querySelectorAll("[data-highlight-count]"), function (n) {
        n.removeAttribute("data-highlight-count");
      });
      Array.prototype.forEach.call(copy.querySelectorAll(".geo-legend-section"), function (n) {
        n.className = "geo-print-section";
      });
      Array.prototype.forEach.call(copy.querySelectorAll(".geo-dense-note, [data-type]"), function (n) {
        if (n.classList.contains("geo-dense-note")) { n.remove(); } else { n.removeAttribute("data-type"); }
      });
      this.legend.appendChild(copy);
    }
    this.credits.textContent = "Credits: " + util.creditText(cm) + ". " +
      "Printed " + util.formatDate(Math.floor(Date.now() / 86400000), "day") + ".";
  };

  /* Print: the caption follows the view, the map frames the story (render/framing.py) and the
   * caption names the events outside it. */
  function printing(cm) {
    var caption = new PrintCaption(cm), saved = null;
    function before() {
      if (saved) { return; }
      saved = {center: cm.map.getCenter(), zoom: cm.map.getZoom()};
      cm.map.invalidateSize({pan: false});
      // the story's frame, as in the stills; not while the print layout has the map at no
      // size (fitting a box into 0 px makes the zoom NaN, and every later move throws)
      var size = cm.map.getSize();
      if (cm.frame && size.x > 0 && size.y > 0) { cm.frame(false); }
      caption.update();
      if (cm.canvas) { cm.canvas.drawNow(); }
    }
    function after() {
      if (!saved) { return; }
      var view = saved;
      saved = null;
      cm.map.invalidateSize({pan: false});
      cm.map.setView(view.center, view.zoom, {animate: false});
    }
    window.addEventListener("beforeprint", before);
    window.addEventListener("afterprint", after);
    var query = window.matchMedia && window.matchMedia("print");
    if (query && query.addEventListener) {
      query.addEventListener("change", function (e) { if (e.matches) { before(); } else { after(); } });
    }
    cm.on("filter", function () { caption.update(); });
    caption.update();
  }

  GeoPage.plugin(function (cm) {
    cm.tools = new Tools(cm);
    printing(cm);
    window.conflictMap.fullscreen = function () { cm.tools.fullscreen(); };
  });
})();
