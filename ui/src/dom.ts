/** A small element builder: `h('td', { class: 'x' }, 'text', child)`. */
export type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | EventListener | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(typeof c === 'number' ? String(c) : c);
  return el;
}

export const byId = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing`);
  return el as T;
};

/** A status badge: colour and text (colour alone says nothing to some readers). */
export const badge = (status: string | undefined): HTMLElement => h('span', { class: `badge st-${status ?? 'unknown'}` }, status ?? 'unknown');

/** A table with a caption, header cells and rows (or one "empty" row). */
export function table(caption: string, head: string[], rows: Child[][], empty = 'none'): HTMLTableElement {
  const body = rows.length
    ? rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))
    : [h('tr', {}, h('td', { colspan: String(head.length), class: 'muted' }, empty))];
  return h(
    'table',
    {},
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {}, ...head.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, ...body),
  );
}

/** Sets a message line: `error` (role=alert content) or `ok`. */
export function say(el: HTMLElement, text: string, kind: 'error' | 'ok' | '' = ''): void {
  el.textContent = text;
  el.className = `msg ${kind}`;
}

/** The nodes among `children` (nulls and falses dropped), for `replaceChildren`. */
export const nodes = (...children: Child[]): (Node | string)[] =>
  children.filter((c): c is Node | string | number => c !== null && c !== undefined && c !== false).map((c) => (typeof c === 'number' ? String(c) : c));

/**
 * Runs `render` (which replaces what `container` holds) and puts the keyboard
 * focus back on the matching new element (same id, data-switch, data-link or
 * aria-label), so a live update never throws a keyboard user back to the top.
 */
export function keepFocus(container: HTMLElement, render: () => void): void {
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || !container.contains(active) || active === container) return render();
  const key = ['id', 'data-switch', 'data-link', 'aria-label'].map((a) => [a, active.getAttribute(a)] as const).find(([, v]) => v);
  render();
  if (!key) return;
  const again = [...container.querySelectorAll<HTMLElement>(`[${key[0]}]`)].find((el) => el.getAttribute(key[0]) === key[1]);
  again?.focus();
}
