/**
 * The events WebSocket (`/api/kytos/core/events/ws`): subscribes to every
 * event, hands each to the listeners, reconnects after a drop (the token, when
 * there is one, goes as `?token=`: a browser WebSocket sends no headers). The
 * live log keeps the newest events, filtered by a regex typed by the user.
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
      retry = window.setTimeout(open, 1000);
    };
  };
  open();
  return {
    reconnect() {
      const old = socket;
      socket = undefined;
      old?.close();
      open();
    },
  };
}

const MAX = 500;

export class EventLog {
  private readonly events: BusEvent[] = [];
  private filter: RegExp | undefined;
  private scheduled = false;
  private readonly list = byId<HTMLOListElement>('log');
  private readonly count = byId('log-count');

  constructor() {
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
    this.events.push(e);
    if (this.events.length > MAX) this.events.splice(0, this.events.length - MAX);
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

  private render(): void {
    const shown: HTMLElement[] = [];
    for (let i = this.events.length - 1; i >= 0 && shown.length < 200; i--) {
      const text = this.line(this.events[i]!);
      if (this.filter && !this.filter.test(text)) continue;
      shown.push(h('li', { title: text }, text));
    }
    this.list.replaceChildren(...shown);
    this.count.textContent = `${shown.length} shown of ${this.events.length}`;
  }
}
