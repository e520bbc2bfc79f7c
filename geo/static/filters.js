/* geo page, load order 11 of 18 (see STATIC_JS in geo/render/page.py): filters beyond
 * dates and types — actor (with a search over the actors), sub-event type, province, a
 * minimum fatality figure and free text over summary, place, actors and sources. Needs
 * page.js (the title box). They compose with the dates and the type toggles in
 * cm.setFilter; the page API has setFilter() and filter(), the address keeps them.
 * Names come from the data: shown with textContent only.
 */
(function () {
  "use strict";

  var util = GeoPage.util, ACTORS_SHOWN = 60;

  function FilterPanel(cm) {
    var self = this, box = cm.titleControl ? cm.titleControl.getContainer() : null;
    this.cm = cm;
    if (!box) { return; }
    this.values = cm.filterValues();
    this.button = util.button("", "geo-filter-toggle");
    this.button.appendChild(util.icon("M3 5h18l-7 8v6l-4 2v-8z", "geo-icon-filter"));
    this.buttonText = this.button.appendChild(util.el("span", "geo-button-label", "Filter"));
    this.button.setAttribute("aria-expanded", "false");
    this.panel = util.el("div", "geo-filters");
    this.panel.id = "geo-filters";
    this.panel.hidden = true;
    this.panel.setAttribute("role", "group");
    this.panel.setAttribute("aria-label", "Filters");
    this.button.setAttribute("aria-controls", this.panel.id);
    this.button.addEventListener("click", function () { self.toggle(); });
    var list = box.querySelector(".geo-list-toggle");
    box.insertBefore(this.button, list ? list.nextSibling : null);
    box.appendChild(this.panel);
    L.DomEvent.disableScrollPropagation(this.panel);
    this.build();
    cm.on("filter", function () { self.sync(); });
    this.sync();
  }

  FilterPanel.prototype.toggle = function () {
    var open = this.panel.hidden;
    this.panel.hidden = !open;
    this.button.setAttribute("aria-expanded", String(open));
    if (open) { this.text.focus(); }
  };

  FilterPanel.prototype.build = function () {
    var self = this, cm = this.cm, p = this.panel, timer = null;
    this.text = this.field(p, "Search text (summary, place, actors, sources)", "search", "geo-filter-text");
    this.text.maxLength = 200;
    this.text.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { cm.setFilter({text: self.text.value}); }, 200);
    });
    this.min = this.field(p, "At least this many killed (best estimate)", "number", "geo-filter-min");
    this.min.min = "0";
    this.min.step = "1";
    this.min.addEventListener("change", function () { cm.setFilter({minFatalities: +self.min.value || 0}); });
    this.subs = this.checkList(p, "Sub-event type", this.values.subEventTypes, "subEventTypes");
    this.provs = this.checkList(p, "Province", this.values.provinces, "provinces");
    var actors = util.el("fieldset", "geo-filter-group");
    actors.appendChild(util.el("legend", null, "Actor"));
    this.actorSearch = util.el("input", "geo-filter-actor-search");
    this.actorSearch.type = "search";
    this.actorSearch.setAttribute("aria-label", "Find an actor");
    this.actorSearch.placeholder = "Find an actor";
    this.actorSearch.addEventListener("input", function () { self.renderActors(); });
    actors.appendChild(this.actorSearch);
    this.actorList = actors.appendChild(util.el("ul", "geo-filter-options geo-filter-actors"));
    this.actorMore = actors.appendChild(util.el("p", "geo-filter-more"));
    p.appendChild(actors);
    var foot = p.appendChild(util.el("div", "geo-filter-foot"));
    this.summary = foot.appendChild(util.el("output", "geo-filter-summary"));
    var clear = foot.appendChild(util.button("Clear filters", "geo-filter-clear"));
    clear.addEventListener("click", function () {
      cm.setFilter({actors: [], subEventTypes: [], provinces: [], minFatalities: 0, text: ""});
    });
    this.renderActors();
  };

  FilterPanel.prototype.field = function (parent, label, type, cls) {
    var wrap = util.el("label", "geo-filter-field");
    wrap.appendChild(util.el("span", null, label));
    var input = util.el("input", cls);
    input.type = type;
    wrap.appendChild(input);
    parent.appendChild(wrap);
    return input;
  };

  FilterPanel.prototype.checkbox = function (name, key) {
    var cm = this.cm, li = util.el("li"), label = util.el("label"), box = util.el("input");
    box.type = "checkbox";
    box.value = name;
    box.addEventListener("change", function () {
      var now = cm.filter[key].filter(function (v) { return v !== name; });
      if (box.checked) { now.push(name); }
      var change = {};
      change[key] = now;
      cm.setFilter(change);
    });
    label.appendChild(box);
    label.appendChild(util.el("span", null, name));
    li.appendChild(label);
    return li;
  };

  FilterPanel.prototype.checkList = function (parent, title, names, key) {
    var self = this, group = util.el("fieldset", "geo-filter-group");
    group.appendChild(util.el("legend", null, title));
    var list = group.appendChild(util.el("ul", "geo-filter-options"));
    names.forEach(function (name) { list.appendChild(self.checkbox(name, key)); });
    if (names.length) { parent.appendChild(group); }
    return list;
  };

  /* The chosen actors, then those matching the search (at most ACTORS_SHOWN). */
  FilterPanel.prototype.renderActors = function () {
    var self = this, chosen = this.cm.filter.actors, q = this.actorSearch.value.trim().toLowerCase();
    var matches = this.values.actors.filter(function (a) {
      return chosen.indexOf(a) < 0 && (!q || a.toLowerCase().indexOf(q) >= 0);
    });
    this.actorList.textContent = "";
    chosen.concat(matches.slice(0, ACTORS_SHOWN)).forEach(function (a) {
      self.actorList.appendChild(self.checkbox(a, "actors"));
    });
    this.actorMore.textContent = matches.length > ACTORS_SHOWN
      ? (matches.length - ACTORS_SHOWN) + " more: type to find them" : "";
    this.sync();
  };

  /* The controls show the filter in force, however it was set (API, address, panel). */
  FilterPanel.prototype.sync = function () {
    var cm = this.cm, f = cm.filter;
    if (document.activeElement !== this.text && this.text.value !== f.text) { this.text.value = f.text; }
    if (document.activeElement !== this.min) { this.min.value = f.minFatalities > 0 ? String(f.minFatalities) : ""; }
    var boxes = this.panel.querySelectorAll("input[type=checkbox]");
    for (var k = 0; k < boxes.length; k++) {
      var list = boxes[k].closest(".geo-filter-actors") ? f.actors
        : boxes[k].closest("ul") === this.subs ? f.subEventTypes : f.provinces;
      boxes[k].checked = list.indexOf(boxes[k].value) >= 0;
    }
    var active = cm.filterActive();
    this.buttonText.textContent = active ? "Filter (on)" : "Filter";
    this.button.setAttribute("aria-label", active ? "Filter (on)" : "Filter");
    L.DomUtil[active ? "addClass" : "removeClass"](this.button, "geo-active");
    this.summary.textContent = active ? cm.stats.inRange + " events match in these dates" : "No filter";
  };

  GeoPage.plugin(function (cm) { cm.filterPanel = new FilterPanel(cm); });
})();
