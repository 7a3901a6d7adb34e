/**
 * The live graph (Cytoscape.js): one node per switch, one edge per link,
 * coloured by status, at each end a dot in the colour of the interface's status
 * and its port number (with the status when not up). `render` applies a whole topology as a diff: only what changed is
 * touched, and the layout runs again only when the set of switches changes.
 */
import cytoscape from 'cytoscape';
import { statusOf, switchLabel, switchOf, type Intf, type Topology } from './topology.js';

export const COLOURS: Record<string, string> = { UP: '#2e7d32', DOWN: '#d32f2f', DISABLED: '#757575' };
const colour = (status: string): string => COLOURS[status] ?? '#757575';
const mark = (i: Intf | undefined): string => `${i?.port_number ?? '?'}${i && statusOf(i) === 'UP' ? '' : ` (${i ? statusOf(i).toLowerCase() : 'gone'})`}`;

export function createGraph(container: HTMLElement, onSelect: (kind: 'switch' | 'link', id: string) => void): { cy: cytoscape.Core; render(t: Topology): void } {
  const cy = cytoscape({
    container,
    boxSelectionEnabled: false,
    style: [
      {
        selector: 'node',
        style: {
          'background-color': 'data(colour)',
          label: 'data(label)',
          color: '#1a1a1a',
          'font-size': 11,
          'text-valign': 'bottom',
          'text-margin-y': 4,
          width: 26,
          height: 26,
        },
      },
      {
        selector: 'edge',
        style: {
          'line-color': 'data(colour)',
          width: 4,
          'curve-style': 'bezier',
          // A dot at each end in the colour of that end's interface status.
          'source-arrow-shape': 'circle',
          'target-arrow-shape': 'circle',
          'source-arrow-color': 'data(colourA)',
          'target-arrow-color': 'data(colourB)',
          'arrow-scale': 1.1,
          'source-label': 'data(portA)',
          'target-label': 'data(portB)',
          'source-text-offset': 22,
          'target-text-offset': 22,
          'font-size': 10,
          color: '#1a1a1a',
          'text-background-color': '#ffffff',
          'text-background-opacity': 0.8,
        },
      },
      { selector: ':selected', style: { 'border-width': 3, 'border-color': '#e08a00', 'overlay-opacity': 0.15 } },
    ],
  });
  cy.on('tap', 'node', (e) => onSelect('switch', e.target.id()));
  cy.on('tap', 'edge', (e) => onSelect('link', e.target.id()));

  const render = (t: Topology): void => {
    let added = false;
    cy.batch(() => {
      const seen = new Set<string>();
      for (const [dpid, s] of Object.entries(t.switches)) {
        seen.add(dpid);
        const status = statusOf(s);
        const data = { id: dpid, label: switchLabel(s, dpid), status, colour: colour(status) };
        const node = cy.getElementById(dpid);
        if (node.empty()) {
          cy.add({ group: 'nodes', data });
          added = true;
        } else node.data(data);
      }
      for (const [id, l] of Object.entries(t.links)) {
        const a = switchOf(l.endpoint_a.id);
        const b = switchOf(l.endpoint_b.id);
        if (!t.switches[a] || !t.switches[b]) continue;
        seen.add(id);
        const status = statusOf(l);
        const ia = t.switches[a].interfaces?.[l.endpoint_a.id] ?? l.endpoint_a;
        const ib = t.switches[b].interfaces?.[l.endpoint_b.id] ?? l.endpoint_b;
        const data = { id, source: a, target: b, status, colour: colour(status), portA: mark(ia), portB: mark(ib), colourA: colour(statusOf(ia)), colourB: colour(statusOf(ib)) };
        const edge = cy.getElementById(id);
        if (edge.empty()) cy.add({ group: 'edges', data });
        else edge.data(data);
      }
      cy.elements().forEach((el) => {
        if (!seen.has(el.id())) {
          el.remove();
          if (el.isNode()) added = true;
        }
      });
    });
    if (added) cy.layout({ name: 'circle', animate: false, padding: 30, sort: (a, b) => a.id().localeCompare(b.id()) }).run();
  };
  return { cy, render };
}
