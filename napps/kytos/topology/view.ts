/**
 * What the GET routes serve: the topology of the latest published state,
 * serialized per version and per body (`v3/`, switches, interfaces, links),
 * only when a GET asks for it. A burst of changes therefore costs one rebuild
 * at the next GET, and a GET of an unchanged topology no serialization at all.
 *
 * State values are immutable and a change replaces only what it touches, so
 * each switch's JSON (TopologyJsonCache) and its text are cached by the switch
 * value itself, each link's by the link and its two switches: after one port
 * change on 1,000 switches, one switch is serialized again and the rest is
 * concatenation.
 */
import { randomBytes } from 'node:crypto';
import { toJson, type HttpResponse, type InterfaceJson, type LinkJson, type SwitchJson, type TopologyJson } from '#sdk';
import { emptyState, TopologyJsonCache, type TopoState } from './state.js';

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

const key = (k: string) => JSON.stringify(k);

export class TopologyView {
  private current: TopoState = emptyState();
  private readonly boot = randomBytes(4).toString('hex');
  /** The JSON values, per switch and link value (shared with `topology.updated`, frozen). */
  private readonly json = new TopologyJsonCache();
  /** Their text, made once per value; a switch's interfaces' text when the interfaces body first needs it. */
  private readonly texts = new WeakMap<object, string>();
  private readonly interfacesTexts = new WeakMap<SwitchJson, string>();
  private readonly bodies = new Map<BodyKind, Body & { version: number }>();
  /** Switch and link JSON values made so far (each serialized at most once, when a body needs it; tests read it). */
  get serialized(): number {
    return this.json.made;
  }

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

  private text(json: SwitchJson | LinkJson): string {
    let text = this.texts.get(json);
    if (text === undefined) {
      text = toJson(json);
      this.texts.set(json, text);
    }
    return text;
  }

  /** The whole topology as JSON values (shared and frozen), assembled once per version. */
  topology(): TopologyJson {
    return this.json.of(this.current);
  }

  private switchesText(): string {
    const parts: string[] = [];
    for (const [dpid, sw] of this.current.switches) parts.push(`${key(dpid)}:${this.text(this.json.switchJson(sw))}`);
    return `{${parts.join(',')}}`;
  }

  private linksText(): string {
    const parts: string[] = [];
    for (const [id, link] of this.current.links) parts.push(`${key(id)}:${this.text(this.json.linkJson(this.current, link))}`);
    return `{${parts.join(',')}}`;
  }

  private interfacesText(): string {
    const parts: string[] = [];
    for (const sw of this.current.switches.values()) {
      const json = this.json.switchJson(sw);
      let text = this.interfacesTexts.get(json);
      if (text === undefined) {
        text = Object.entries(json.interfaces)
          .map(([id, i]) => `${key(id)}:${toJson(i)}`)
          .join(',');
        this.interfacesTexts.set(json, text);
      }
      if (text) parts.push(text);
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
