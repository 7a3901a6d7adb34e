/**
 * What the GET routes serve: the topology of the latest published state,
 * serialized once per version and per body (`v3/`, switches, interfaces,
 * links), only when a GET asks for it. A burst of changes therefore costs one
 * rebuild at the next GET, and a GET of an unchanged topology costs no
 * serialization at all. Each body has an ETag (boot id + version).
 */
import { randomBytes } from 'node:crypto';
import type { InterfaceJson, TopologyJson } from '#sdk';
import { emptyState, topologyJson, type TopoState } from './state.js';

export type BodyKind = 'topology' | 'switches' | 'interfaces' | 'links';

export interface Body {
  /** The value (for msgpack, which the HTTP layer encodes). */
  value: unknown;
  /** Compact JSON bytes. */
  bytes: Buffer;
  etag: string;
}

export class TopologyView {
  private current: TopoState = emptyState();
  private readonly boot = randomBytes(4).toString('hex');
  private json: { version: number; value: TopologyJson } | undefined;
  private readonly bodies = new Map<BodyKind, Body & { version: number }>();
  /** Rebuilds so far (tests and the bench read it). */
  builds = 0;

  /** Called by the machine's `publish` effect with each new state (cheap: nothing is built here). */
  update(state: TopoState): void {
    this.current = state;
  }

  /** The latest published state. */
  state(): TopoState {
    return this.current;
  }

  get version(): number {
    return this.current.version;
  }

  /** The whole topology as JSON values, built once per version. */
  topology(): TopologyJson {
    if (this.json?.version !== this.current.version) {
      this.json = { version: this.current.version, value: topologyJson(this.current) };
      this.builds++;
    }
    return this.json.value;
  }

  body(kind: BodyKind): Body {
    const cached = this.bodies.get(kind);
    if (cached?.version === this.current.version) return cached;
    const t = this.topology();
    let value: unknown;
    if (kind === 'topology') value = { topology: t };
    else if (kind === 'switches') value = { switches: t.switches };
    else if (kind === 'links') value = { links: t.links };
    else {
      const interfaces: Record<string, InterfaceJson> = {};
      for (const sw of Object.values(t.switches)) Object.assign(interfaces, sw.interfaces);
      value = { interfaces };
    }
    const body = { value, bytes: Buffer.from(JSON.stringify(value)), etag: `"${this.boot}-${this.current.version}-${kind[0]}"`, version: this.current.version };
    this.bodies.set(kind, body);
    return body;
  }
}
