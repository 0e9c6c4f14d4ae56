// diplograph query page: a SPARQL editor, a results table, and the actor network.
// Plain JavaScript, no libraries; everything it loads comes from this server.
(() => {
  "use strict";

  const config = JSON.parse(document.getElementById("config").textContent);
  const $ = (id) => document.getElementById(id);
  const SVG = "http://www.w3.org/2000/svg";
  const LOCAL = "https://w3id.org/diplograph/id/";
  const PREFIXES = [
    ["dgo:", "https://w3id.org/diplograph/ontology#"],
    ["prov:", "http://www.w3.org/ns/prov#"],
    ["org:", "http://www.w3.org/ns/org#"],
    ["skos:", "http://www.w3.org/2004/02/skos/core#"],
    ["dcterms:", "http://purl.org/dc/terms/"],
    ["rdfs:", "http://www.w3.org/2000/01/rdf-schema#"],
    ["rdf:", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"],
    ["owl:", "http://www.w3.org/2002/07/owl#"],
    ["xsd:", "http://www.w3.org/2001/XMLSchema#"],
  ];

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (name === "class") node.className = value;
      else node.setAttribute(name, value);
    }
    for (const child of children) node.append(child);
    return node;
  }

  function svg(tag, attrs = {}, parent = null) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
    if (parent) parent.append(node);
    return node;
  }

  function compact(iri) {
    if (iri.startsWith(LOCAL)) return iri.slice(LOCAL.length);
    for (const [prefix, ns] of PREFIXES) if (iri.startsWith(ns)) return prefix + iri.slice(ns.length);
    return iri;
  }

  function href(iri) {
    return iri.startsWith(LOCAL) ? "/id/" + iri.slice(LOCAL.length) : iri;
  }

  // only this server's pages and http(s) addresses become links (never javascript: etc.)
  function safe(url) {
    return url.startsWith("/") || /^https?:/i.test(url);
  }

  // --- the editor -------------------------------------------------------------------

  const editor = $("query");
  const examples = $("examples");
  const names = Object.keys(config.examples);
  for (const name of names) examples.append(el("option", { value: name }, name));
  const first = names.includes("who-met-whom") ? "who-met-whom" : names[0];
  if (first) {
    examples.value = first;
    editor.value = config.examples[first];
  }
  examples.addEventListener("change", () => {
    editor.value = config.examples[examples.value];
    editor.focus();
    editor.setSelectionRange(0, 0);
    editor.scrollTop = 0;
  });

  editor.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      event.preventDefault();
      run();
    } else if (event.key === "Tab" && !event.shiftKey) {
      event.preventDefault();
      editor.setRangeText("  ", editor.selectionStart, editor.selectionEnd, "end");
    }
  });
  $("run").addEventListener("click", run);

  function status(text, kind = "") {
    const node = $("status");
    node.textContent = text;
    node.className = kind;
  }

  function downloads(text) {
    const box = $("downloads");
    box.replaceChildren("Download:");
    for (const [label, format] of [["JSON", "json"], ["CSV", "csv"], ["TSV", "tsv"], ["Turtle", "turtle"]]) {
      const params = new URLSearchParams({ query: text, format });
      box.append(el("a", { href: "/sparql?" + params.toString(), download: "" }, label));
    }
  }

  async function run() {
    const text = editor.value;
    const button = $("run");
    button.disabled = true;
    status("Running…");
    const started = performance.now();
    try {
      const response = await fetch("/sparql", {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Accept: "application/sparql-results+json, text/turtle;q=0.9",
        },
        body: new URLSearchParams({ query: text }),
      });
      const ms = Math.round(performance.now() - started);
      const type = response.headers.get("Content-Type") || "";
      if (!response.ok) {
        const message = (await response.text()).replace(/^diplograph: /, "");
        showMessage(message);
        status(`${response.status} ${response.statusText}`, "error");
        return;
      }
      const truncated = response.headers.get("X-Diplograph-Truncated") === "true";
      let summary;
      if (type.startsWith("application/sparql-results+json")) {
        const data = await response.json();
        if ("boolean" in data) {
          $("results").replaceChildren(el("p", { class: "boolean" }, String(data.boolean)));
          summary = "ASK";
        } else {
          const rows = data.results.bindings.length;
          showTable(data.head.vars, data.results.bindings);
          summary = `${rows} row${rows === 1 ? "" : "s"}`;
        }
      } else {
        const body = await response.text();
        $("results").replaceChildren(el("pre", {}, body));
        summary = "graph";
      }
      $("count").textContent = summary;
      status(`${summary} in ${ms} ms`);
      if (truncated) {
        $("status").append(" · ", el("span", { class: "truncated" }, `cut at the server's limit of ${config.maxRows} rows`));
      }
      downloads(text);
    } catch (error) {
      showMessage("The server did not answer: " + error.message);
      status("failed", "error");
    } finally {
      button.disabled = false;
    }
  }

  function showMessage(text) {
    $("count").textContent = "";
    $("results").replaceChildren(el("p", { class: "message" }, text));
  }

  function cell(term) {
    if (!term) return "";
    if (term.type === "uri") {
      if (!safe(href(term.value))) return el("code", {}, term.value);
      const local = term.value.startsWith(LOCAL);
      const attrs = { href: href(term.value), title: term.value };
      if (!local) Object.assign(attrs, { rel: "external noopener", target: "_blank" });
      return el("a", attrs, compact(term.value));
    }
    if (term.type === "bnode") return el("code", {}, "_:" + term.value);
    if (term.type === "triple") {
      const v = term.value;
      return `<< ${compact(v.subject.value)} ${compact(v.predicate.value)} ${v.object.value} >>`;
    }
    const note = term["xml:lang"] ? "@" + term["xml:lang"] : term.datatype ? compact(term.datatype) : "";
    return note ? el("span", { title: note }, term.value) : term.value;
  }

  function showTable(vars, bindings) {
    const head = el("tr", {}, ...vars.map((name) => el("th", {}, name)));
    const body = el("tbody");
    for (const binding of bindings) {
      body.append(el("tr", {}, ...vars.map((name) => el("td", {}, cell(binding[name])))));
    }
    if (!bindings.length) {
      body.append(el("tr", {}, el("td", { colspan: String(vars.length || 1), class: "note" }, "No results.")));
    }
    $("results").replaceChildren(el("table", {}, el("thead", {}, head), body));
  }

  // --- the network ------------------------------------------------------------------

  const picture = $("network");
  const WIDTH = 640;
  const HEIGHT = 470;

  function colour(category) {
    const value = getComputedStyle(document.documentElement).getPropertyValue(`--cat-${category}`);
    return value.trim() || "#868e96";
  }

  let drawing = 0; // the latest request wins, whatever order the answers come in

  async function draw(event) {
    if (event) event.preventDefault();
    const ticket = ++drawing;
    const params = new URLSearchParams();
    if ($("from").value) params.set("from", $("from").value);
    if ($("to").value) params.set("to", $("to").value);
    params.set("undated", $("undated").checked ? "1" : "0");
    if ($("limit").value) params.set("limit", $("limit").value);
    $("network-status").textContent = "Loading…";
    try {
      const response = await fetch("/network.json?" + params.toString(), { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error((await response.text()).replace(/^diplograph: /, ""));
      const data = await response.json();
      if (ticket === drawing) render(data);
    } catch (error) {
      if (ticket !== drawing) return;
      picture.replaceChildren();
      svg("text", { x: 20, y: 40, class: "empty" }, picture).textContent = error.message;
      $("network-status").textContent = "";
    }
  }

  // Fruchterman-Reingold from positions on a circle: the same data give the same picture.
  function layout(nodes, pairs) {
    const n = nodes.length;
    const cx = WIDTH / 2;
    const cy = HEIGHT / 2;
    nodes.forEach((node, i) => {
      const angle = (2 * Math.PI * i) / Math.max(n, 1);
      node.x = cx + Math.cos(angle) * WIDTH * 0.3;
      node.y = cy + Math.sin(angle) * HEIGHT * 0.3;
    });
    if (n < 2) return;
    // busy actors push harder, so the edges between them get room (as in ForceAtlas2)
    for (const node of nodes) node.mass = 1 + node.weight * 1.5;
    const k = Math.sqrt((WIDTH * HEIGHT) / n) * 0.8;
    const steps = 400;
    for (let step = 0; step < steps; step++) {
      const heat = (WIDTH / 8) * (1 - step / steps) + 0.5;
      for (const node of nodes) { node.dx = 0; node.dy = 0; }
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const a = nodes[i];
          const b = nodes[j];
          let dx = a.x - b.x;
          let dy = a.y - b.y;
          let d = Math.hypot(dx, dy);
          if (d < 0.01) { dx = 0.01 * (i - j); dy = 0.01; d = Math.hypot(dx, dy); }
          const force = (k * k * a.mass * b.mass) / d;
          a.dx += (dx / d) * force; a.dy += (dy / d) * force;
          b.dx -= (dx / d) * force; b.dy -= (dy / d) * force;
        }
      }
      for (const pair of pairs) {
        const a = pair.a;
        const b = pair.b;
        const dx = a.x - b.x;
        const dy = a.y - b.y;
        const d = Math.max(Math.hypot(dx, dy), 0.01);
        const force = (d * d) / k;
        a.dx -= (dx / d) * force; a.dy -= (dy / d) * force;
        b.dx += (dx / d) * force; b.dy += (dy / d) * force;
      }
      for (const node of nodes) {
        node.dx += (cx - node.x) * 0.15;
        node.dy += (cy - node.y) * 0.15;
        const d = Math.max(Math.hypot(node.dx, node.dy), 0.01);
        const move = Math.min(d, heat);
        node.x += (node.dx / d) * move;
        node.y += (node.dy / d) * move;
      }
    }
    // fit the drawing into the picture, leaving room for labels
    const xs = nodes.map((node) => node.x);
    const ys = nodes.map((node) => node.y);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const margin = { x: 70, y: 36 };
    // each axis fills its side, the two scales at most 2.2 times apart
    let sx = (WIDTH - 2 * margin.x) / Math.max(x1 - x0, 1);
    let sy = (HEIGHT - 2 * margin.y) / Math.max(y1 - y0, 1);
    sx = Math.min(sx, sy * 2.2);
    sy = Math.min(sy, sx * 2.2);
    for (const node of nodes) {
      node.x = WIDTH / 2 + (node.x - (x0 + x1) / 2) * sx;
      node.y = HEIGHT / 2 + (node.y - (y0 + y1) / 2) * sy;
    }
    // then push apart nodes whose labels would collide (labels are wide: x counts less)
    for (let round = 0; round < 80; round++) {
      let moved = false;
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const a = nodes[i];
          const b = nodes[j];
          const dx = (a.x - b.x) / 2.2;
          const dy = a.y - b.y;
          const d = Math.hypot(dx, dy) || 0.01;
          if (d >= 46) continue;
          const push = (46 - d) / 2;
          a.x += (dx / d) * push * 2.2; a.y += (dy / d) * push;
          b.x -= (dx / d) * push * 2.2; b.y -= (dy / d) * push;
          moved = true;
        }
      }
      for (const node of nodes) {
        node.x = Math.min(WIDTH - 30, Math.max(30, node.x));
        node.y = Math.min(HEIGHT - 30, Math.max(24, node.y));
      }
      if (!moved) break;
    }
  }

  function render(data) {
    picture.replaceChildren();
    picture.classList.remove("focus");
    // the server sends the busiest actors with their degrees, and the edges among them
    // already counted: one per source, target and category, with its number of events
    const most = Math.max(1, ...data.nodes.map((node) => node.degree));
    const byId = new Map(data.nodes.map((node) => [node.id, { ...node, weight: Math.sqrt(node.degree / most) }]));
    const nodes = [...byId.values()];
    const pairs = new Map();
    let events = 0;
    for (const edge of data.edges) {
      const a = byId.get(edge.source);
      const b = byId.get(edge.target);
      const key = [edge.source, edge.target].sort().join(" ");
      if (!pairs.has(key)) pairs.set(key, { a, b, weight: 0, edges: [] });
      const pair = pairs.get(key);
      pair.weight += edge.events;
      pair.edges.push(edge);
      events += edge.events;
    }
    const shown = data.actors > nodes.length ? `the ${nodes.length} busiest of ${data.actors} actors` : `${nodes.length} actors`;
    $("network-status").textContent =
      `${shown} · ${events} event edges among them` + (data.truncated ? " · cut at the row limit" : "");
    legend(data.categories);
    if (!nodes.length) {
      svg("text", { x: WIDTH / 2, y: HEIGHT / 2, "text-anchor": "middle", class: "empty" }, picture)
        .textContent = "No events with named parties on both sides in this period.";
      return;
    }
    layout(nodes, [...pairs.values()]);

    const defs = svg("defs", {}, picture);
    for (const category of data.categories) {
      const marker = svg("marker", {
        id: `arrow-${category.name}`, viewBox: "0 0 10 10", refX: "9", refY: "5",
        markerWidth: "10", markerHeight: "10", markerUnits: "userSpaceOnUse", orient: "auto-start-reverse",
      }, defs);
      svg("path", { d: "M0,0 L10,5 L0,10 z", fill: colour(category.name) }, marker);
    }
    const radius = (node) => 6 + 12 * node.weight;
    const heaviest = Math.max(1, ...data.edges.map((edge) => edge.events));
    const edgeLayer = svg("g", { class: "edges" }, picture);
    const nodeLayer = svg("g", { class: "nodes" }, picture);

    for (const pair of pairs.values()) {
      // parallel edges bow out on either side of the straight line, in a stable order
      const [p, q] = [pair.a, pair.b].sort((u, v) => (u.id < v.id ? -1 : 1));
      const count = pair.edges.length;
      pair.edges.forEach((edge, index) => {
        const from = byId.get(edge.source);
        const to = byId.get(edge.target);
        const bow = (index - (count - 1) / 2) * Math.min(16, 90 / count);
        const mx = (p.x + q.x) / 2;
        const my = (p.y + q.y) / 2;
        const length = Math.max(Math.hypot(q.x - p.x, q.y - p.y), 1);
        const nx = -(q.y - p.y) / length;
        const ny = (q.x - p.x) / length;
        const c = { x: mx + nx * bow * 2, y: my + ny * bow * 2 };
        // stop the line at the target's rim so the arrow head shows
        const tx = to.x - c.x;
        const ty = to.y - c.y;
        const tl = Math.max(Math.hypot(tx, ty), 1);
        const end = { x: to.x - (tx / tl) * (radius(to) + 3), y: to.y - (ty / tl) * (radius(to) + 3) };
        const link = svg("a", safe(edge.href) ? { href: edge.href } : {}, edgeLayer);
        const path = svg("path", {
          class: "edge",
          d: `M${from.x.toFixed(1)},${from.y.toFixed(1)} Q${c.x.toFixed(1)},${c.y.toFixed(1)} ${end.x.toFixed(1)},${end.y.toFixed(1)}`,
          stroke: colour(edge.category),
          "stroke-width": (1.5 + 4.5 * Math.sqrt(edge.events / heaviest)).toFixed(1),
          "marker-end": `url(#arrow-${edge.category})`,
          "data-source": edge.source,
          "data-target": edge.target,
          "data-category": edge.category,
        }, link);
        svg("title", {}, path).textContent =
          `${edge.events} ${edge.category} event${edge.events === 1 ? "" : "s"}, ${from.label} → ${to.label}; ` +
          `click for one: ${edge.label}`;
      });
    }

    for (const node of nodes) {
      const attrs = { class: `node ${node.kind}`, "data-id": node.id };
      if (safe(node.href)) attrs.href = node.href;
      const link = svg("a", attrs, nodeLayer);
      const r = radius(node);
      svg("circle", { cx: node.x.toFixed(1), cy: node.y.toFixed(1), r: r.toFixed(1) }, link);
      const below = node.y < HEIGHT - 30;
      const anchor = node.x > WIDTH - 110 ? "end" : node.x < 110 ? "start" : "middle";
      const shift = anchor === "end" ? r : anchor === "start" ? -r : 0;
      const label = node.label.length > 26 ? node.label.slice(0, 24) + "…" : node.label;
      svg("text", {
        x: (node.x + shift).toFixed(1),
        y: (below ? node.y + r + 14 : node.y - r - 6).toFixed(1),
        "text-anchor": anchor,
      }, link).textContent = label;
      svg("title", {}, link).textContent = `${node.label} (${node.kind}), ${node.degree} event edge${node.degree === 1 ? "" : "s"} in this period`;
      link.addEventListener("mouseenter", () => focus(node.id));
      link.addEventListener("mouseleave", () => focus(null));
    }
  }

  function focus(id) {
    picture.classList.toggle("focus", id !== null);
    const near = new Set([id]);
    for (const path of picture.querySelectorAll(".edge")) {
      const hot = id !== null && (path.dataset.source === id || path.dataset.target === id);
      path.classList.toggle("hot", hot);
      if (hot) { near.add(path.dataset.source); near.add(path.dataset.target); }
    }
    for (const node of picture.querySelectorAll(".node")) node.classList.toggle("hot", near.has(node.dataset.id));
  }

  function legend(categories) {
    const box = $("legend");
    box.replaceChildren();
    for (const category of categories) {
      const item = el("span", { class: "item", title: `${category.edges} event edge${category.edges === 1 ? "" : "s"} among the actors shown` },
        el("span", { class: "swatch" }), `${category.name} ${category.edges}`);
      item.style.setProperty("--c", colour(category.name));
      box.append(item);
    }
    box.append(el("span", { class: "kinds" },
      el("span", {}, el("span", { class: "dot state" }), "state"),
      el("span", {}, el("span", { class: "dot person" }), "person"),
      el("span", {}, el("span", { class: "dot organization" }), "organisation"),
      el("span", {}, "arrows point from source to target; click an edge for one of its events")));
  }

  $("period").addEventListener("submit", draw);
  for (const id of ["from", "to", "undated", "limit"]) $(id).addEventListener("change", () => draw());
  draw();
})();
