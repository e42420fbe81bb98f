/**
 * @module
 * The one client script of the dashboard, served at `/static/live-chart.js`
 * (the Content-Security-Policy allows scripts from this origin only, never
 * inline): it reads `/api/live` (the figure's `data-src`) and draws the
 * packets per minute as bars and the distinct sources as a line into the
 * figure's empty SVG, again every `data-refresh` seconds. Only SVG
 * attributes and text nodes are set, never markup, so nothing it reads can
 * become live. Without JavaScript the figure keeps its note and the rest of
 * the page works.
 */

export const LIVE_CHART_PATH = '/static/live-chart.js';

export const LIVE_CHART_SCRIPT = `'use strict';
(function () {
  var NS = 'http://www.w3.org/2000/svg';
  var W = 720, H = 200, LEFT = 48, RIGHT = 12, TOP = 12, BOTTOM = 28;
  function el(name, attrs, text) {
    var node = document.createElementNS(NS, name);
    for (var key in attrs) node.setAttribute(key, String(attrs[key]));
    if (text !== undefined) node.appendChild(document.createTextNode(text));
    return node;
  }
  function hhmm(iso) {
    var d = new Date(iso);
    return ('0' + d.getHours()).slice(-2) + ':' + ('0' + d.getMinutes()).slice(-2);
  }
  function draw(figure, svg, minutes) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var n = minutes.length;
    var max = 1;
    for (var i = 0; i < n; i++) max = Math.max(max, minutes[i].packets, minutes[i].sources);
    var plotW = W - LEFT - RIGHT, plotH = H - TOP - BOTTOM, step = plotW / Math.max(n, 1);
    var y = function (v) { return TOP + plotH - (v / max) * plotH; };
    svg.appendChild(el('rect', { x: 0, y: 0, width: W, height: H, fill: '#ffffff' }));
    svg.appendChild(el('line', { x1: LEFT, y1: TOP + plotH, x2: W - RIGHT, y2: TOP + plotH, stroke: '#333333' }));
    svg.appendChild(el('text', { x: LEFT - 6, y: TOP + 10, 'text-anchor': 'end', 'font-size': 11 }, String(max)));
    svg.appendChild(el('text', { x: LEFT - 6, y: TOP + plotH, 'text-anchor': 'end', 'font-size': 11 }, '0'));
    var bars = el('g', { 'class': 'packets', fill: '#555555' });
    var points = [];
    for (var j = 0; j < n; j++) {
      var m = minutes[j];
      var x = LEFT + j * step;
      if (m.packets > 0) {
        var bar = el('rect', { x: x + step * 0.1, y: y(m.packets), width: Math.max(step * 0.8, 1), height: TOP + plotH - y(m.packets) });
        bar.appendChild(el('title', {}, hhmm(m.minute) + ' ' + m.packets + ' / ' + m.sources));
        bars.appendChild(bar);
      }
      points.push((x + step / 2).toFixed(1) + ',' + y(m.sources).toFixed(1));
    }
    svg.appendChild(bars);
    svg.appendChild(el('polyline', { 'class': 'sources', points: points.join(' '), fill: 'none', stroke: '#c0392b', 'stroke-width': 1.5 }));
    if (n > 0) {
      svg.appendChild(el('text', { x: LEFT, y: H - 8, 'font-size': 11 }, hhmm(minutes[0].minute)));
      svg.appendChild(el('text', { x: W - RIGHT, y: H - 8, 'text-anchor': 'end', 'font-size': 11 }, hhmm(minutes[n - 1].minute)));
    }
    figure.setAttribute('data-state', 'drawn');
    figure.setAttribute('data-bars', String(bars.childNodes.length));
  }
  function load(figure) {
    var svg = figure.querySelector('svg');
    fetch(figure.getAttribute('data-src'), { headers: { accept: 'application/json' } })
      .then(function (answer) {
        if (!answer.ok) throw new Error('HTTP ' + answer.status);
        return answer.json();
      })
      .then(function (body) { draw(figure, svg, body.minutes); })
      .catch(function () { figure.setAttribute('data-state', 'failed'); });
  }
  var figures = document.querySelectorAll('figure.live[data-src]');
  for (var k = 0; k < figures.length; k++) {
    (function (figure) {
      load(figure);
      var every = Number(figure.getAttribute('data-refresh'));
      if (every > 0) setInterval(function () { load(figure); }, every * 1000);
    })(figures[k]);
  }
})();
`;
