// The inbox page of bgtask serve. Standard browser APIs only; everything
// that came from a client or a task is set as textContent, never as HTML.
'use strict';

const state = { cached: [], lastSeq: 0, deliveries: new Map(), requests: new Map(), triggered: new Map(), online: null, channels: [] };

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

async function getJSON(path) {
  const r = await fetch(path, { headers: { 'Accept': 'application/json' } });
  if (!r.ok) throw new Error(path + ': ' + r.status);
  return r.json();
}

async function loadChannels() {
  const doc = await getJSON('/api/v1/channels');
  state.channels = doc.channels;
  const body = document.querySelector('#channels tbody');
  body.replaceChildren();
  const select = document.getElementById('send-channel');
  const chosen = select.value;
  select.replaceChildren();
  for (const c of doc.channels) {
    body.append(el('tr', {}, el('td', { class: 'uri' }, c.uri), el('td', {}, c.clientId), el('td', {}, c.created),
      el('td', {}, c.expires), el('td', { class: c.expired ? 'expired' : '' }, c.expired ? 'expired' : 'active'),
      el('td', { class: 'cached', 'data-channel': c.token }, cachedText(c.token))));
    if (!c.expired) select.append(el('option', { value: c.token }, c.token.slice(0, 12) + '…'));
  }
  if (chosen) select.value = chosen;
  if (!select.value && select.options.length) select.value = select.options[select.options.length - 1].value;
}

function cachedText(token) {
  const n = state.cached.find(m => m.channel === token);
  return n ? 'msg ' + n.msgId + ' (' + n.size + ' bytes' + (n.expires ? ', TTL until ' + n.expires : '') + ')' : '';
}

async function loadDevice() {
  const d = await getJSON('/api/v1/device');
  state.cached = d.cached;
  showDevice(d.online, d.cached.length);
  for (const td of document.querySelectorAll('#channels td.cached')) td.textContent = cachedText(td.getAttribute('data-channel'));
}

function showDevice(online, cached) {
  state.online = online;
  const s = document.getElementById('device-state');
  s.textContent = online ? 'online' : 'offline';
  s.className = online ? 'ok' : 'bad';
  document.getElementById('device-toggle').textContent = online ? 'go offline' : 'go online';
  if (cached !== undefined) document.getElementById('cached').textContent = cached ? cached + ' cached' : '';
}

async function toggleDevice() {
  const r = await fetch('/api/v1/device', { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ online: !state.online }) });
  if (r.ok) { const d = await r.json(); showDevice(d.online, d.cached.length); }
}

async function sendTest(ev) {
  ev.preventDefault();
  const body = {
    channel: document.getElementById('send-channel').value,
    payload: document.getElementById('send-payload').value,
    cachePolicy: document.getElementById('send-cache').value,
  };
  const ttl = document.getElementById('send-ttl').value;
  if (ttl !== '') body.ttl = Number(ttl);
  const out = document.getElementById('send-result');
  const r = await fetch('/api/v1/send', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const doc = await r.json();
  out.textContent = r.ok ? doc.status + ' ' + (doc.notificationStatus || '') + ' ' + (doc.error || '') : (doc.error || r.status);
  out.className = r.ok && doc.status === 200 ? 'ok' : 'bad';
}

async function loadRegistrations() {
  const doc = await getJSON('/api/v1/registrations');
  const box = document.getElementById('registrations');
  box.replaceChildren();
  if (!doc.registrations.length) box.append(el('i', {}, 'no registrations'));
  for (const r of doc.registrations) {
    const b = el('button', { type: 'button', class: 'fire' }, r.name + ' (' + r.trigger + ')');
    b.addEventListener('click', () => fire(r.name).catch(() => {}));
    box.append(b, ' ');
  }
}

async function fire(name) {
  const payload = document.getElementById('send-payload').value;
  const r = await fetch('/api/v1/trigger', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name, payload }) });
  if (!r.ok) { const doc = await r.json(); document.getElementById('triggered').prepend(el('div', { class: 'bad' }, name + ': ' + doc.error)); }
}

