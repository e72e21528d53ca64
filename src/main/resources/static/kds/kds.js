// OrderHub KDS screen: /kds/?location=<id>&station=<station>; station "expo" shows whole orders, read only.
// The board arrives as server-sent events ("board") from /api/v1/kds/<location>/stream; bumps are POSTs with the
// CSRF token from the XSRF-TOKEN cookie. Server text is put on the page with textContent only.
(function () {
  'use strict';
  const params = new URLSearchParams(location.search);
  const loc = params.get('location') || '';
  const station = params.get('station') || 'expo';
  const expo = station === 'expo';
  const $ = (id) => document.getElementById(id);
  let board = [];

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v; else if (k.startsWith('data-')) e.setAttribute(k, v); else e[k] = v;
    }
    for (const c of children) if (c != null) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
    return e;
  }

  function csrf() {
    const m = document.cookie.match(/(?:^|; )XSRF-TOKEN=([^;]*)/);
    return m ? decodeURIComponent(m[1]) : '';
  }

  async function post(path) {
    const r = await fetch(path, { method: 'POST', credentials: 'same-origin',
      headers: { 'X-XSRF-TOKEN': csrf(), 'Accept': 'application/json' } });
    if (!r.ok) {
      let detail = r.status + '';
      try { detail = (await r.json()).detail || detail; } catch (e) { /* not JSON */ }
      showError('Not bumped: ' + detail);
    } else {
      $('kds-error').hidden = true;
    }
  }

  function showError(text) { $('kds-error').textContent = text; $('kds-error').hidden = false; }

  function mmss(ms) {
    const s = Math.max(0, Math.floor(ms / 1000));
    return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
  }

  function ticketCard(t) {
    const card = el('article', { class: 'ticket', 'data-ticket-id': t.id, 'data-order-id': t.orderId,
      'data-due': t.dueAt, 'data-fired': t.fireAt });
    const head = el('header', {},
      el('span', { class: 'number' }, '#' + (t.displayId || t.orderId.substring(0, 6))),
      el('span', { class: 'badge' }, t.channel), el('span', { class: 'badge' }, t.orderType),
      expo ? el('span', { class: 'badge station' }, t.station) : null,
      t.priority !== 'normal' ? el('span', { class: 'badge ' + t.priority }, t.priority) : null,
      t.notInPos ? el('span', { class: 'badge not-in-pos' }, 'NOT IN POS') : null,
      el('span', { class: 'elapsed' }, ''));
    card.append(head);
    const allergies = (t.allergies || []).concat(...t.items.map((i) => i.allergies || []));
    if (allergies.length) card.append(el('div', { class: 'allergy' }, 'ALLERGY: ' + [...new Set(allergies)].join(', ')));
    if (t.notes) card.append(el('div', { class: 'note' }, t.notes));
    const list = el('ul', {});
    for (const i of t.items) {
      const li = el('li', { class: 'item' + (i.bumped ? ' bumped' : ''), 'data-index': String(i.index),
        'data-start': i.startAt },
        el('strong', {}, i.quantity + ' x ' + i.name), ' ',
        el('span', { class: 'start' }, ''));
      if (i.modifiers && i.modifiers.length) li.append(el('div', { class: 'mods' }, i.modifiers.join(', ')));
      if (i.notes) li.append(el('div', { class: 'note' }, i.notes));
      if (!expo && !i.bumped) {
        const b = el('button', { class: 'bump-item', type: 'button' }, 'Done');
        b.addEventListener('click', () => post('/api/v1/kds/tickets/' + t.id + '/items/' + i.index + '/bump'));
        li.append(' ', b);
      }
      list.append(li);
    }
    card.append(list);
    if (!expo) {
      const b = el('button', { class: 'bump-ticket', type: 'button' }, 'Bump ticket');
      b.addEventListener('click', () => post('/api/v1/kds/tickets/' + t.id + '/bump'));
      card.append(b);
    }
    return card;
  }

  function render() {
    const root = $('board');
    root.replaceChildren();
    $('kds-empty').hidden = board.length > 0;
    if (expo) {
      const orders = new Map();
      for (const t of board) {
        if (!orders.has(t.orderId)) orders.set(t.orderId, []);
        orders.get(t.orderId).push(t);
      }
      for (const [orderId, tickets] of orders) {
        const group = el('section', { class: 'order-group', 'data-order-id': orderId },
          el('h2', {}, '#' + (tickets[0].displayId || orderId.substring(0, 6)) + ' · ' + tickets.length + ' station(s)'));
        tickets.forEach((t) => group.append(ticketCard(t)));
        root.append(group);
      }
    } else {
      board.forEach((t) => root.append(ticketCard(t)));
    }
    tick();
  }

  function tick() {
    const now = Date.now();
    $('kds-clock').textContent = new Date(now).toLocaleTimeString();
    for (const card of document.querySelectorAll('.ticket')) {
      const due = Date.parse(card.dataset.due);
      const fired = Date.parse(card.dataset.fired);
      card.querySelector('.elapsed').textContent = mmss(now - fired);
      card.classList.toggle('late', now > due);
      card.classList.toggle('warn', now <= due && due - now < 2 * 60 * 1000);
      for (const li of card.querySelectorAll('.item')) {
        const start = Date.parse(li.dataset.start);
        li.querySelector('.start').textContent = li.classList.contains('bumped') ? ''
          : start > now ? 'start in ' + mmss(start - now) : 'start now';
      }
    }
  }

  function connect() {
    const source = new EventSource('/api/v1/kds/' + encodeURIComponent(loc) + '/stream?station='
      + encodeURIComponent(station));
    source.addEventListener('board', (e) => {
      board = JSON.parse(e.data);
      $('kds-status').textContent = 'live';
      $('kds-status').className = 'status live';
      render();
    });
    source.onerror = () => {
      $('kds-status').textContent = 'reconnecting…';
      $('kds-status').className = 'status down';
    };
  }

  $('kds-title').textContent = (loc || '?') + ' · ' + (expo ? 'expo (read only)' : station);
  document.title = 'KDS ' + loc + ' ' + station;
  fetch('/api/v1/admin/csrf', { credentials: 'same-origin' }).finally(connect);
  setInterval(tick, 1000);
}());
