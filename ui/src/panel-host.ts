/** What the panels share: the host they live in, and small view helpers. */
import { toJson, type Api } from './api.js';
import { h, type Child } from './dom.js';
import { switchLabel, switchOf, type Topology } from './topology.js';

export interface PanelHost {
  api: Api;
  topology(): Topology;
  select(kind: 'switch' | 'link', id: string): void;
}

/** A value as compact JSON in a <code>. */
export const code = (v: unknown): HTMLElement => h('code', {}, v === undefined ? '' : toJson(v));

/** A labelled form field (label + control) for a `.form-grid`. */
export const field = (id: string, label: string, control: HTMLElement): Child[] => {
  control.id = id;
  return [h('label', { for: id }, label), control];
};

/** `s1:2 - s2:3`: a link by its ends. */
export const linkName = (t: Topology, id: string): string => {
  const l = t.links[id];
  if (!l) return id;
  const end = (i: { id: string; port_number?: number }) => `${switchLabel(t.switches[switchOf(i.id)], switchOf(i.id))}:${i.port_number ?? i.id.split(':').pop()}`;
  return `${end(l.endpoint_a)} - ${end(l.endpoint_b)}`;
};