function delivery(msgId) {
  let d = state.deliveries.get(msgId);
  if (!d) { d = { instances: new Map(), disposition: '', reason: '' }; state.deliveries.set(msgId, d); }
  return d;
}

function instance(d, info, time) {
  const id = info.instanceId || info.name;
  let i = d.instances.get(id);
  if (!i) { i = { name: info.name, entryPoint: info.entryPoint, id, log: [], started: time }; d.instances.set(id, i); }
  return i;
}

// parseTime reads an RFC 3339 time of the API (nanoseconds) as milliseconds
// since the epoch; undefined when absent. Date.parse is only specified for
// three fractional digits.
function parseTime(s) {
  if (typeof s !== 'string' || s === '') return undefined;
  const t = Date.parse(s.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(t) ? undefined : t;
}

// STEPS are the instance's steps the API reports (docs/json.md, the serve
// instance object), kept on the instance as milliseconds.
const STEPS = ['queuedAt', 'startedAt', 'runAt', 'completedAt', 'canceledAt', 'killedAt', 'endedAt'];

function takeSteps(i, info) {
  for (const k of STEPS) { const t = parseTime(info[k]); if (t !== undefined) i[k] = t; }
}

// apply folds one event into the state; it reports whether the messages
// list must be reloaded.
function apply(ev) {
  if (ev.seq) state.lastSeq = Math.max(state.lastSeq, ev.seq);
  const t = Date.parse(ev.time);
  switch (ev.event) {
    case 'request':
      state.requests.set(ev.msgId, t);
      return true;
    case 'trigger':
      state.requests.set(ev.msgId, t);
      state.triggered.set(ev.msgId, ev.reason || 'fired by hand');
      return true;
    case 'device':
      showDevice(ev.online);
      loadDevice().catch(() => {});
      return false;
    case 'cached': case 'dropped': case 'expired': {
      const d = delivery(ev.msgId);
      d.disposition = ev.event; d.reason = ev.reason || '';
      if (ev.event === 'cached') loadDevice().catch(() => {});
      return true;
    }
    case 'channel':
      loadChannels().catch(() => {});
      return false;
    case 'started': {
      const i = instance(delivery(ev.msgId), ev.instance, t);
      i.started = t;
      takeSteps(i, ev.instance);
      return true;
    }
    case 'progress':
      instance(delivery(ev.msgId), ev.instance, t).progress = ev.instance.progress;
      return true;
    case 'cancel': case 'killed': {
      const i = instance(delivery(ev.msgId), ev.instance, t);
      takeSteps(i, ev.instance);
      if (ev.instance.cancelReason) i.cancelReason = ev.instance.cancelReason;
      return true;
    }
    case 'log': {
      const i = instance(delivery(ev.msgId), ev.instance, t);
      i.log.push(ev.line);
      if (i.log.length > 50) i.log.shift();
      return true;
    }
    case 'ended': {
      const i = instance(delivery(ev.msgId), ev.instance, t);
      const x = ev.instance;
      Object.assign(i, { outcome: x.outcome, wallMs: x.wallMs, cpuMs: (x.userMs || 0) + (x.systemMs || 0), cancelReason: x.cancelReason || '',
        error: x.error || '', progress: x.progress, deferrals: x.deferralsTaken, pending: x.deferralsPending, warnings: x.warnings || [], ended: t });
      takeSteps(i, x);
      return true;
    }
    case 'delivery': {
      const d = delivery(ev.msgId);
      d.disposition = ev.disposition; d.reason = ev.reason || '';
      return true;
    }
  }
  return false;
}

function statusClass(status) { return status === 200 ? 'ok' : (status === 406 || status === 503 ? 'warn' : 'bad'); }

function renderInstances(d) {
  const box = el('div', { class: 'instances' });
  if (d.disposition) box.append(el('div', {}, 'delivery: ', el('b', {}, d.disposition), d.reason ? ' (' + d.reason + ')' : ''));
  for (const i of d.instances.values()) {
    const outcome = i.outcome ? el('b', { class: i.outcome === 'completed' ? 'ok' : 'bad' }, i.outcome) : el('i', {}, 'running');
    const line = el('div', { class: 'instance' }, i.name + ' (' + i.entryPoint + ') ', outcome,
      i.wallMs !== undefined ? ' in ' + Math.round(i.wallMs) + ' ms (CPU ' + Math.round(i.cpuMs) + ' ms)' : '',
      i.progress !== undefined ? ', progress ' + i.progress + '%' : '',
      i.deferrals ? ', ' + i.deferrals + ' deferral(s)' + (i.pending ? ', ' + i.pending + ' never completed' : '') : '',
      i.cancelReason ? ', canceled: ' + i.cancelReason : '', i.error ? ': ' + i.error : '');
    for (const w of i.warnings || []) line.append(el('div', { class: 'warn' }, 'warning: ' + w));
    if (i.log.length) line.append(el('pre', {}, i.log.join('\n')));
    box.append(line);
  }
  return box;
}

async function renderMessages() {
  const doc = await getJSON('/api/v1/messages');
  const box = document.getElementById('messages');
  box.replaceChildren();
  for (const m of doc.messages) {
    const payload = m.text !== undefined ? el('pre', { class: 'payload' }, m.text) : el('pre', { class: 'payload' }, 'hex ' + m.hex);
    const head = el('div', { class: 'line' },
      el('span', {}, m.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z')),
      el('span', { class: 'status ' + statusClass(m.status) }, m.status + ' ' + (m.notificationStatus || '')),
      el('span', {}, 'msg ' + m.msgId), el('span', {}, 'channel ' + (m.channel ? m.channel.slice(0, 8) + '…' : '-')),
      el('span', {}, m.size + ' bytes'),
      el('a', { href: '/api/v1/messages/' + encodeURIComponent(m.msgId) + '/payload', download: m.msgId + '.bin' }, 'download'));
    const card = el('div', { class: 'msg', id: 'msg-' + m.msgId }, head);
    if (m.error) card.append(el('div', { class: 'bad' }, m.error));
    card.append(payload);
    const headers = el('details', { class: 'headers' }, el('summary', {}, 'headers'));
    for (const h of m.headers) headers.append(el('div', {}, h.name + ': ' + h.value));
    card.append(headers);
    const d = state.deliveries.get(m.msgId);
    if (d) card.append(renderInstances(d));
    box.append(card);
  }
  const fired = document.getElementById('triggered');
  fired.replaceChildren();
  for (const [msgId, what] of [...state.triggered].reverse().slice(0, 20)) {
    const card = el('div', { class: 'msg' }, el('div', { class: 'line' }, el('span', {}, what), el('span', {}, 'msg ' + msgId)));
    const d = state.deliveries.get(msgId);
    if (d) card.append(renderInstances(d));
    fired.append(card);
  }
  renderTimeline();
}

// PHASES are the timeline's segments, in the order they are drawn (marks
// last, on top): class and data-phase name, legend text, what it means.
const PHASES = [
  ['queued', 'queued', 'waiting in the delivery queue: the app runs one push task at a time'],
  ['starting', 'starting', 'the plugin process starting, until serve sent it Run'],
  ['running', 'running', 'the task running; the time limit (--timeout) counts from its start'],
  ['grace', 'grace', 'the grace period (--grace) after a cancel, or after a completion the process did not exit from'],
  ['completed', 'completed', 'the task reported completion'],
  ['ended', 'ended otherwise', 'failed, canceled, protocol error or not started'],
  ['killed', 'killed', 'serve killed the plugin\'s processes'],
  ['cancel', 'cancel sent', 'serve sent the cancel (time limit, condition loss, stop)'],
];
const MARKS = new Set(['completed', 'ended', 'killed', 'cancel']);

// phases splits one instance's life into the timeline's segments, from the
// steps the API reports; an instance still running is drawn up to now.
function phases(i, now) {
  const out = [];
  const first = (...ts) => ts.find(t => t !== undefined);
  const seg = (phase, from, to, note) => {
    if (from !== undefined) out.push({ phase, from, to: Math.max(first(to, from), from), note: note || '' });
  };
  const started = first(i.startedAt, i.started);
  const ended = first(i.endedAt, i.ended);
  seg('queued', i.queuedAt, started);
  if (started === undefined || i.outcome === 'waiting-for-conditions') return out;
  if (i.runAt !== undefined) {
    seg('starting', started, i.runAt);
    seg('running', i.runAt, first(i.canceledAt, i.completedAt, i.killedAt, ended, now));
  } else if (ended === undefined) {
    // Live: when Run was sent is known once the instance has ended.
    const stop = first(i.canceledAt, i.killedAt);
    seg('running', started, first(stop, now), stop === undefined ? 'still running' : '');
  } else {
    seg('starting', started, first(i.killedAt, ended));
  }
  if (i.canceledAt !== undefined) {
    seg('cancel', i.canceledAt, i.canceledAt, i.cancelReason);
    seg('grace', i.canceledAt, first(i.killedAt, i.completedAt, ended, now));
  } else if (i.completedAt !== undefined && i.killedAt !== undefined) {
    seg('grace', i.completedAt, i.killedAt, 'completed, yet its process did not exit');
  }
  if (i.completedAt !== undefined) {
    seg(i.outcome === 'completed' ? 'completed' : 'ended', i.completedAt, i.killedAt !== undefined ? i.completedAt : ended, i.outcome);
  }
  if (i.killedAt !== undefined) seg('killed', i.killedAt, first(ended, now), i.outcome);
  else if (i.completedAt === undefined && ended !== undefined && i.outcome) seg('ended', ended, ended, i.outcome);
  return out;
}

function fmtMs(ms) { return ms >= 1000 ? (ms / 1000).toFixed(ms >= 10000 ? 1 : 2) + ' s' : Math.round(ms) + ' ms'; }

// niceStep is a 1, 2 or 5 times a power of ten step that cuts span into
// about six.
function niceStep(span) {
  const raw = Math.max(span / 6, 1), p = Math.pow(10, Math.floor(Math.log10(raw)));
  return [1, 2, 5, 10].map(m => m * p).find(s => s >= raw);
}

function renderLegend() {
  const box = document.getElementById('timeline-legend');
  if (box.childElementCount) return;
  for (const [phase, label, meaning] of PHASES) {
    box.append(el('li', { title: meaning }, el('span', { class: 'sw ph-' + phase, 'aria-hidden': 'true' }), label));
  }
}

// renderTimeline draws the last instances on one time axis, one row each,
// a segment per phase, so that one-task-per-app (queued), time limits
// (running), grace periods and kills show. Every text is set as text.
let timelineTick = null;
function renderTimeline() {
  renderLegend();
  const svg = document.getElementById('timeline');
  const NS = 'http://www.w3.org/2000/svg';
  const node = (tag, attrs, text) => {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const now = Date.now();
  const rows = [];
  for (const [msgId, d] of state.deliveries) {
    for (const i of d.instances.values()) {
      if (i.queuedAt === undefined) i.queuedAt = state.requests.get(msgId);
      const segs = phases(i, now);
      if (segs.some(s => s.phase !== 'queued')) rows.push({ msgId, i, segs });
    }
  }
  rows.sort((a, b) => a.segs[0].from - b.segs[0].from);
  const last = rows.slice(-20);
  svg.replaceChildren();
  if (!last.length) { svg.setAttribute('height', 20); return; }
  const t0 = Math.min(...last.map(r => r.segs[0].from));
  const t1 = Math.max(...last.flatMap(r => r.segs.map(s => s.to)));
  const width = svg.clientWidth || 800, left = 170, right = 30, rowH = 18, span = Math.max(t1 - t0, 1);
  const x = t => left + (t - t0) / span * (width - left - right);
  const axisY = last.length * rowH + 6;
  svg.setAttribute('height', axisY + 22);
  svg.append(node('title', {}, 'Timeline of the last ' + last.length + ' task instance(s), ' + fmtMs(span) + ' shown'));
  const step = niceStep(span);
  for (let t = 0; t <= span; t += step) {
    svg.append(node('line', { class: 'tick', x1: x(t0 + t), x2: x(t0 + t), y1: 0, y2: axisY }));
    svg.append(node('text', { class: 'tick', x: x(t0 + t), y: axisY + 14, 'text-anchor': 'middle' }, '+' + fmtMs(t)));
  }
  const rank = Object.fromEntries(PHASES.map(([p], n) => [p, n]));
  last.forEach((r, n) => {
    const y = n * rowH + 3;
    const running = r.i.endedAt === undefined && r.i.ended === undefined;
    const summary = r.segs.map(s => MARKS.has(s.phase) ? PHASES[rank[s.phase]][1] + (s.note ? ' (' + s.note + ')' : '')
      : s.phase + ' ' + fmtMs(s.to - s.from)).join(', ');
    // A row is one picture to assistive technology, named by its title.
    const g = node('g', { class: 'row', role: 'img', 'data-msg': r.msgId, 'data-name': r.i.name });
    g.append(node('title', {}, r.i.name + ', msg ' + r.msgId + ': ' + summary + (running ? ' (still running)' : '')));
    g.append(node('text', { x: 2, y: y + 10 }, r.i.name.slice(0, 20) + ' ' + r.msgId.slice(0, 6)));
    for (const s of [...r.segs].sort((a, b) => rank[a.phase] - rank[b.phase])) {
      const mark = MARKS.has(s.phase), w = x(s.to) - x(s.from);
      const rect = node('rect', {
        class: 'ph-' + s.phase, 'data-phase': s.phase, 'data-from': Math.round(s.from - t0), 'data-ms': Math.round(s.to - s.from),
        x: x(s.from) - (s.phase === 'cancel' ? 1 : 0), y: s.phase === 'cancel' ? y - 3 : mark ? y - 1 : y + 1, height: s.phase === 'cancel' ? 18 : mark ? 14 : 10,
        width: s.phase === 'cancel' ? 3 : Math.max(w, mark ? 4 : 1),
      });
      rect.append(node('title', {}, PHASES[rank[s.phase]][1] + (mark && s.phase !== 'killed' ? '' : ' ' + fmtMs(s.to - s.from)) + (s.note ? ': ' + s.note : '')));
      g.append(rect);
    }
    svg.append(g);
  });
  // An instance still running grows until it ends.
  if (!timelineTick && last.some(r => r.i.endedAt === undefined && r.i.ended === undefined)) {
    timelineTick = setTimeout(() => { timelineTick = null; renderTimeline(); }, 250);
  }
}

let pending = null;
function scheduleRender() {
  if (pending) return;
  pending = setTimeout(() => { pending = null; renderMessages().catch(() => {}); }, 50);
}

async function start() {
  document.getElementById('device-toggle').addEventListener('click', () => toggleDevice().catch(() => {}));
  document.getElementById('send').addEventListener('submit', ev => sendTest(ev).catch(e => { document.getElementById('send-result').textContent = String(e); }));
  await Promise.all([loadChannels(), loadDevice(), loadRegistrations()]);
  const hist = await getJSON('/api/v1/events');
  for (const ev of hist.events) apply(ev);
  await renderMessages();
  const live = document.getElementById('live');
  // RUN.SEQ: if serve restarts before any event reaches this stream, the
  // browser reconnects to this URL without a Last-Event-ID, and the run
  // tells the new serve that these numbers are the old run's.
  const es = new EventSource('/api/v1/stream?after=' + encodeURIComponent(hist.run + '.' + state.lastSeq));
  es.onopen = () => { live.textContent = 'live'; live.className = 'live on'; };
  es.onerror = () => { live.textContent = 'reconnecting…'; live.className = 'live off'; };
  es.onmessage = m => { if (apply(JSON.parse(m.data))) scheduleRender(); };
  // serve was restarted while the page stayed open: its state is the old run's.
  es.addEventListener('restarted', () => location.reload());
}

start().catch(e => { document.getElementById('live').textContent = 'error: ' + e; });
