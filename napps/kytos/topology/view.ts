/**
 * What the GET routes serve: the topology of the latest published state,
 * serialized per version and per body (`v3/`, switches, interfaces, links),
 * only when a GET asks for it. A burst of changes therefore costs one rebuild
 * at the next GET, and a GET of an unchanged topology no serialization at all.
 *
 * State values are immutable and a change replaces only what it touches, so
 * each switch's JSON (and its text) is cached by the switch value itself, each
 * link's by the link and its two switches: after one port change on 1,000
 * switches, one switch is serialized again and the rest is concatenation.
 */
import { randomBytes } from 'node:crypto';
import { toJson, type HttpResponse, type InterfaceJson, type LinkJson, type Switch, type SwitchJson, type TopologyJson } from '#sdk';
import { emptyState, linkJson, splitInterfaceId, switchJson, type LinkState, type TopoState } from './state.js';

export type BodyKind = 'topology' | 'switches' | 'interfaces' | 'links';

export interface Body {
  /** The value (for msgpack, which the HTTP layer encodes). */
  value(): unknown;
  /** Compact JSON bytes. */
  bytes: Buffer;
  etag: string;
  /** The JSON response, made once per version (a GET allocates nothing). */
  response: HttpResponse;
}

interface SwitchPiece {
  json: SwitchJson;
  text: string;
  /** `"id":{...},...` of its interfaces, made when the interfaces body first needs it. */
  interfacesText?: string;
}

interface LinkPiece {
  a: Switch | undefined;
  b: Switch | undefined;
  json: LinkJson;
  text: string;
}

const key = (k: string) => JSON.stringify(k);

export class TopologyView {
  private current: TopoState = emptyState();
  private readonly boot = randomBytes(4).toString('hex');
  private readonly switchPieces = new WeakMap<Switch, SwitchPiece>();
  private readonly linkPieces = new WeakMap<LinkState, LinkPiece>();
  private json: { version: number; value: TopologyJson } | undefined;
  private readonly bodies = new Map<BodyKind, Body & { version: number }>();
  /** Switches and links serialized so far (tests and the bench read it). */
  serialized = 0;

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

  private switchPiece(sw: Switch): SwitchPiece {
    let p = this.switchPieces.get(sw);
    if (!p) {
      const json = switchJson(sw);
      p = { json, text: toJson(json) };
      this.switchPieces.set(sw, p);
      this.serialized++;
    }
    return p;
  }

  private linkPiece(link: LinkState): LinkPiece {
    const owner = (id: string) => {
      const split = splitInterfaceId(id);
      return split ? this.current.switches.get(split[0]) : undefined;
    };
    const a = owner(link.a);
    const b = owner(link.b);
    let p = this.linkPieces.get(link);
    if (!p || p.a !== a || p.b !== b) {
      const json = linkJson(this.current, link);
      p = { a, b, json, text: toJson(json) };
      this.linkPieces.set(link, p);
      this.serialized++;
    }
    return p;
  }

  /** The whole topology as JSON values (shared, never to be mutated), assembled once per version. */
  topology(): TopologyJson {
    if (this.json?.version !== this.current.version) {
      const switches: Record<string, SwitchJson> = {};
      for (const [dpid, sw] of this.current.switches) switches[dpid] = this.switchPiece(sw).json;
      const links: Record<string, LinkJson> = {};
      for (const [id, link] of this.current.links) links[id] = this.linkPiece(link).json;
      this.json = { version: this.current.version, value: { switches, links } };
    }
    return this.json.value;
  }

  private switchesText(): string {
    const parts: string[] = [];
    for (const [dpid, sw] of this.current.switches) parts.push(`${key(dpid)}:${this.switchPiece(sw).text}`);
    return `{${parts.join(',')}}`;
  }

  private linksText(): string {
    const parts: string[] = [];
    for (const [id, link] of this.current.links) parts.push(`${key(id)}:${this.linkPiece(link).text}`);
    return `{${parts.join(',')}}`;
  }

  private interfacesText(): string {
    const parts: string[] = [];
    for (const sw of this.current.switches.values()) {
      const p = this.switchPiece(sw);
      p.interfacesText ??= Object.entries(p.json.interfaces)
        .map(([id, i]) => `${key(id)}:${toJson(i)}`)
        .join(',');
      if (p.interfacesText) parts.push(p.interfacesText);
    }
    return `{${parts.join(',')}}`;
  }

  body(kind: BodyKind): Body {
    const cached = this.bodies.get(kind);
    if (cached?.version === this.current.version) return cached;
    let text: string;
    let value: () => unknown;
    if (kind === 'topology') {
      text = `{"topology":{"switches":${this.switchesText()},"links":${this.linksText()}}}`;
      value = () => ({ topology: this.topology() });
    } else if (kind === 'switches') {
      text = `{"switches":${this.switchesText()}}`;
      value = () => ({ switches: this.topology().switches });
    } else if (kind === 'links') {
      text = `{"links":${this.linksText()}}`;
      value = () => ({ links: this.topology().links });
    } else {
      text = `{"interfaces":${this.interfacesText()}}`;
      value = () => {
        const interfaces: Record<string, InterfaceJson> = {};
        for (const sw of Object.values(this.topology().switches)) Object.assign(interfaces, sw.interfaces);
        return { interfaces };
      };
    }
    const version = this.current.version;
    const bytes = Buffer.from(text);
    const etag = `"${this.boot}-${version}-${kind[0]}"`;
    const response: HttpResponse = Object.freeze({ raw: bytes, contentType: 'application/json', headers: Object.freeze({ ETag: etag }) });
    const body = { value, bytes, etag, response, version };
    this.bodies.set(kind, body);
    return body;
  }
}
