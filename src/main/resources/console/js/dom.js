// Small DOM helpers. Text always goes in as textContent, never as HTML.

/**
 * h('button', {class: 'primary', onclick: fn, type: 'button'}, 'Save').
 * Attributes: `class`, `text`, `on<event>` handlers, booleans (true sets, false omits), others as
 * attributes. Children: strings, nodes, arrays, null/undefined/false (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const node = tag === 'svg' || SVG_TAGS.has(tag)
    ? document.createElementNS('http://www.w3.org/2000/svg', tag)
    : document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') node.textContent = value;
    else if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2), value);
    } else if (name === 'value' && 'value' in node && !(node instanceof SVGElement)) {
      node.value = value;
    } else node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

const SVG_TAGS = new Set(['g', 'rect', 'line', 'text', 'title', 'path', 'desc']);

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces everything inside `node`. */
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** A page heading that takes focus, so screen readers announce the new view. */
export function heading(text, ...extra) {
  return h('div', { class: 'page-head' }, h('h1', { tabindex: '-1', text }), ...extra);
}

/** A table: columns = [{label, cell(row) → node|string, class?}]; `empty` when no rows. */
export function table(caption, columns, rows, empty = 'Nothing here yet.') {
  if (!rows.length) return h('p', { class: 'empty' }, empty);
  return h('div', { class: 'table-wrap' },
    h('table', {},
      h('caption', { class: 'visually-hidden', text: caption }),
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', text: c.label })))),
      h('tbody', {}, rows.map((row) => h('tr', { 'data-id': row.id },
        columns.map((c) => h('td', { class: c.class }, c.cell(row))))))));
}

let fieldSeq = 0;

/** A labelled form control; `control` is an input/select/textarea element. */
export function field(label, control, hint) {
  const id = control.id || `f${++fieldSeq}`;
  control.id = id;
  const hintNode = hint ? h('small', { id: `${id}-hint`, class: 'hint', text: hint }) : null;
  if (hintNode) control.setAttribute('aria-describedby', hintNode.id);
  return h('div', { class: 'field' }, h('label', { for: id, text: label }), control, hintNode);
}

export function select(name, options, selected) {
  return h('select', { name }, options.map(([value, label]) =>
    h('option', { value, selected: value === selected, text: label })));
}

/** An inline error region inside a form: `show(message)` / `show(null)`. */
export function errorBox() {
  const box = h('p', { class: 'error', role: 'alert', hidden: true });
  box.show = (message) => {
    box.textContent = message || '';
    box.hidden = !message;
  };
  return box;
}

/**
 * Wires a form: `action(formData)` runs on submit with the submit button disabled; its error is
 * shown in the form's error box instead of being thrown.
 */
export function onSubmit(form, action) {
  const errors = form.querySelector('.error') || form.appendChild(errorBox());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const buttons = form.querySelectorAll('button');
    buttons.forEach((b) => { b.disabled = true; });
    errors.show(null);
    try {
      await action(new FormData(form));
    } catch (e) {
      errors.show(e.message);
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  });
  return form;
}

/** A transient message in the page's live region. */
export function flash(message, kind = 'ok') {
  const region = document.getElementById('flash');
  fill(region, h('p', { class: `flash-${kind}`, text: message }));
  flash.at = Date.now();
  clearTimeout(flash.timer);
  flash.timer = setTimeout(() => region.replaceChildren(), 6000);
}

export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return h('time', { datetime: iso, title: iso, text: d.toLocaleString() });
}

export function badge(text, kind = text) {
  return h('span', { class: `badge badge-${String(kind).replace(/[^a-z0-9-]/gi, '')}`, text });
}

export function link(href, text) {
  return h('a', { href, text });
}

/** `formData.get(name)` trimmed, or undefined when blank (so it is left out of a JSON body). */
export function value(data, name) {
  const v = data.get(name);
  if (v === null) return undefined;
  const s = String(v).trim();
  return s === '' ? undefined : s;
}

/** A "Loading…" placeholder that is replaced by the view. */
export function loading() {
  return h('p', { class: 'loading', text: 'Loading…' });
}

/** On moving to another view: a message from a moment ago belongs to the view it came from. */
export function clearStaleFlash() {
  if (Date.now() - (flash.at || 0) > 1500) document.getElementById('flash').replaceChildren();
}
