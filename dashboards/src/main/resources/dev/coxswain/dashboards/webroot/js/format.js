// Formatting and DOM helpers shared by the dashboard's modules. Elements are built with the DOM API, never
// innerHTML, so names that come from the cluster are always shown as text.

/** The colours of a job's workers, in worker order. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7',
  '#9c755f', '#3d3d3d'];

export function html(tag, cls, parent, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

export function bytes(n) {
  if (n === null || n === undefined) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (Math.abs(n) >= 1000 && i < units.length - 1) { n /= 1000; i++; }
  return (n >= 100 || i === 0 ? n.toFixed(0) : n.toFixed(1)) + ' ' + units[i];
}

export function gib(n) { return (n / 1073741824).toFixed(n >= 10 * 1073741824 ? 0 : 1); }

export function pct(x) { return x === null || x === undefined ? '–' : Math.round(x) + '%'; }

/** A reading the GPU may not report (null): rounded, or a dash. */
export function num(x) { return x === null || x === undefined ? '–' : String(Math.round(x)); }

export function ms(x) {
  if (x === null || x === undefined) return '–';
  return x >= 1000 ? (x / 1000).toFixed(2) + ' s' : (x >= 100 ? x.toFixed(0) : x.toFixed(1)) + ' ms';
}

export function short(s, n) { return s.length > n ? s.slice(0, n - 1) + '…' : s; }

export function naturalCompare(a, b) {
  return a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });
}

/** Text for a chart library's HTML tooltip: escaped, with line breaks. */
export function tooltipText(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
    .replace(/\n/g, '<br>');
}

/** Replaces a select's options with `values`, keeping the chosen one when it is still there. */
export function fillSelect(select, values) {
  if (select.dataset.values === values.join('\n')) return;
  const chosen = select.value;
  while (select.firstChild) select.removeChild(select.firstChild);
  for (const v of values) html('option', null, select, v).value = v;
  if (values.includes(chosen)) select.value = chosen;
  select.dataset.values = values.join('\n');
}
