/* geo page, load order 15 of 18 (see STATIC_JS in geo/render/page.py): "Download image", a PNG of
 * the current view with its title, caption, legend and credits, drawn from the page's own layers.
 *
 * The map's panes are drawn in their stacking order: each SVG layer (lines, polygons, the
 * offline basemap) serialised and drawn as an image, each canvas (the events) copied, and
 * the DOM symbols and names (crossings, town dots and names) drawn again with the styles the
 * browser computed for them. Map tiles come from another site and would make the image
 * unreadable to the page (a "tainted" canvas), so a view over tiles is drawn over the offline
 * basemap instead, and the image says so. Text is drawn with fillText: never markup.
 */
(function () {
  "use strict";

  var SCALE = 2;  // pixels per CSS pixel: sharp in a report
  var FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  var SKIP_PANES = {tooltipPane: true, popupPane: true};

  function rectIn(node, box) {
    var r = node.getBoundingClientRect();
    return {x: r.left - box.left, y: r.top - box.top, w: r.width, h: r.height};
  }

  function visible(node) {
    var s = window.getComputedStyle(node);
    if (s.display === "none" || s.visibility === "hidden" || Number(s.opacity) === 0) { return false; }
    var r = node.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  }

  /* An SVG element as an image (a data: address of its serialised copy). */
  function svgImage(svg, w, h) {
    var copy = svg.cloneNode(true);
    copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
    copy.setAttribute("width", String(w));
    copy.setAttribute("height", String(h));
    copy.style.transform = "";
    var text = new XMLSerializer().serializeToString(copy);
    return new Promise(function (resolve) {
      var img = new Image();
      img.onload = function () { resolve(img); };
      img.onerror = function () { resolve(null); };
      img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
    });
  }

  /* The drawing steps of the map, in stacking order: [function (ctx) -> Promise|undefined]. */
  function mapSteps(cm, box) {
    var pane = cm.map.getPanes().mapPane, steps = [], tiles = false;
    var panes = Array.prototype.filter.call(pane.children, function (p) { return L.DomUtil.hasClass(p, "leaflet-pane"); });
    panes.sort(function (a, b) {
      return (Number(window.getComputedStyle(a).zIndex) || 0) - (Number(window.getComputedStyle(b).zIndex) || 0);
    });
    function walk(node) {
      var tag = node.tagName.toLowerCase(), r = rectIn(node, box);
      // a container may have no size of its own (a name's anchor) but shown children
      if (window.getComputedStyle(node).display === "none") { return; }
      var leaf = tag === "img" || tag === "canvas" || L.DomUtil.hasClass(node, "geo-crossing") ||
        L.DomUtil.hasClass(node, "geo-town-dot") || L.DomUtil.hasClass(node, "geo-label");
      if (leaf && !visible(node)) { return; }
      if (tag === "img") { tiles = true; return; }
      if (tag === "svg") {
        if (r.w > 0 && r.h > 0) {
          steps.push(function (ctx) {
            return svgImage(node, r.w, r.h).then(function (img) { if (img) { ctx.drawImage(img, r.x, r.y, r.w, r.h); } });
          });
        }
        return;
      }
      if (tag === "canvas") {
        steps.push(function (ctx) { ctx.drawImage(node, r.x, r.y, r.w, r.h); });
        return;
      }
      if (L.DomUtil.hasClass(node, "geo-crossing")) { steps.push(diamond(node, r)); return; }
      if (L.DomUtil.hasClass(node, "geo-town-dot")) { steps.push(dot(node, r)); return; }
      if (L.DomUtil.hasClass(node, "geo-label")) { steps.push(label(node, r)); return; }
      Array.prototype.forEach.call(node.children, walk);
    }
    panes.forEach(function (p) {
      var name = (p.className.match(/leaflet-(\w+-pane)/) || [])[1] || "";
      var key = name.replace(/-(\w)/g, function (_m, c) { return c.toUpperCase(); });
      if (SKIP_PANES[key]) { return; }
      Array.prototype.forEach.call(p.children, walk);
    });
    return {steps: steps, tiles: tiles};
  }

  function diamond(node, r) {
    var s = window.getComputedStyle(node);
    return function (ctx) {
      var cx = r.x + r.w / 2, cy = r.y + r.h / 2, half = r.w / 2;
      ctx.beginPath();
      ctx.moveTo(cx, cy - half); ctx.lineTo(cx + half, cy); ctx.lineTo(cx, cy + half); ctx.lineTo(cx - half, cy);
      ctx.closePath();
      ctx.fillStyle = s.backgroundColor;
      ctx.fill();
      ctx.lineWidth = parseFloat(s.borderTopWidth) || 1;
      ctx.strokeStyle = s.borderTopColor;
      ctx.stroke();
    };
  }

  function dot(node, r) {
    var s = window.getComputedStyle(node);
    return function (ctx) {
      ctx.beginPath();
      ctx.arc(r.x + r.w / 2, r.y + r.h / 2, r.w / 2, 0, 2 * Math.PI);
      ctx.fillStyle = s.backgroundColor;
      ctx.fill();
      var bw = parseFloat(s.borderTopWidth) || 0;
      if (bw > 0) { ctx.lineWidth = bw; ctx.strokeStyle = s.borderTopColor; ctx.stroke(); }
    };
  }

  function label(node, r) {
    var s = window.getComputedStyle(node), text = node.textContent;
    return function (ctx) {
      ctx.font = s.fontStyle + " " + s.fontWeight + " " + s.fontSize + " " + s.fontFamily;
      ctx.textBaseline = "middle";
      ctx.textAlign = "left";
      var tt = s.textTransform === "uppercase" ? text.toUpperCase() : text;
      var x = r.x + (parseFloat(s.paddingLeft) || 0), y = r.y + r.h / 2;
      ctx.lineJoin = "round";
      ctx.lineWidth = 3;
      ctx.strokeStyle = "rgba(255,255,255,0.9)";
      ctx.strokeText(tt, x, y);
      ctx.fillStyle = s.color;
      ctx.fillText(tt, x, y);
    };
  }

  /* Lines of text no wider than `width` (at the context's font). */
  function wrap(ctx, text, width) {
    var words = String(text).split(/\s+/), lines = [], line = "";
    words.forEach(function (w) {
      var next = line ? line + " " + w : w;
      if (line && ctx.measureText(next).width > width) { lines.push(line); line = w; } else { line = next; }
    });
    if (line) { lines.push(line); }
    return lines;
  }

  /* The texts around the map: title, caption; legend rows; credits. */
  function texts(cm, note) {
    var s = cm.stats, types = (cm.config.types || []), colour = {};
    types.forEach(function (t) { colour[t.name] = t.color; });
    var legend = s.types.filter(function (t) { return t.visible && t.inRange > 0; })
      .map(function (t) { return {text: t.name + " (" + t.inRange + ")", color: colour[t.name] || "#666"}; });
    var attribution = GeoPage.util.creditText(cm);
    return {
      title: cm.config.title || "",
      caption: cm.caption(),
      legend: legend,
      sizeNote: "Circle area: people killed (best estimate)",
      credits: "Sources: " + attribution.replace(/^\s*Leaflet\s*\|\s*/, "") + (note ? ". " + note : "")
    };
  }

  /* The image of the current view: {canvas, note}. */
  function render(cm) {
    var map = cm.map, box = map.getContainer().getBoundingClientRect(), size = map.getSize();
    var base = offlineFor(cm);
    return new Promise(function (resolve) {
      // a base layer switched for the image draws on the next frames
      window.requestAnimationFrame(function () { window.requestAnimationFrame(function () { resolve(); }); });
    }).then(function () {
      var plan = mapSteps(cm, box), note = base.note;
      var W = size.x, pad = 12, measure = document.createElement("canvas").getContext("2d");
      var t = texts(cm, note);
      measure.font = "700 20px " + FONT;
      var titleLines = wrap(measure, t.title, W - 2 * pad);
      measure.font = "13px " + FONT;
      var captionLines = wrap(measure, t.caption, W - 2 * pad);
      var head = pad + titleLines.length * 25 + captionLines.length * 18 + 8;
      measure.font = "12px " + FONT;
      var rows = [[]], x = pad;
      t.legend.forEach(function (item) {
        var w = 16 + measure.measureText(item.text).width + 14;
        if (x + w > W - pad && rows[rows.length - 1].length) { rows.push([]); x = pad; }
        rows[rows.length - 1].push({item: item, x: x});
        x += w;
      });
      measure.font = "11px " + FONT;
      var creditLines = wrap(measure, t.credits, W - 2 * pad);
      var foot = 8 + rows.length * 18 + 16 + creditLines.length * 15 + pad;
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(W * SCALE);
      canvas.height = Math.round((head + size.y + foot) * SCALE);
      var ctx = canvas.getContext("2d");
      ctx.scale(SCALE, SCALE);
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, W, head + size.y + foot);
      ctx.fillStyle = "#111111";
      ctx.textBaseline = "top";
      ctx.font = "700 20px " + FONT;
      titleLines.forEach(function (line, k) { ctx.fillText(line, pad, pad + k * 25); });
      ctx.font = "13px " + FONT;
      ctx.fillStyle = "#333333";
      captionLines.forEach(function (line, k) { ctx.fillText(line, pad, pad + titleLines.length * 25 + k * 18); });
      // the map
      ctx.save();
      ctx.translate(0, head);
      ctx.beginPath();
      ctx.rect(0, 0, W, size.y);
      ctx.clip();
      ctx.fillStyle = window.getComputedStyle(map.getContainer()).backgroundColor || "#dddddd";
      ctx.fillRect(0, 0, W, size.y);
      var chain = Promise.resolve();
      plan.steps.forEach(function (step) { chain = chain.then(function () { return step(ctx); }); });
      return chain.then(function () {
        ctx.restore();
        ctx.strokeStyle = "#999999";
        ctx.lineWidth = 1;
        ctx.strokeRect(0.5, head + 0.5, W - 1, size.y - 1);
        var y = head + size.y + 8;
        ctx.font = "12px " + FONT;
        ctx.textBaseline = "middle";
        rows.forEach(function (row) {
          row.forEach(function (cell) {
            ctx.beginPath();
            ctx.arc(cell.x + 6, y + 8, 5, 0, 2 * Math.PI);
            ctx.fillStyle = cell.item.color;
            ctx.fill();
            ctx.fillStyle = "#222222";
            ctx.fillText(cell.item.text, cell.x + 16, y + 8);
          });
          y += 18;
        });
        ctx.fillStyle = "#444444";
        ctx.fillText(t.sizeNote, pad, y + 8);
        y += 16;
        ctx.font = "11px " + FONT;
        ctx.textBaseline = "top";
        creditLines.forEach(function (line, k) { ctx.fillText(line, pad, y + 2 + k * 15); });
        base.restore();
        return {canvas: canvas, note: note, mapTop: head};
      });
    }, function (err) { base.restore(); throw err; });
  }

  /* Over map tiles, the offline basemap for the image (put back afterwards). */
  function offlineFor(cm) {
    var map = cm.map, name = cm.config.offlineBase, offline = name && cm.layer(name);
    var tiles = cm.layerNames().filter(function (n) { return cm.isBase(n) && n !== name && map.hasLayer(cm.layer(n)); });
    if (!offline || !tiles.length) { return {note: "", restore: function () {}}; }
    var was = cm.layer(tiles[0]);
    map.removeLayer(was);
    map.addLayer(offline);
    return {
      note: "Base map: geo's offline basemap (map tiles cannot be copied into an image)",
      restore: function () { map.removeLayer(offline); map.addLayer(was); }
    };
  }

  function fileName(cm) {
    var H = GeoPage.helpers;
    return H.safeFileName([cm.config.title || "map", H.dayToIso(cm.range[0]), H.dayToIso(cm.range[1])]
      .map(H.safeFileName).join("_")) + ".png";
  }

  function download(cm) {
    return render(cm).then(function (out) {
      return new Promise(function (resolve) {
        out.canvas.toBlob(function (blob) {
          var url = URL.createObjectURL(blob), a = GeoPage.util.el("a");
          a.href = url;
          a.download = fileName(cm);
          a.hidden = true;
          document.body.appendChild(a);
          a.click();
          window.setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
          resolve({name: a.download, width: out.canvas.width, height: out.canvas.height, note: out.note});
        }, "image/png");
      });
    });
  }

  GeoPage.plugin(function (cm) {
    var menu = document.getElementById("geo-download-menu");
    if (menu) {
      var b = GeoPage.util.button("Image of this view (PNG)", "geo-download-png");
      b.addEventListener("click", function () { download(cm); });
      menu.insertBefore(b, menu.firstChild);
    }
    /* The PNG of the current view as a data: address, with its size and any note. */
    window.conflictMap.snapshot = function () {
      return render(cm).then(function (out) {
        return {url: out.canvas.toDataURL("image/png"), width: out.canvas.width, height: out.canvas.height,
          scale: SCALE, note: out.note, mapTop: out.mapTop};
      });
    };
    window.conflictMap.downloadImage = function () { return download(cm); };
  });
})();
