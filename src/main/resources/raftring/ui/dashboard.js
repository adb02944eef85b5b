// RaftRing dashboard: polls this node's JSON endpoints about once a second and draws what they say. Plain DOM and
// SVG, no library. Data from the node goes into the page only as text (textContent, attributes), never as markup.
'use strict';

(() => {
  const POLL_MS = 1000;
  const FETCH_TIMEOUT_MS = 5000;
  const WINDOW_SECONDS = 300;
  const TOKEN_KEY = 'raftring.token';
  // Okabe-Ito, in an order that keeps neighbours apart; yellow last (weak on white).
  const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000', '#F0E442'];
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const STATE_SYMBOL = {
    up: '\u25CF', joining: '\u25CC', leaving: '\u2197', decommissioning: '\u2198', unreachable: '\u25D0',
    down: '\u2715', absent: '\u2715',
  };

  const state = {
    members: null, cluster: null, placement: null, ring: null,
    series: {}, // node -> samples, oldest first
    since: 0,
    failures: {}, // endpoint -> {status, code, message}
    updated: {}, // endpoint -> Date.now() of its last success
    selected: null,
    key: null, explain: null,
  };

  // ---- fetching ----

  function token() {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  }

  async function getJson(path) {
    const headers = { Accept: 'application/json' };
    if (token()) {
      headers.Authorization = 'Bearer ' + token();
    }
    let response;
    try {
      response = await fetch(path, { headers, cache: 'no-store', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    } catch (e) {
      throw { status: 0, code: 'UNREACHABLE', message: e.name === 'TimeoutError'
        ? 'no answer within ' + FETCH_TIMEOUT_MS / 1000 + ' s' : 'the request failed (' + e.message + ')' };
    }
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      // not JSON: handled below
    }
    if (!response.ok) {
      throw { status: response.status, code: body && body.error || String(response.status),
        message: body && body.message || response.statusText };
    }
    return body;
  }

  // Runs fetch-and-store for one endpoint, again POLL_MS after the previous one started (or at once if it took longer).
  function poll(name, path, onData) {
    const tick = async () => {
      const started = performance.now();
      const url = typeof path === 'function' ? path() : path;
      if (url) {
        try {
          const data = await getJson(url);
          state.failures[name] = null;
          state.updated[name] = Date.now();
          onData(data);
        } catch (failure) {
          state.failures[name] = failure;
        }
        render();
      }
      setTimeout(tick, Math.max(100, POLL_MS - (performance.now() - started)));
    };
    tick();
  }

  function start() {
    poll('members', '/v1/cluster/members', data => { state.members = data; });
    poll('cluster', '/v1/cluster', data => { state.cluster = data; });
    poll('placement', '/v1/cluster/placement', data => {
      state.placement = data;
      if (state.ring && !sameSet(Object.keys(state.ring.node_points), data.placement_nodes)) {
        state.ring = null; // the ring's nodes changed: fetch it again
      }
    });
    poll('ring', () => (state.ring ? null : '/v1/cluster/ring'), data => { state.ring = data; });
    poll('requests', () => '/v1/cluster/requests?since=' + state.since, data => mergeSamples(data.nodes));
  }

  // Asked once per key: where a key lives changes only with the ring, and its group's leader is live in /v1/cluster.
  async function explain(key) {
    state.key = key;
    state.explain = null;
    state.failures.explain = null;
    render();
    try {
      const data = await getJson('/v1/kv/' + encodeURIComponent(key) + '?explain=true');
      if (state.key === key) {
        state.explain = data;
        state.selected = data.group;
      }
    } catch (failure) {
      state.failures.explain = failure;
    }
    render();
  }

  function mergeSamples(byNode) {
    const now = Math.floor(Date.now() / 1000);
    let newest = state.since;
    for (const [node, samples] of Object.entries(byNode)) {
      const series = state.series[node] || (state.series[node] = []);
      for (const s of samples) {
        if (!series.length || s.t > series[series.length - 1].t) {
          series.push(s);
        }
        newest = Math.max(newest, s.t);
      }
      while (series.length && series[0].t < now - WINDOW_SECONDS) {
        series.shift();
      }
    }
    // Ask only for what is new next time, with a few seconds of overlap for nodes whose clocks lag.
    state.since = Math.max(0, newest - 5);
  }

  function sameSet(a, b) {
    if (!a || !b || a.length !== b.length) {
      return false;
    }
    const set = new Set(a);
    return b.every(x => set.has(x));
  }

  // ---- small DOM helpers ----

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined && v !== false) {
        e.setAttribute(k, v === true ? '' : v);
      }
    }
    for (const c of children) {
      if (c !== null && c !== undefined) {
        e.append(c);
      }
    }
    return e;
  }

  function svg(tag, attrs, ...children) {
    const e = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined) {
        e.setAttribute(k, v);
      }
    }
    for (const c of children) {
      if (c !== null && c !== undefined) {
        e.append(c);
      }
    }
    return e;
  }

  // Replaces a container's children with fresh ones unless they would look the same (so hovering, selecting text and
  // screen readers are left alone while nothing changes), keeping keyboard focus on the element with the same
  // data-focus-key, so a once-a-second redraw never throws a keyboard user out of the table.
  function replaceChildren(container, children) {
    if (container.innerHTML === children.map(c => c.outerHTML).join('')) {
      return;
    }
    const focused = document.activeElement;
    const key = focused && container.contains(focused) ? focused.getAttribute('data-focus-key') : null;
    container.replaceChildren(...children);
    if (key) {
      const again = container.querySelector('[data-focus-key="' + CSS.escape(key) + '"]');
      if (again) {
        again.focus();
      }
    }
  }

  function swatch(node) {
    const s = el('span', { class: 'swatch', 'aria-hidden': 'true' });
    s.style.background = colourOf(node);
    return s;
  }

  function nodeLabel(node) {
    return el('span', { class: 'node-label' }, swatch(node), node);
  }

  function stateBadge(name) {
    return el('span', { class: 'state state-' + name }, (STATE_SYMBOL[name] || '') + ' ' + name);
  }

  function fmt(n, digits) {
    if (n === null || n === undefined || Number.isNaN(n)) {
      return '\u2013';
    }
    if (digits === undefined) {
      digits = n === 0 || n >= 100 ? 0 : n >= 10 ? 1 : 2;
    }
    return n.toFixed(digits);
  }

  // ---- what the data means ----

  function nodeNames() {
    const names = new Set();
    (state.members ? state.members.nodes : []).forEach(n => names.add(n.node));
    if (state.ring) {
      Object.keys(state.ring.node_points).forEach(n => names.add(n));
    }
    (state.cluster ? state.cluster.groups : []).forEach(g => g.replicas.forEach(n => names.add(n)));
    return [...names].sort();
  }

  function colourOf(node) {
    const i = nodeNames().indexOf(node);
    return i < 0 ? '#8c959f' : PALETTE[i % PALETTE.length];
  }

  function nodeState(node) {
    const n = state.members && state.members.nodes.find(m => m.node === node);
    return n ? n.state : 'unknown';
  }

  function groupLeaders() {
    const leaders = {};
    (state.cluster ? state.cluster.groups : []).forEach(g => { leaders[g.group] = g.leader; });
    return leaders;
  }

  // ---- rendering ----

  function render() {
    renderSummary();
    renderBanner();
    renderNodes();
    renderRing();
    renderKey();
    renderGroups();
    renderPlacement();
  }

  function renderSummary() {
    const parts = [];
    if (state.members) {
      const nodes = state.members.nodes;
      const up = nodes.filter(n => n.state === 'up' || n.state === 'decommissioning').length;
      parts.push('via ' + state.members.node, up + ' of ' + nodes.length + ' nodes up');
    }
    if (state.cluster) {
      const led = state.cluster.groups.filter(g => g.leader).length;
      parts.push(led + ' of ' + state.cluster.groups.length + ' groups have a leader');
    }
    if (state.placement) {
      const moving = Object.keys(state.placement.moving).length;
      parts.push(moving ? moving + ' group(s) moving' : state.placement.groups_off_target
        ? state.placement.groups_off_target + ' group(s) off target' : 'placement settled');
    }
    const summary = parts.length ? parts.join(' \u00b7 ') : 'Connecting\u2026';
    // Only a changed summary is announced (it is a live region); the clock beside it is not.
    if (document.getElementById('summary').textContent !== summary) {
      document.getElementById('summary').textContent = summary;
    }
    document.getElementById('updated').textContent = state.updated.members
      ? 'updated ' + new Date(state.updated.members).toLocaleTimeString() : '';
  }

  function renderBanner() {
    const banner = document.getElementById('banner');
    const lines = [];
    let severity = 'bad';
    const failure = state.failures.members || state.failures.cluster;
    if (failure && failure.status === 401) {
      lines.push('This node asks for a bearer token with role read. Enter it under Token above; the page keeps it '
        + 'in this tab only and sends it with each request.');
    } else if (failure && failure.status === 403) {
      lines.push('The node refused the token: ' + failure.message);
    } else if (failure && failure.status === 0) {
      const since = state.updated.members
        ? ' What you see is from ' + new Date(state.updated.members).toLocaleTimeString() + '.' : '';
      lines.push('This page cannot reach the node at ' + location.host + ': ' + failure.message + '.' + since);
    } else if (failure) {
      lines.push('The node answered ' + failure.status + ' ' + failure.code + ': ' + failure.message);
    }
    const m = state.members;
    if (m && !state.failures.members) {
      const self = m.node;
      if (m.self_status !== 'up') {
        lines.push(self + ' is not up in the cluster (its status is ' + m.self_status + '): what it shows may be '
          + 'incomplete.');
      }
      if (m.unreachable_from_here.length) {
        const others = m.unreachable_from_here.join(', ');
        lines.push(self + ' cannot reach ' + others + '. What is shown of ' + others + ' is what ' + self
          + ' last heard, and groups led there show no leader from here; to see their side, open the dashboard on '
          + 'one of them.');
        severity = lines.length === 1 ? 'warn' : severity;
      }
    }
    banner.hidden = lines.length === 0;
    banner.className = severity;
    replaceChildren(banner, lines.map(line => el('p', {}, line)));
  }

  function renderNodes() {
    const container = document.getElementById('nodes');
    if (!state.members) {
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    replaceChildren(container, state.members.nodes.map(n => {
      const self = n.node === state.members.node;
      const gone = n.state === 'absent' || n.state === 'down';
      const facts = 'leads ' + n.leads + ' \u00b7 hosts ' + n.hosts
        + (n.absent_seconds > 0 ? ' \u00b7 absent ' + n.absent_seconds + ' s' : '')
        + (self ? ' \u00b7 this page talks to it' : '');
      const series = state.series[n.node] || [];
      const charts = el('div', { class: 'charts' },
        chart('requests/s', series, now, [{ key: 'rps', cls: 'spark-line', area: true }],
          last => fmt(last.rps)),
        chart('p50 / p99 ms', series, now,
          [{ key: 'p50_ms', cls: 'spark-p50' }, { key: 'p99_ms', cls: 'spark-p99' }],
          last => fmt(last.p50_ms) + ' / ' + fmt(last.p99_ms), true),
        errorChart(series, now));
      const missing = !gone && series.length > 0 && now - series[series.length - 1].t > 5
        ? el('span', { class: 'note' }, 'no figures for ' + (now - series[series.length - 1].t) + ' s') : null;
      return el('article', {
        class: 'node' + (self ? ' self' : '') + (gone ? ' gone' : ''), 'data-node': n.node, 'data-state': n.state,
        'data-requests': Math.round(series.reduce((sum, s) => sum + s.rps, 0)),
        'aria-label': 'node ' + n.node + ', ' + n.state,
      },
      el('div', { class: 'node-head' }, el('span', { class: 'node-name' }, nodeLabel(n.node)), stateBadge(n.state),
        el('span', { class: 'node-facts' }, facts), missing),
      charts);
    }));
  }

  function chart(title, series, now, lines, current, robust) {
    const last = series.length ? series[series.length - 1] : null;
    return el('div', { class: 'chart' },
      el('span', { class: 'label' }, title), el('span', { class: 'value' }, last ? current(last) : '\u2013'),
      sparkline(series, now, lines, robust));
  }

  // Not found and compare-and-set conflicts are answers, not failures: listed by code, left out of the line.
  const ANSWERS = new Set(['NOT_FOUND', 'CONFLICT']);

  function errorChart(series, now) {
    const failures = series.map(s => ({ t: s.t, total: Object.entries(s.errors)
      .filter(([code]) => !ANSWERS.has(code)).reduce((sum, [, rate]) => sum + rate, 0) }));
    const lastMinute = {};
    series.filter(s => s.t > now - 60).forEach(s => {
      for (const [code, rate] of Object.entries(s.errors)) {
        lastMinute[code] = (lastMinute[code] || 0) + rate;
      }
    });
    const codes = Object.entries(lastMinute).sort((a, b) => b[1] - a[1])
      .map(([code, n]) => el('span', { class: ANSWERS.has(code) ? 'answer-code' : 'error-code' },
        code + ' ' + Math.round(n)));
    const last = failures.length ? failures[failures.length - 1] : null;
    return el('div', { class: 'chart' },
      el('span', { class: 'label', title: 'error answers per second, not counting NOT_FOUND and CONFLICT' },
        'errors/s'),
      el('span', { class: 'value' }, last ? fmt(last.total) : '\u2013'),
      sparkline(failures, now, [{ key: 'total', cls: 'spark-err' }]),
      el('span', { class: 'errors-by-code', title: 'error answers in the last minute, by code' },
        ...(codes.length ? ['last min: ', ...codes.flatMap((c, i) => (i ? [', ', c] : [c]))] : [])));
  }

  // A sparkline over the last WINDOW_SECONDS, y from 0 to the largest value shown; robust: to a little above the
  // 95th percentile instead, so one stall does not flatten the rest (what lies above is drawn at the top).
  function sparkline(series, now, lines, robust) {
    const w = 120;
    const h = 30;
    const values = [];
    lines.forEach(l => series.forEach(s => { if (s[l.key] !== null && s[l.key] !== undefined) { values.push(s[l.key]); } }));
    values.sort((a, b) => a - b);
    let max = values.length ? values[values.length - 1] : 0;
    if (robust && values.length >= 20) {
      max = Math.min(max, values[Math.floor(values.length * 0.95)] * 1.25);
    }
    max = max || 1;
    const x = t => ((t - (now - WINDOW_SECONDS)) / WINDOW_SECONDS) * w;
    const y = v => h - 1 - (Math.min(v, max) / max) * (h - 3);
    const chart = svg('svg', { viewBox: '0 0 ' + w + ' ' + h, preserveAspectRatio: 'none', 'aria-hidden': 'true' },
      svg('line', { class: 'spark-axis', x1: 0, y1: h - 0.5, x2: w, y2: h - 0.5 }));
    for (const line of lines) {
      // A sample without a value (no requests, so no latency) breaks the line rather than drawing a zero.
      let d = '';
      let pen = false;
      for (const s of series) {
        const v = s[line.key];
        if (v === null || v === undefined) {
          pen = false;
          continue;
        }
        d += (pen ? 'L' : 'M') + x(s.t).toFixed(1) + ' ' + y(v).toFixed(1);
        pen = true;
      }
      if (d) {
        if (line.area && series.length) {
          const first = series[0];
          const lastS = series[series.length - 1];
          chart.append(svg('path', { class: 'spark-area',
            d: d + 'L' + x(lastS.t).toFixed(1) + ' ' + h + 'L' + x(first.t).toFixed(1) + ' ' + h + 'Z' }));
        }
        chart.append(svg('path', { class: line.cls, d }));
      }
    }
    return chart;
  }

  // ---- the ring ----

  const CX = 200;
  const CY = 200;

  function point(position, radius) {
    const angle = (position / state.ring.ring_size) * 2 * Math.PI;
    return [CX + radius * Math.sin(angle), CY - radius * Math.cos(angle)];
  }

  // An arc clockwise from start to end (positions); end not after start wraps; equal is the whole circle.
  function arcPath(start, end, radius) {
    const size = state.ring.ring_size;
    let span = end - start;
    if (span <= 0) {
      span += size;
    }
    if (span >= size - 1) {
      const [x0, y0] = point(start, radius);
      const [x1, y1] = point(start + size / 2, radius);
      return 'M' + x0 + ' ' + y0 + 'A' + radius + ' ' + radius + ' 0 1 1 ' + x1 + ' ' + y1
        + 'A' + radius + ' ' + radius + ' 0 1 1 ' + x0 + ' ' + y0;
    }
    const [x0, y0] = point(start, radius);
    const [x1, y1] = point(start + span, radius);
    const large = span > size / 2 ? 1 : 0;
    return 'M' + x0.toFixed(2) + ' ' + y0.toFixed(2) + 'A' + radius + ' ' + radius + ' 0 ' + large + ' 1 '
      + x1.toFixed(2) + ' ' + y1.toFixed(2);
  }

  function renderRing() {
    const ring = state.ring;
    const root = document.getElementById('ring');
    if (!ring) {
      return;
    }
    const leaders = groupLeaders();
    const children = [
      svg('title', { id: 'ring-title' }, 'Consistent-hash rings'),
      svg('desc', { id: 'ring-desc' }, ringDescription(ring, leaders)),
      svg('circle', { cx: CX, cy: CY, r: 170, fill: 'none', stroke: '#d0d7de' }),
    ];
    // Node ring: each node's virtual nodes as short radial ticks.
    for (const [node, positions] of Object.entries(ring.node_points)) {
      let d = '';
      for (const p of positions) {
        const [x0, y0] = point(p, 172);
        const [x1, y1] = point(p, 186);
        d += 'M' + x0.toFixed(1) + ' ' + y0.toFixed(1) + 'L' + x1.toFixed(1) + ' ' + y1.toFixed(1);
      }
      children.push(svg('path', { d, stroke: colourOf(node), 'stroke-width': 1.2, class: 'vnodes' },
        svg('title', {}, node + ': ' + positions.length + ' virtual nodes')));
    }
    // Key ring: stretches of keys by the leader of their group, one path per colour.
    const byLeader = {};
    for (const [start, end, group] of ring.key_arcs) {
      const leader = leaders[group] || '';
      byLeader[leader] = (byLeader[leader] || '') + arcPath(start, end, 112);
    }
    for (const [leader, d] of Object.entries(byLeader)) {
      children.push(svg('path', { d, fill: 'none', stroke: leader ? colourOf(leader) : '#d0d7de',
        'stroke-width': 16, class: 'key-arcs' },
      svg('title', {}, leader ? 'keys of groups led by ' + leader : 'keys of groups without a known leader')));
    }
    children.push(svg('circle', { cx: CX, cy: CY, r: 120, fill: 'none', stroke: '#fff', 'stroke-width': 0.5 }));
    // The selected group: its key stretches outlined, its arc on the node ring.
    const selected = ring.groups.find(g => g.group === state.selected);
    if (selected) {
      let d = '';
      for (const [start, end, group] of ring.key_arcs) {
        if (group === selected.group) {
          d += arcPath(start, end, 98);
        }
      }
      children.push(svg('path', { d, fill: 'none', stroke: '#24292f', 'stroke-width': 6, class: 'selected-keys' }));
      children.push(svg('path', { d: arcPath(selected.position, selected.end, 165), fill: 'none', stroke: '#24292f',
        'stroke-width': 4, 'stroke-linecap': 'round', class: 'selected-arc' }));
      // The virtual nodes that picked its replicas, numbered in preference order.
      selected.picked.forEach(([position, node], i) => {
        const [x, y] = point(position, 181 + 8 * i);
        children.push(svg('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: 6, fill: colourOf(node), stroke: '#24292f',
          'stroke-width': 1, class: 'picked' }, svg('title', {}, 'replica ' + (i + 1) + ' of '
          + selected.group + ': ' + node)));
        children.push(svg('text', { x: x.toFixed(1), y: (y + 3).toFixed(1), 'text-anchor': 'middle',
          'font-size': 8, 'font-weight': 700, fill: i === 1 ? '#000' : '#fff' }, String(i + 1)));
      });
    }
    // Groups at their positions on the node ring.
    for (const g of ring.groups) {
      const [x, y] = point(g.position, 160);
      const leader = leaders[g.group];
      const isSelected = g.group === state.selected;
      const dot = svg('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: isSelected ? 7 : 5,
        fill: leader ? colourOf(leader) : '#fff', stroke: '#24292f', 'stroke-width': isSelected ? 2.5 : 1,
        class: 'group-dot', 'data-group': g.group },
      svg('title', {}, g.group + ': ring places it on ' + g.replicas.join(', ')
        + (leader ? '; led by ' + leader : '; no known leader')));
      dot.addEventListener('click', () => select(g.group));
      children.push(dot);
      if (isSelected || ring.groups.length <= 24) {
        const [lx, ly] = point(g.position, 146);
        children.push(svg('text', { x: lx.toFixed(1), y: (ly + 3).toFixed(1), 'text-anchor': 'middle',
          'font-size': isSelected ? 12 : 9, 'font-weight': isSelected ? 700 : 400, fill: '#24292f' }, g.group));
      }
    }
    // The explained key: a needle at its hash.
    if (state.explain && state.explain.hash !== undefined) {
      const [x0, y0] = point(state.explain.hash, 88);
      const [x1, y1] = point(state.explain.hash, 128);
      children.push(svg('line', { x1: x0, y1: y0, x2: x1, y2: y1, stroke: '#24292f', 'stroke-width': 2.5,
        class: 'key-needle' }));
      const [tx, ty] = point(state.explain.hash, 76);
      children.push(svg('text', { x: tx, y: ty + 4, 'text-anchor': 'middle', 'font-size': 11, 'font-weight': 700 },
        'key'));
    }
    const nodes = Object.keys(ring.node_points).length;
    children.push(svg('text', { x: CX, y: CY - 6, 'text-anchor': 'middle', 'font-size': 13, 'font-weight': 600 },
      ring.groups.length + ' groups on ' + nodes + ' nodes'));
    children.push(svg('text', { x: CX, y: CY + 12, 'text-anchor': 'middle', 'font-size': 11, fill: '#57606a' },
      ring.virtual_nodes + ' virtual nodes each, R = ' + ring.replication_factor));
    if (ring.key_arcs_sampled) {
      children.push(svg('text', { x: CX, y: CY + 28, 'text-anchor': 'middle', 'font-size': 10, fill: '#57606a' },
        'key ring sampled'));
    }
    replaceChildren(root, children);
    renderLegend();
  }

  function ringDescription(ring, leaders) {
    const perNode = {};
    Object.values(leaders).forEach(l => { if (l) { perNode[l] = (perNode[l] || 0) + 1; } });
    return ring.groups.length + ' groups placed on the ring of ' + Object.keys(ring.node_points).join(', ')
      + ' with ' + ring.virtual_nodes + ' virtual nodes each. Groups led per node: '
      + (Object.entries(perNode).map(([n, c]) => n + ' ' + c).join(', ') || 'none known') + '.';
  }

  function renderLegend() {
    const items = nodeNames().map(n => el('li', {}, nodeLabel(n), ' ', el('span', { class: 'note' }, nodeState(n))));
    items.push(el('li', {}, el('span', { class: 'swatch', 'aria-hidden': 'true' }), 'no leader known'));
    replaceChildren(document.getElementById('ring-legend'), items);
  }

  // ---- key box ----

  function renderKey() {
    const dl = document.getElementById('key-result');
    if (state.key === null) {
      return;
    }
    if (state.failures.explain) {
      const f = state.failures.explain;
      replaceChildren(dl, [el('dd', { class: 'error' }, f.code + ': ' + f.message)]);
      return;
    }
    const e = state.explain;
    if (!e) {
      replaceChildren(dl, [el('dd', { class: 'note' }, 'asking\u2026')]);
      return;
    }
    // The group's leader now (from the live status), else the one the node named when asked.
    const leader = state.cluster ? groupLeaders()[e.group] : e.leader;
    const hex = '0x' + e.hash.toString(16).padStart(8, '0');
    const share = state.ring ? ' (' + (100 * e.hash / state.ring.ring_size).toFixed(1) + '% round the ring)' : '';
    const groupButton = el('button', { type: 'button', 'data-field': 'group', 'data-focus-key': 'key-group' },
      e.group);
    groupButton.addEventListener('click', () => select(e.group));
    const rows = [
      ['Key', el('span', {}, e.key)],
      ['Hash', el('span', {}, e.hash + ' = ' + hex + share)],
      ['Group', groupButton],
      ['Replicas', el('span', { 'data-field': 'replicas' }, ...e.replicas.flatMap((n, i) =>
        [i ? ', ' : '', nodeLabel(n)]))],
      ['Leader', el('span', { 'data-field': 'leader' }, leader ? nodeLabel(leader) : 'none known')],
    ];
    replaceChildren(dl, rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
  }

  // ---- groups table ----

  function renderGroups() {
    if (!state.cluster) {
      return;
    }
    const tbody = document.querySelector('#groups tbody');
    const moving = state.placement ? state.placement.moving : {};
    const ringReplicas = {};
    (state.ring ? state.ring.groups : []).forEach(g => { ringReplicas[g.group] = g.replicas; });
    replaceChildren(tbody, state.cluster.groups.map(g => {
      const leaderStatus = g.replica_status.find(r => r.node === g.leader);
      const commit = leaderStatus ? leaderStatus.commit_index
        : Math.max(0, ...g.replica_status.map(r => r.commit_index));
      const chips = g.replica_status.map(r => {
        const lag = r.reachable ? Math.max(0, commit - r.last_applied) : null;
        const learner = g.learners.includes(r.node);
        const role = r.reachable ? (learner && r.role !== 'leader' ? 'learner' : r.role) : 'unreachable';
        return el('span', { class: 'replica ' + (r.role === 'leader' ? 'leader' : '') + (r.reachable ? '' : ' unreachable'),
          'data-node': r.node, 'data-role': role },
        swatch(r.node), r.node + ' ' + (r.role === 'leader' ? '\u2605 ' : '') + role,
        r.reachable ? ' ' + r.commit_index + ' / ' + r.last_applied : null,
        r.reachable && r.term !== g.term ? el('span', { class: 'lag' }, ' term ' + r.term) : null,
        lag ? el('span', { class: 'lag' }, ' lag ' + lag) : null);
      });
      const status = [];
      let statusClass = '';
      const voters = g.voters.length ? g.voters : g.replicas;
      const answering = voters.filter(v => g.replica_status.some(r => r.node === v && r.reachable)).length;
      if (answering <= voters.length / 2) {
        status.push('no quorum: ' + answering + ' of ' + voters.length + ' voters answer');
        statusClass = 'status-bad';
      }
      const silent = g.replica_status.filter(r => !r.reachable).map(r => r.node);
      if (!g.leader && answering > voters.length / 2) {
        status.push(silent.length ? 'no leader that ' + (state.cluster.node || 'this node') + ' can reach'
          : 'no leader');
        statusClass = 'status-bad';
      }
      if (silent.length) {
        status.push(silent.join(', ') + ' not answering');
        statusClass = statusClass || 'status-warn';
      }
      if (moving[g.group]) {
        status.push('moving: ' + moving[g.group]);
        statusClass = statusClass || 'status-warn';
      }
      if (g.change_in_progress) {
        status.push(g.change_in_progress);
        statusClass = statusClass || 'status-warn';
      }
      const wanted = ringReplicas[g.group];
      if (wanted && !sameSet(wanted, g.voters.length ? g.voters : g.replicas)) {
        status.push('ring wants ' + wanted.join(', '));
        statusClass = statusClass || 'status-warn';
      }
      const button = el('button', { type: 'button', class: 'group-button', 'data-focus-key': 'group-' + g.group,
        'aria-pressed': String(g.group === state.selected) }, g.group);
      button.addEventListener('click', () => select(g.group === state.selected ? null : g.group));
      return el('tr', { 'data-group': g.group, 'data-leader': g.leader || '',
        class: (g.group === state.selected ? 'selected' : '') + (g.leader ? '' : ' leaderless') },
      el('td', {}, button),
      el('td', {}, g.leader ? nodeLabel(g.leader) : el('span', { class: 'status-bad' }, 'none')),
      el('td', {}, String(g.term)),
      el('td', {}, el('div', { class: 'replicas' }, ...chips)),
      el('td', { class: statusClass }, status.join('; ') || 'ok'));
    }));
  }

  // ---- placement ----

  function renderPlacement() {
    const container = document.getElementById('placement');
    const failure = state.failures.placement;
    const p = state.placement;
    const parts = [];
    if (failure) {
      parts.push(el('p', { class: 'failure' }, 'The placement driver did not answer: ' + failure.message));
    }
    if (p) {
      parts.push(el('p', {}, 'Driver on ' + p.driver_node + ' \u00b7 ring nodes ' + p.placement_nodes.join(', ')
        + (p.decommissioned.length ? ' \u00b7 decommissioning ' + p.decommissioned.join(', ') : '')
        + ' \u00b7 groups off target ' + p.groups_off_target));
      const leaders = Object.entries(p.leaders_per_node).filter(([n]) => n !== 'null');
      const most = Math.max(1, ...leaders.map(([, c]) => c));
      const bars = el('div', { class: 'bars', role: 'list', 'aria-label': 'leaders per node' });
      for (const [node, count] of leaders.sort()) {
        const bar = el('div', { class: 'bar' });
        bar.style.width = (100 * count / most) + '%';
        bar.style.background = colourOf(node);
        bars.append(el('span', { role: 'listitem' }, nodeLabel(node)), bar, el('span', {}, String(count)));
      }
      parts.push(el('h3', {}, 'Leaders per node'), bars);
      const moving = Object.entries(p.moving);
      parts.push(el('h3', {}, 'Steps in flight (' + moving.length + ')'));
      parts.push(moving.length ? el('ul', {}, ...moving.map(([g, step]) => el('li', {}, g + ': ' + step)))
        : el('p', { class: 'note' }, 'none'));
      const done = Object.entries(p.steps_done);
      if (done.length) {
        parts.push(el('p', { class: 'note' }, 'Done since the driver started: '
          + done.map(([a, n]) => a.toLowerCase().replace(/_/g, ' ') + ' ' + n).join(', ')));
      }
      parts.push(el('h3', {}, 'Recent failures (' + p.recent_failures.length + ')'));
      parts.push(p.recent_failures.length
        ? el('ul', {}, ...p.recent_failures.slice().reverse().map(f => el('li', { class: 'failure' }, f)))
        : el('p', { class: 'note' }, 'none'));
    }
    replaceChildren(container, parts);
  }

  // ---- interaction ----

  function select(group) {
    state.selected = group;
    render();
  }

  function setupForms() {
    const tokenInput = document.getElementById('token');
    tokenInput.value = token();
    document.getElementById('token-form').addEventListener('submit', event => {
      event.preventDefault();
      const value = tokenInput.value.trim();
      if (value) {
        sessionStorage.setItem(TOKEN_KEY, value);
      } else {
        sessionStorage.removeItem(TOKEN_KEY);
      }
      state.ring = null;
    });
    document.getElementById('token-forget').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN_KEY);
      tokenInput.value = '';
    });
    document.getElementById('key-form').addEventListener('submit', event => {
      event.preventDefault();
      const key = document.getElementById('key').value;
      if (key === '') {
        state.key = null;
        state.explain = null;
        replaceChildren(document.getElementById('key-result'), []);
        render();
      } else {
        history.replaceState(null, '', '#key=' + encodeURIComponent(key));
        explain(key);
      }
    });
  }

  // A key named in the address (#key=...) is explained at once, so a link can point at where a key lives.
  function explainKeyInAddress() {
    const match = /^#key=(.*)$/.exec(location.hash);
    if (match) {
      const key = decodeURIComponent(match[1]);
      document.getElementById('key').value = key;
      explain(key);
    }
  }

  setupForms();
  start();
  explainKeyInAddress();
})();
