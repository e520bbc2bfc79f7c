/* geo page, load order 10 of 18 (see STATIC_JS in geo/render/page.py): a keyboard- and screen-reader-friendly list of the events shown.
 * The canvas cannot be tabbed through; this list can, and each entry opens its popup. */
(function () {
  "use strict";
  var LIMIT = 300;

  function EventList(cm) {
    var util = GeoPage.util, self = this;
    this.cm = cm;
    var box = cm.titleControl ? cm.titleControl.getContainer() : null;
    if (!box) { return; }
    this.button = util.el("button", "geo-list-toggle", "List events shown");
    this.button.type = "button";
    this.button.setAttribute("aria-expanded", "false");
    this.panel = util.el("div", "geo-list");
    this.panel.hidden = true;
    this.panel.id = "geo-event-list";
    this.button.setAttribute("aria-controls", this.panel.id);
    this.button.addEventListener("click", function () { self.toggle(); });
    box.appendChild(this.button);
    box.appendChild(this.panel);
    L.DomEvent.disableScrollPropagation(this.panel);
    cm.on("filter", function () { if (!self.panel.hidden) { self.render(); } });
  }

  EventList.prototype.toggle = function () {
    var open = this.panel.hidden;
    this.panel.hidden = !open;
    this.button.setAttribute("aria-expanded", String(open));
    if (open) { this.render(); }
  };

  EventList.prototype.render = function () {
    var util = GeoPage.util, cm = this.cm, ev = cm.events;
    var shown = [], notes = new Map();
    // the editor's callouts tied to events (--annotate): their text in the event's entry
    ((cm.config.labels || {}).notes || []).forEach(function (n) {
      if (n[3] !== null) { notes.set(n[3], (notes.has(n[3]) ? notes.get(n[3]) + " / " : "") + n[0].replace(/\n/g, " ")); }
    });
    for (var i = 0; i < ev.n; i++) { if (cm.visible[i]) { shown.push(i); } }
    shown.sort(function (a, b) { return ev.start[a] - ev.start[b] || a - b; });
    this.panel.textContent = "";
    var list = util.el("ol");
    shown.slice(0, LIMIT).forEach(function (i) {
      var rec = ev.record(i);
      var killed = rec.fatalities_best !== null ? " \u00b7 " + rec.fatalities_best + " killed" : "";
      var label = util.formatDate(rec.date_start, rec.date_precision) + " \u00b7 " +
        ([rec.location, rec.province].filter(Boolean)[0] || rec.country || "") + " \u00b7 " +
        (rec.sub_event_type && rec.sub_event_type !== "Other" ? rec.sub_event_type : rec.event_type) + killed;
      var item = util.el("li");
      var note = notes.get(rec.event_id);
      var open = util.el("button", null, label);
      if (note) { open.appendChild(util.el("span", "geo-list-note", "Annotation: " + note)); }
      open.type = "button";
      open.addEventListener("click", function () {
        cm.map.panTo([ev.lat[i], ev.lon[i]]);
        cm.popup(i);
      });
      item.appendChild(open);
      list.appendChild(item);
    });
    var more = shown.length > LIMIT ? " (first " + LIMIT + " listed)" : "";
    this.panel.appendChild(util.el("p", "geo-list-count", shown.length + " events shown, by date" + more));
    this.panel.appendChild(list);
  };

  GeoPage.plugin(function (cm) { cm.eventList = new EventList(cm); });
})();
