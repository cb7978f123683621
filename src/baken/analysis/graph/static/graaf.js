// The network graph of /graaf: draw what the server sent, expand a node on click, keep
// the layout for "save view". Data comes only from the JSON API (the same policy as the
// page); this file holds no data and runs under the CSP's script-src 'self'.
(function () {
  "use strict";
  var box = document.getElementById("graaf");
  if (!box || typeof window.cytoscape !== "function") { return; }
  box.style.height = "32rem";
  box.style.border = "1px solid #bbb";
  var status = document.getElementById("graaf-status");
  var colours = ["#4a7f3a", "#2f6db5", "#b58a2f", "#b5412f", "#6b2fb5"];
  var cy = window.cytoscape({
    container: box,
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: {
        "label": "data(caption)", "font-size": 10, "text-valign": "bottom",
        "background-color": "data(colour)", "width": 18, "height": 18 } },
      { selector: "node.center", style: { "width": 28, "height": 28, "border-width": 3, "border-color": "#222" } },
      { selector: "node.expanded", style: { "border-width": 2, "border-color": "#555" } },
      { selector: "edge", style: {
        "label": "data(label)", "font-size": 8, "curve-style": "bezier",
        "target-arrow-shape": "triangle", "width": 1.5, "line-color": "#999",
        "target-arrow-color": "#999" } }
    ]
  });

  function say(text) { if (status) { status.textContent = text; } }

  function add(data) {
    var added = cy.collection();
    (data.nodes || []).forEach(function (n) {
      if (cy.getElementById(n.id).length === 0) {
        added = added.union(cy.add({ group: "nodes", data: {
          id: n.id, caption: n.caption, schema: n.schema,
          colour: colours[Math.max(0, Math.min(4, n.level))] } }));
      }
    });
    (data.edges || []).forEach(function (e) {
      var id = e.id + "|" + e.source + "|" + e.target;
      if (cy.getElementById(id).length === 0) {
        added = added.union(cy.add({ group: "edges", data: {
          id: id, source: e.source, target: e.target, label: e.label } }));
      }
    });
    return added;
  }

  function load(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) {
        if (!r.ok) { throw new Error(String(r.status)); }
        return r.json();
      });
  }

  var saved = {};
  try { saved = JSON.parse(box.dataset.layout || "{}"); } catch (e) { saved = {}; }

  load(box.dataset.source).then(function (data) {
    add(data);
    if (data.center) { cy.getElementById(data.center).addClass("center expanded"); }
    var preset = Object.keys(saved).length > 0;
    cy.layout(preset ? {
      name: "preset",
      positions: function (node) { return saved[node.id()] || { x: 0, y: 0 }; }
    } : { name: "cose", animate: false }).run();
    say("");
  }).catch(function () { say(box.dataset.failed || "!"); });

  cy.on("tap", "node", function (event) {
    var node = event.target;
    if (node.hasClass("expanded")) { return; }
    say("…");
    load(box.dataset.expand + encodeURIComponent(node.id()) + "/neighbours").then(function (data) {
      node.addClass("expanded");
      var added = add(data);
      if (added.nodes().length > 0) {
        var p = node.position();
        added.nodes().layout({
          name: "circle", animate: false,
          boundingBox: { x1: p.x - 150, y1: p.y - 150, w: 300, h: 300 }
        }).run();
      }
      say("");
    }).catch(function () { say("!"); });
  });

  cy.on("dbltap", "node", function (event) {
    window.location.href = "/entiteiten/" + encodeURIComponent(event.target.id());
  });

  var form = document.getElementById("graaf-save");
  if (form) {
    form.addEventListener("submit", function () {
      var layout = {};
      var nodes = [];
      cy.nodes().forEach(function (n) {
        nodes.push(n.id());
        layout[n.id()] = { x: n.position("x"), y: n.position("y") };
      });
      form.elements.nodes.value = JSON.stringify(nodes);
      form.elements.layout.value = JSON.stringify(layout);
    });
  }
}());
