/**
 * The events WebSocket (`/api/kytos/core/events/ws`): subscribes to every
 * event, hands each to the listeners, reconnects after a drop (the token, when
 * there is one, goes as `?token=`: a browser WebSocket sends no headers). The
 * live log keeps the newest events, filtered by a regex typed by the user (and,
 * unless unticked, without the per-OpenFlow-message events, which would drown the rest).
 */
import { parseJson, toJson } from './api.js';
import { byId, h } from './dom.js';

export interface BusEvent {
  id?: string;
  name: string;
  content?: any;
  timestamp?: string;
}

export function connectEvents(token: () => string | undefined, onEvent: (e: BusEvent) => void, onState: (state: string) => void): { reconnect(): void } {
  let socket: WebSocket | undefined;
  let retry: number | undefined;
  /** The wait before the next attempt: 1 s, doubling to 10 s while the connection keeps failing. */
  let backoffMs = 1000;
  const open = (): void => {
    if (retry !== undefined) window.clearTimeout(retry);
    retry = undefined;
    const url = new URL('/api/kytos/core/events/ws', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const t = token();
    if (t) url.searchParams.set('token', t);
    const ws = new WebSocket(url);
    socket = ws;
    onState('connecting');
    ws.onopen = () => {
      backoffMs = 1000;
      ws.send(JSON.stringify({ subscribe: ['.*'] }));
      onState('live');
    };
    ws.onmessage = (m) => {
      let value: any;
      try {
        value = parseJson(String(m.data));
      } catch {
        return;
      }
      if (value && typeof value.name === 'string') onEvent(value as BusEvent);
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      onState('disconnected, retrying');
      retry = window.setTimeout(open, backoffMs);
      backoffMs = Math.min(10_000, backoffMs * 2);
    };
  };
  open();
  return {
    reconnect() {
      backoffMs = 1000;
      const old = socket;
      socket = undefined;
      old?.close();
      open();
    },
  };
}

const MAX = 500;
/** The per-message events (`kytos/of_core.v0x04.messages.in.ofpt_packet_in`, of_lldp's packet_outs...). */
const MESSAGES = /\.messages\.(in|out)\./;

export class EventLog {
  /** The newest MAX events of each kind (OpenFlow message events apart, so that they never push the rest out), with their arrival order. */
  private readonly others: [number, BusEvent][] = [];
  private readonly messages: [number, BusEvent][] = [];
  private seq = 0;
  private filter: RegExp | undefined;
  private hideMessages = true;
  private scheduled = false;
  private readonly list = byId<HTMLOListElement>('log');
  private readonly count = byId('log-count');

  constructor() {
    const hide = byId<HTMLInputElement>('log-hide-messages');
    this.hideMessages = hide.checked;
    hide.addEventListener('change', () => {
      this.hideMessages = hide.checked;
      this.schedule();
    });
    const input = byId<HTMLInputElement>('log-filter');
    input.addEventListener('input', () => {
      const text = input.value.trim();
      try {
        this.filter = text ? new RegExp(text, 'i') : undefined;
        input.removeAttribute('aria-invalid');
      } catch {
        this.filter = new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
        input.setAttribute('aria-invalid', 'true');
      }
      this.schedule();
    });
  }

  add(e: BusEvent): void {
    const list = MESSAGES.test(e.name) ? this.messages : this.others;
    list.push([this.seq++, e]);
    if (list.length > MAX) list.splice(0, list.length - MAX);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.render();
    });
  }

  private line(e: BusEvent): string {
    const content = e.content === undefined ? '' : toJson(e.content);
    return `${e.timestamp ?? ''} ${e.name} ${content.length > 300 ? `${content.slice(0, 300)}...` : content}`;
  }

  /** Newest first: the other events, merged with the message events unless they are hidden. */
  private *newestFirst(): Generator<BusEvent> {
    let i = this.others.length - 1;
    let j = this.hideMessages ? -1 : this.messages.length - 1;
    while (i >= 0 || j >= 0) {
      if (j < 0 || (i >= 0 && this.others[i]![0] > this.messages[j]![0])) yield this.others[i--]![1];
      else yield this.messages[j--]![1];
    }
  }

  private render(): void {
    const shown: HTMLElement[] = [];
    let total = 0;
    for (const e of this.newestFirst()) {
      total++;
      if (shown.length >= 200) continue;
      const text = this.line(e);
      if (this.filter && !this.filter.test(text)) continue;
      shown.push(h('li', { title: text }, text));
    }
    this.list.replaceChildren(...shown);
    this.count.textContent = `${shown.length} shown of ${total}`;
  }
}
