// The live page: loads the run's charts and data from /api/live, follows it by Server-Sent
// Events (polling /api/live/update when they fail), and draws with uPlot. No request leaves
// the server it came from.
'use strict';

(() => {
  const COLORS = ['#2563eb', '#16a34a', '#ca8a04', '#ea580c', '#dc2626', '#7c3aed'];
  const RECENT_TURNS = 200;
  const ALL_POINTS = 1000;
  const TABLE_ROWS = 10;
  const TABLE_REFRESH_MS = 5000;
  const LANES_EVERY_MS = 2000;
  const POLL_MS = 1000;
  const DRAW_EVERY_MS = 500;
  const COLUMNS = {
    companies: ['name', 'continent', 'strategy', 'state', 'budget', 'spent', 'purchases', 'inventory'],
    products: ['name', 'type', 'active', 'price', 'unitsSold', 'stock', 'inTransit'],
    suppliers: ['name', 'continent', 'active', 'unitsSold', 'stock', 'inTransit', 'offers'],
  };
  // Left out in a narrow card (a phone, three cards a row), so every table fits its card.
  const MINOR = ['continent', 'strategy', 'inventory', 'type', 'inTransit', 'offers', 'active'];
  const SORTABLE = {
    companies: ['name', 'budget', 'spent', 'purchases', 'inventory'],
    products: ['name', 'price', 'unitsSold', 'stock', 'inTransit'],
    suppliers: ['name', 'unitsSold', 'stock', 'inTransit'],
  };

  // `/?turn=N` opens the page at turn N: the charts centred on it, the turn marked.
  const FOCUS = Number(new window.URLSearchParams(window.location.search).get('turn')) || 0;
  const FOCUS_SPAN = 100;
  // `/?axis=time` labels the charts' x axis with the simulated time of each turn (UTC).
  const AXIS = new window.URLSearchParams(window.location.search).get('axis') === 'time' ? 'time' : 'turn';
  // What the page keeps, as the server does (the oldest go first): markers of each kind apart,
  // so frequent events never push the rare shocks out.
  const KEPT_MARKERS = 500;
  const KEPT_TRANSITIONS = 1000;
  const s = {
    window: 'recent',
    axis: AXIS,
    calendar: null,
    figures: [],
    turns: [],
    columns: [],
    markers: [],
    transitions: [],
    rules: [],
    active: [],
    header: null,
    markerSeen: 0,
    transitionSeen: 0,
    charts: [],
    // Points taken so far (a chart is redrawn only when it has new ones), and whether the
    // list of markers changed since it was drawn.
    points: 0,
    markersChanged: false,
    sorts: {
      companies: { sort: 'budget', order: 'desc' },
      products: { sort: 'unitsSold', order: 'desc' },
      suppliers: { sort: 'unitsSold', order: 'desc' },
    },
  };
  const $ = (id) => document.getElementById(id);
  const el = (tag, text, className) => {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = String(text);
    if (className) e.className = className;
    return e;
  };
  const plain = new Intl.NumberFormat('en', { maximumFractionDigits: 2, useGrouping: false });
  const small = new Intl.NumberFormat('en', { maximumSignificantDigits: 4, useGrouping: false });
  const fmt = (v) =>
    typeof v !== 'number' ? String(v) : Math.abs(v) < 1 && v !== 0 ? small.format(v) : plain.format(v);

  async function getJson(url, init) {
    const res = await fetch(url, init);
    const body = await res.json();
    if (!res.ok) throw new Error(body.message || `HTTP ${res.status}`);
    return body;
  }
  const maxId = (items, seen) => items.reduce((m, i) => Math.max(m, i.id), seen);

  // --- charts ---------------------------------------------------------------------------

  /**
   * Draws the markers over a chart's plot area: shocks as full lines, events as dashed ones
   * in the last turns and as short ticks on the axis in the whole run (dozens would hide the
   * data); the focused turn (`?turn=N`) as a blue line.
   */
  function drawMarkers(u) {
    const { ctx } = u;
    const [lo, hi] = [u.scales.x.min, u.scales.x.max];
    const bottom = u.bbox.top + u.bbox.height;
    const line = (turn, style, dash, top) => {
      const x = Math.round(u.valToPos(turn, 'x', true)) + 0.5;
      ctx.strokeStyle = style;
      ctx.setLineDash(dash);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, bottom);
      ctx.stroke();
    };
    ctx.save();
    ctx.lineWidth = 1;
    const whole = s.window === 'all';
    for (const m of s.markers) {
      if (m.turn < lo || m.turn > hi) continue;
      if (m.kind === 'shock') line(m.turn, 'rgba(220,38,38,0.7)', [], u.bbox.top);
      else if (whole) line(m.turn, 'rgba(107,114,128,0.6)', [], bottom - 8 * window.devicePixelRatio);
      else line(m.turn, 'rgba(107,114,128,0.5)', [4, 4], u.bbox.top);
    }
    if (FOCUS >= lo && FOCUS <= hi) {
      ctx.lineWidth = 2;
      line(FOCUS, 'rgba(37,99,235,0.9)', [], u.bbox.top);
    }
    ctx.restore();
  }

  /** The markers within a few pixels of the cursor, as one line of text (the hover label). */
  function markersAt(u, left) {
    if (left === undefined || left < 0) return '';
    const near = s.markers.filter((m) => Math.abs(u.valToPos(m.turn, 'x') - left) <= 4);
    return near.map((m) => `turn ${m.turn}: ${m.label}`).join('; ');
  }

  function showHover(c) {
    const text = markersAt(c.plot, c.plot.cursor.left);
    if (c.hover.textContent !== text) c.hover.textContent = text;
  }

  /** Notes on a chart's box what it drew: its left scale's range, the x label of its first turn (what a test reads). */
  function noteDrawn(u) {
    const box = u.root.parentElement;
    box.dataset.yRange = `${u.scales.left?.min},${u.scales.left?.max}`;
    const first = u.data[0][0];
    box.dataset.firstX =
      first === undefined ? '' : s.axis === 'time' && s.calendar ? simulatedTime(first) : String(first);
  }

  function chartWidth(box) {
    return Math.max(240, box.clientWidth - 12);
  }

  /** A turn's simulated start, `YYYY-MM-DD HH:MM` UTC, from the scenario's calendar. */
  function simulatedTime(turn) {
    const { startSeconds, turnMinutes } = s.calendar;
    return new Date((startSeconds + (turn - 1) * turnMinutes * 60) * 1000).toISOString().slice(0, 16).replace('T', ' ');
  }

  /** The x axis: turn numbers, or the simulated time of those turns (the data stays by turn). */
  function xAxis() {
    // Whole turns only: a tick between two turns would name a time no turn starts at.
    const incrs = [1, 2, 3, 4, 6, 12, 24, 48, 72, 168, 336, 720, 1440, 2880, 8760, 17520, 43800, 87600];
    if (s.axis !== 'time' || !s.calendar) return { label: 'turn', incrs };
    return { label: 'simulated time (UTC)', values: (_u, splits) => splits.map(simulatedTime), space: 120, incrs };
  }

  function buildCharts(definitions) {
    const holder = $('charts');
    for (const def of definitions) {
      const box = el('div', undefined, 'chart');
      box.dataset.chart = def.id;
      box.dataset.points = '0';
      holder.append(box);
      const hasRight = def.series.some((x) => x.axis === 1);
      const hover = el('div', '', 'marker-hover');
      hover.setAttribute('aria-live', 'polite');
      const opts = {
        title: def.title,
        width: chartWidth(box),
        height: 220,
        scales: { x: { time: false } },
        legend: { live: true },
        series: [
          { label: 'turn' },
          ...def.series.map((x, i) => ({
            label: x.label,
            stroke: COLORS[i % COLORS.length],
            width: 1.5,
            scale: x.axis === 1 ? 'right' : 'left',
            // A turn with nothing to measure is a gap, never a line drawn across it.
            spanGaps: false,
          })),
        ],
        axes: [
          xAxis(),
          { scale: 'left', label: def.units[0], size: 70, values: (_u, splits) => splits.map(fmt) },
          ...(hasRight ? [{ scale: 'right', side: 1, label: def.units[1], grid: { show: false }, size: 60 }] : []),
        ],
        hooks: {
          draw: [drawMarkers, noteDrawn],
          setCursor: [(u) => showHover(s.charts.find((c) => c.plot === u))],
        },
      };
      const columns = def.series.map((x) => s.figures.indexOf(x.figure));
      const plot = new window.uPlot(opts, [[], ...columns.map(() => [])], box);
      box.append(hover);
      s.charts.push({ def, box, plot, columns, hover, visible: true, stale: false });
    }
    // A chart scrolled out of view is not drawn (drawing is most of the page's work when a
    // run goes flat out); it is brought up to date as it comes back.
    const seen = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const chart = s.charts.find((c) => c.box === entry.target);
        chart.visible = entry.isIntersecting;
        if (chart.visible && chart.stale) {
          drawn.points = -1;
          scheduleDraw();
        }
      }
    });
    for (const c of s.charts) seen.observe(c.box);
    new ResizeObserver(() => {
      for (const c of s.charts) c.plot.setSize({ width: chartWidth(c.box), height: 220 });
    }).observe(holder);
  }

  /** Redraws the charts in view with the data as it is now; the others when they come into view. */
  function redrawCharts() {
    for (const c of s.charts) {
      if (!c.visible) {
        c.stale = true;
        continue;
      }
      c.stale = false;
      const factor = (k) => c.def.series[k].scale;
      const scaled = (i, k) =>
        factor(k) ? s.columns[i].map((v) => (v === null ? null : v * factor(k))) : s.columns[i];
      // Centred on `/?turn=N`, the x range stays there: new data is drawn, then the range put back.
      const kept = c.focused ? { min: c.plot.scales.x.min, max: c.plot.scales.x.max } : null;
      c.plot.setData([s.turns, ...c.columns.map(scaled)]);
      if (kept) c.plot.setScale('x', kept);
      if (FOCUS > 0 && !c.focused && s.turns.length > 0) {
        c.focused = true;
        c.plot.setScale('x', { min: FOCUS - FOCUS_SPAN, max: FOCUS + FOCUS_SPAN });
      }
      c.box.dataset.points = String(s.turns.length);
      // Turns missing between two drawn points: none in the last turns, whatever the speed.
      let gaps = 0;
      for (let i = 1; i < s.turns.length; i++) if (s.turns[i] - s.turns[i - 1] !== 1) gaps += 1;
      c.box.dataset.gaps = String(gaps);
    }
  }

  /** Adds the turns of an update the page has not got (every one: the recent window is turn by turn). */
  function addPoints(u) {
    const { turns, values } = u.points ?? { turns: [], values: [] };
    if (s.window !== 'recent' || turns.length === 0) return addPoint(u.point);
    for (let k = 0; k < turns.length; k++) addPoint({ turn: turns[k], values: values.map((c) => c[k]) });
  }

  /** The newest turn the page has. */
  const lastTurn = () => s.turns[s.turns.length - 1] ?? 0;

  /** Adds the newest turn: the last turns are trimmed to the window, the whole run halved when long. */
  function addPoint(point) {
    if (!point) return;
    const last = s.turns[s.turns.length - 1];
    if (last !== undefined && point.turn <= last) return;
    s.points += 1;
    s.turns.push(point.turn);
    // null stays null: uPlot draws a gap for it (NaN would blank the chart's scale).
    point.values.forEach((v, i) => s.columns[i].push(v));
    if (s.window === 'recent') {
      let drop = 0;
      while (drop < s.turns.length && s.turns[drop] <= point.turn - RECENT_TURNS) drop += 1;
      if (drop > 0) {
        s.turns.splice(0, drop);
        for (const column of s.columns) column.splice(0, drop);
      }
    } else if (s.turns.length > 2 * ALL_POINTS) {
      const keep = (_, i, a) => i % 2 === 0 || i === a.length - 1;
      s.turns = s.turns.filter(keep);
      s.columns = s.columns.map((c) => c.filter(keep));
    }
  }

  // --- header, alerts, markers ----------------------------------------------------------

  /** Sets an element's text when it differs (an unchanged text costs no layout). */
  const setText = (id, text) => {
    const e = $(id);
    if (e.textContent !== text) e.textContent = text;
  };

  function showHeader(h) {
    setText('scenario', h.scenario);
    setText('seed', String(h.seed));
    setText('run-id', h.runId);
    $('run-id').title = h.runId;
    setText('turn', String(h.turn));
    setText('rate', h.turnsPerSecond === null ? '-' : String(h.turnsPerSecond));
    setText('state', h.state);
    $('state').className = `state ${h.state}`;
    for (const id of ['pause', 'resume', 'step', 'set-interval', 'interval']) $(id).disabled = !h.controls;
    const input = $('interval');
    if (document.activeElement !== input) input.value = String(h.intervalMs);
  }

  function showAlerts() {
    const firing = s.active.filter((a) => a.state === 'firing');
    setText('firing', firing.length === 0 ? 'none' : firing.map((a) => a.rule).join(', '));
    const body = $('active-alerts').tBodies[0];
    body.replaceChildren(
      ...s.active.map((a) => {
        const tr = el('tr', undefined, a.state);
        for (const v of [a.rule, a.severity, a.state, a.firingSince ?? a.activeSince, fmt(a.value), fmt(a.threshold)]) {
          tr.append(el('td', v));
        }
        return tr;
      }),
    );
    if (s.active.length === 0) {
      const tr = el('tr');
      const td = el('td', 'no active alert');
      td.colSpan = 6;
      tr.append(td);
      body.append(tr);
    }
  }

  /** One lane per rule: its pending and firing spans over the run, from the transitions kept. */
  function showLanes() {
    const lanes = $('alert-lanes');
    const end = s.header ? s.header.turn : 0;
    let start = s.turns[0] ?? 0;
    for (const t of s.transitions) start = Math.min(start, t.turn);
    const span = Math.max(1, end - start);
    const children = [];
    for (const rule of s.rules) {
      children.push(el('div', rule.name, 'lane-name'));
      const lane = el('div', undefined, 'lane');
      lane.dataset.rule = rule.name;
      let open = null;
      const close = (to) => {
        if (!open || (open.state !== 'pending' && open.state !== 'firing')) return;
        const seg = el('span', undefined, open.state);
        seg.style.left = `${((open.turn - start) / span) * 100}%`;
        seg.style.width = `${((to - open.turn) / span) * 100}%`;
        seg.title = `${open.state} from turn ${open.turn}`;
        lane.append(seg);
      };
      for (const t of s.transitions) {
        if (t.rule !== rule.name) continue;
        close(t.turn);
        open = { state: t.to, turn: t.turn };
      }
      close(end);
      lane.dataset.firings = String(s.transitions.filter((t) => t.rule === rule.name && t.to === 'firing').length);
      children.push(lane);
    }
    lanes.replaceChildren(...children);
  }

  function showMarkers() {
    const list = $('markers');
    list.replaceChildren(
      ...s.markers
        .slice(-20)
        .reverse()
        .map((m) => el('li', `turn ${m.turn}: ${m.label}`, `marker-${m.kind}`)),
    );
  }

  // What was drawn last, so an update redraws only what changed.
  const drawn = { active: '', lanes: '', lanesTurn: 0, lanesAt: 0, at: 0, points: -1 };
  let frame = 0;
  let timer = 0;

  /**
   * Draws at most every DRAW_EVERY_MS, in an animation frame (none while the tab is hidden),
   * however many updates came: a flat-out run sends ten a second.
   */
  function scheduleDraw() {
    if (frame || timer) return;
    const wait = drawn.at + DRAW_EVERY_MS - performance.now();
    if (wait <= 0) frame = window.requestAnimationFrame(draw);
    else
      timer = setTimeout(() => {
        timer = 0;
        frame = window.requestAnimationFrame(draw);
      }, wait);
  }

  function draw() {
    frame = 0;
    drawn.at = performance.now();
    if (s.header) showHeader(s.header);
    if (s.markersChanged) {
      s.markersChanged = false;
      showMarkers();
    }
    if (s.points !== drawn.points) {
      drawn.points = s.points;
      redrawCharts();
    }
    const active = JSON.stringify(s.active);
    if (active !== drawn.active) {
      drawn.active = active;
      showAlerts();
    }
    // The lanes stretch to the newest turn: redrawn when a transition comes, and every 2 s
    // while turns go on.
    const lanes = `${s.transitionSeen}`;
    const turn = s.header?.turn ?? 0;
    if (lanes !== drawn.lanes || (turn !== drawn.lanesTurn && drawn.at - drawn.lanesAt >= LANES_EVERY_MS)) {
      drawn.lanes = lanes;
      drawn.lanesTurn = turn;
      drawn.lanesAt = drawn.at;
      showLanes();
    }
  }

  /** Takes an update into the page's data; the page is drawn from it at most every DRAW_EVERY_MS. */
  function applyUpdate(u) {
    // Another process on this address (a restart, a resume): its ids, and perhaps its run, start afresh.
    if (s.header && u.header.process !== s.header.process) {
      window.location.reload();
      return;
    }
    s.header = u.header;
    addPoints(u);
    s.active = u.active;
    const newMarkers = u.markers.filter((m) => m.id > s.markerSeen);
    const newTransitions = u.transitions.filter((t) => t.id > s.transitionSeen);
    s.markers.push(...newMarkers);
    s.transitions.push(...newTransitions);
    const newest = (list, max) => list.slice(Math.max(0, list.length - max));
    if (newMarkers.length > 0) {
      const kept = new Set(
        ['shock', 'event'].flatMap((kind) =>
          newest(
            s.markers.filter((m) => m.kind === kind),
            KEPT_MARKERS,
          ),
        ),
      );
      s.markers = s.markers.filter((m) => kept.has(m));
    }
    s.transitions = newest(s.transitions, KEPT_TRANSITIONS);
    s.markerSeen = maxId(newMarkers, s.markerSeen);
    s.transitionSeen = maxId(newTransitions, s.transitionSeen);
    if (newMarkers.length > 0) s.markersChanged = true;
    scheduleDraw();
  }

  // --- tables ---------------------------------------------------------------------------

  function tableHead(kind, table) {
    const tr = el('tr');
    const { sort, order } = s.sorts[kind];
    for (const column of COLUMNS[kind]) {
      const th = el('th', column, MINOR.includes(column) ? 'minor' : undefined);
      if (SORTABLE[kind].includes(column)) {
        th.dataset.sort = column;
        if (column === sort) th.className = `sorted ${order}`;
        th.addEventListener('click', () => {
          const current = s.sorts[kind];
          s.sorts[kind] =
            current.sort === column
              ? { sort: column, order: current.order === 'desc' ? 'asc' : 'desc' }
              : { sort: column, order: column === 'name' ? 'asc' : 'desc' };
          void refreshTable(kind);
        });
      }
      tr.append(th);
    }
    table.tHead.replaceChildren(tr);
  }

  async function refreshTable(kind) {
    const box = document.querySelector(`.entity[data-kind="${kind}"]`);
    const table = box.querySelector('table');
    const { sort, order } = s.sorts[kind];
    const page = await getJson(`/api/${kind}?sort=${sort}&order=${order}&limit=${TABLE_ROWS}`);
    tableHead(kind, table);
    table.tBodies[0].replaceChildren(
      ...page.rows.map((row) => {
        const tr = el('tr');
        for (const column of COLUMNS[kind]) {
          tr.append(el('td', fmt(row[column]), MINOR.includes(column) ? 'minor' : undefined));
        }
        return tr;
      }),
    );
    box.dataset.total = String(page.total);
  }

  function refreshTables() {
    for (const kind of Object.keys(COLUMNS)) refreshTable(kind).catch(() => {});
  }

  // --- controls -------------------------------------------------------------------------

  async function control(body) {
    $('message').textContent = '';
    try {
      await getJson('/api/control', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    } catch (error) {
      $('message').textContent = error.message;
    }
  }

  // --- following the run ----------------------------------------------------------------

  let source = null;
  let pollTimer = null;

  function poll() {
    if (pollTimer) return;
    pollTimer = setInterval(async () => {
      try {
        const seen = `markers=${s.markerSeen}&transitions=${s.transitionSeen}&turn=${lastTurn()}`;
        applyUpdate(await getJson(`/api/live/update?${seen}`));
      } catch {
        // The server may be restarting; the next poll tries again.
      }
    }, POLL_MS);
  }

  function follow() {
    if (!('EventSource' in window)) return poll();
    let failures = 0;
    const seen = `markers=${s.markerSeen}&transitions=${s.transitionSeen}&turn=${lastTurn()}`;
    source = new EventSource(`/api/live/events?${seen}`);
    source.addEventListener('turn', (e) => {
      failures = 0;
      applyUpdate(JSON.parse(e.data));
    });
    source.addEventListener('error', () => {
      failures += 1;
      if (failures >= 3) {
        source.close();
        source = null;
        poll();
      }
    });
  }

  /** The first data, sent with the HTML (so the first paint has charts); once. */
  function firstView() {
    const block = $('first-view');
    if (!block || FOCUS > 0) return null;
    block.remove();
    return JSON.parse(block.textContent);
  }

  async function load() {
    const v = firstView() ?? (await getJson(`/api/live?window=${s.window}`));
    s.figures = v.figures;
    s.rules = v.rules;
    s.calendar = v.calendar;
    s.turns = v.turns.slice();
    s.columns = v.values.map((c) => c.slice());
    s.markers = v.markers.slice();
    s.transitions = v.transitions.slice();
    s.markerSeen = maxId(v.markers, 0);
    s.transitionSeen = maxId(v.transitions, 0);
    if (s.charts.length === 0) buildCharts(v.charts);
    drawn.lanes = '';
    s.points += 1;
    s.markersChanged = true;
    applyUpdate({ ...v, points: undefined, markers: [], transitions: [] });
  }

  // --- break it: shocks and faults -------------------------------------------------------

  const PANEL_REFRESH_MS = 2000;

  /**
   * A form's fields from a JSON schema's properties (the timeline's shock, a fault): a list
   * for a choice, a number input within the bounds, its default as placeholder. `skip` names
   * the field the form's own list chooses.
   */
  function fieldsFromSchema(form, schema, skip) {
    const fields = [];
    for (const [name, prop] of Object.entries(schema.properties)) {
      if (name === skip) continue;
      const label = el('label', `${name} `);
      let input;
      const choices = prop.anyOf?.map((c) => c.const);
      if (choices) {
        input = el('select');
        input.append(el('option', '-'), ...choices.map((c) => el('option', c)));
        input.options[0].value = '';
      } else if (name === 'at') {
        input = el('input');
        input.placeholder = 'next turn, N or +N';
        input.size = 10;
      } else {
        input = el('input');
        input.type = 'number';
        if (prop.minimum !== undefined) input.min = String(prop.minimum);
        if (prop.maximum !== undefined) input.max = String(prop.maximum);
        input.step = prop.type === 'integer' ? '1' : 'any';
        if (prop.default !== undefined) input.placeholder = String(prop.default);
      }
      input.name = name;
      input.title = prop.description ?? name;
      label.append(input);
      fields.push(label);
    }
    form.querySelector('.fields').replaceChildren(...fields);
  }

  /** A form's filled fields as a request body: numbers as numbers, `at` as given (`+N` kept). */
  function bodyOf(form) {
    const body = {};
    for (const input of form.querySelectorAll('.fields [name]')) {
      if (input.value === '') continue;
      body[input.name] =
        input.type === 'number' || (input.name === 'at' && !input.value.startsWith('+'))
          ? Number(input.value)
          : input.value;
    }
    return body;
  }

  async function post(url, body) {
    $('panel-message').textContent = '';
    try {
      await getJson(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      await refreshPanel();
    } catch (error) {
      $('panel-message').textContent = error.message;
    }
  }

  function listItem(text, className, onStop) {
    const li = el('li', `${text} `, className);
    if (onStop) {
      const stop = el('button', 'Stop', 'stop');
      stop.type = 'button';
      stop.disabled = !s.header?.controls;
      stop.addEventListener('click', onStop);
      li.append(stop);
    }
    return li;
  }

  let schemasShown = false;
  /** The fields each fault kind takes (GET /api/faults): the form shows and sends only those. */
  let faultFields = {};

  function showFaultFields() {
    const taken = faultFields[$('fault-kind').value] ?? [];
    for (const input of $('fault-form').querySelectorAll('.fields [name]')) {
      input.closest('label').hidden = !taken.includes(input.name);
    }
  }

  async function refreshPanel() {
    const [shocks, faults] = await Promise.all([getJson('/api/shocks'), getJson('/api/faults')]);
    if (!schemasShown) {
      schemasShown = true;
      const kinds = shocks.schema.properties.shock.anyOf.map((c) => c.const);
      $('shock-kind').replaceChildren(...kinds.map((k) => el('option', k)));
      fieldsFromSchema($('shock-form'), shocks.schema, 'shock');
      $('fault-kind').replaceChildren(...faults.kinds.map((k) => el('option', k)));
      fieldsFromSchema($('fault-form'), faults.schema, 'fault');
      faultFields = faults.fields;
      showFaultFields();
    }
    for (const id of ['start-shock', 'start-fault']) $(id).disabled = !s.header?.controls;
    $('shocks-in-force').replaceChildren(
      ...shocks.shocks.map((x) => {
        const what = `#${x.index} ${x.shock.shock.replaceAll('_', ' ')} (${x.source}, severity ${x.shock.severity})`;
        const when = x.state === 'pending' ? `from turn ${x.shock.at}` : `in force until turn ${x.until}`;
        const stop = x.state === 'in force' ? () => post('/api/shocks', { action: 'stop', index: x.index }) : undefined;
        const li = listItem(`${what} ${when}`, x.state === 'pending' ? 'pending' : 'in-force', stop);
        li.dataset.index = String(x.index);
        return li;
      }),
    );
    if (shocks.shocks.length === 0) $('shocks-in-force').append(el('li', 'none', 'none'));
    $('faults-on').replaceChildren(
      ...faults.faults.map((f) => {
        const { fault, ...rest } = f;
        const li = listItem(`${fault} ${JSON.stringify(rest)}`, 'fault', () =>
          post('/api/faults', { action: 'stop', fault }),
        );
        li.dataset.fault = fault;
        return li;
      }),
    );
    if (faults.faults.length === 0) $('faults-on').append(el('li', 'none', 'none'));
  }

  function startPanel() {
    $('shock-form').addEventListener('submit', (e) => {
      e.preventDefault();
      void post('/api/shocks', { action: 'start', shock: $('shock-kind').value, ...bodyOf($('shock-form')) });
    });
    $('fault-kind').addEventListener('change', showFaultFields);
    $('fault-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const fault = $('fault-kind').value;
      // Only the chosen kind's fields: a value left in another kind's field is not sent.
      const taken = faultFields[fault] ?? [];
      const body = Object.fromEntries(Object.entries(bodyOf($('fault-form'))).filter(([name]) => taken.includes(name)));
      void post('/api/faults', { action: 'start', fault, ...body });
    });
    refreshPanel().catch(() => {});
    setInterval(() => refreshPanel().catch(() => {}), PANEL_REFRESH_MS);
  }

  async function start() {
    $('pause').addEventListener('click', () => control({ action: 'pause' }));
    $('resume').addEventListener('click', () => control({ action: 'resume' }));
    $('step').addEventListener('click', () => control({ action: 'step' }));
    $('set-interval').addEventListener('click', () => {
      // An empty field is not 0 (flat out): say so rather than send it.
      const text = $('interval').value.trim();
      if (!/^\d+$/.test(text)) {
        $('message').textContent = 'interval ms: give a whole number of milliseconds (0 = flat out)';
        return;
      }
      void control({ action: 'interval', intervalMs: Number(text) });
    });
    $('axis').value = s.axis;
    $('axis').addEventListener('change', (e) => {
      const url = new window.URL(window.location.href);
      if (e.target.value === 'time') url.searchParams.set('axis', 'time');
      else url.searchParams.delete('axis');
      window.location.assign(url);
    });
    $('window').addEventListener('change', async (e) => {
      s.window = e.target.value;
      await load();
    });
    // A turn older than the last ones is found in the whole run.
    if (FOCUS > 0) {
      const latest = await getJson('/api/live/update');
      if (FOCUS <= latest.header.turn - RECENT_TURNS) s.window = $('window').value = 'all';
    }
    await load();
    if (FOCUS > 0) $('charts').scrollIntoView();
    startPanel();
    follow();
    refreshTables();
    setInterval(refreshTables, TABLE_REFRESH_MS);
    document.body.dataset.ready = 'true';
  }

  start().catch((error) => {
    $('message').textContent = `could not load the run: ${error.message}`;
  });
})();
