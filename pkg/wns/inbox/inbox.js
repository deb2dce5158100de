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
      return true;
    }
    case 'progress':
      instance(delivery(ev.msgId), ev.instance, t).progress = ev.instance.progress;
      return true;
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

// renderTimeline draws the last instances on one time axis: a grey bar
// from the notification's arrival to the instance's start (queued), then a
// coloured bar while it ran, so one-task-per-app and timeouts show.
function renderTimeline() {
  const svg = document.getElementById('timeline');
  const NS = 'http://www.w3.org/2000/svg';
  const rows = [];
  for (const [msgId, d] of state.deliveries) {
    for (const i of d.instances.values()) rows.push({ msgId, i, arrived: state.requests.get(msgId) || i.started });
  }
  const last = rows.slice(-20);
  svg.replaceChildren();
  if (!last.length) { svg.setAttribute('height', 20); return; }
  const now = Date.now();
  const t0 = Math.min(...last.map(r => r.arrived));
  const t1 = Math.max(...last.map(r => r.i.ended || now));
  const width = svg.clientWidth || 800, left = 160, span = Math.max(t1 - t0, 1);
  const x = t => left + (t - t0) / span * (width - left - 10);
  svg.setAttribute('height', last.length * 16 + 16);
  last.forEach((r, n) => {
    const y = n * 16 + 4;
    const label = document.createElementNS(NS, 'text');
    label.setAttribute('x', 2); label.setAttribute('y', y + 10);
    label.textContent = r.i.name + ' ' + r.msgId.slice(0, 6);
    svg.append(label);
    const bar = (from, to, color) => {
      const rect = document.createElementNS(NS, 'rect');
      rect.setAttribute('x', x(from)); rect.setAttribute('y', y);
      rect.setAttribute('width', Math.max(x(to) - x(from), 1)); rect.setAttribute('height', 12);
      rect.setAttribute('fill', color);
      svg.append(rect);
    };
    bar(r.arrived, r.i.started, '#c8c8c8');
    const color = !r.i.outcome ? '#4a7bd0' : r.i.outcome === 'completed' ? '#2e9d57' : r.i.cancelReason ? '#d08a1a' : '#c0392b';
    bar(r.i.started, r.i.ended || now, color);
  });
  const axis = document.createElementNS(NS, 'text');
  axis.setAttribute('x', left); axis.setAttribute('y', last.length * 16 + 14);
  axis.textContent = 'grey: queued; blue: running; green: completed; orange: canceled; red: failed. ' + Math.round(span) + ' ms shown';
  svg.append(axis);
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
  const es = new EventSource('/api/v1/stream?after=' + state.lastSeq);
  es.onopen = () => { live.textContent = 'live'; live.className = 'live on'; };
  es.onerror = () => { live.textContent = 'reconnecting…'; live.className = 'live off'; };
  es.onmessage = m => { if (apply(JSON.parse(m.data))) scheduleRender(); };
}

start().catch(e => { document.getElementById('live').textContent = 'error: ' + e; });
