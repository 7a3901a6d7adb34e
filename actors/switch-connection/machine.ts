/**
 * One OpenFlow 1.3 switch connection as a pure xstate v5 machine.
 *
 * Lattice sends HELLO at once on accept, negotiates 1.3 (bitmap, else header),
 * then FEATURES -> (dpid claim) -> PORT_DESC -> DESC -> SET_CONFIG -> ready.
 * Ready: echo keepalive that closes a peer after `echoMissedLimit` unanswered
 * echoes, xid-correlated requests (reply / whole multipart / barrier) with
 * timeouts, and every inbound message re-emitted on the bus.
 *
 * Every side effect is a named action whose implementation the southbound
 * injects (`machine.provide({ actions })`): `send` (write messages, in order),
 * `emit` (bus event), `startTimer`/`cancelTimer`, `resolve`/`reject` (answer an
 * ask), `claimDpid`, `closeSocket`. Tests run it as data with `transition()`.
 */
import { and, assign, enqueueActions, raise, setup } from 'xstate';
import { errorReplyFor, OFP_VERSION, ofp, type FeaturesReplyMessage, type OfMessage } from '../../src/openflow/index.js';
import {
  decodeFrame,
  dropPending,
  errorMsg,
  formatDpid,
  hello,
  isMore,
  messageInEvent,
  negotiates13,
  nextOf,
  published,
  source,
  takeXids,
  DEFAULT_SWITCH_CONNECTION_OPTIONS,
  OFPBRC,
  OFPC_FRAG,
  OFPCML,
  OFPET,
  OFPHFC,
  type ClaimParams,
  type CloseParams,
  type EmitParams,
  type PendingRequest,
  type RejectParams,
  type ResolveParams,
  type SendParams,
  type SwitchConnectionContext,
  type SwitchConnectionInput,
  type TimerParams,
} from './context.js';
import { connectionLost, ErrorCode, helloFailed, SwitchRequestError, switchReady } from '../../src/sdk/index.js';
import type { SwitchConnectionEvent } from './events.js';

export * from './context.js';

/** Ends a request: drops it, cancels its timer, and settles its asker (resolve or reject). */
function settlePending(
  context: SwitchConnectionContext,
  p: PendingRequest,
  enqueue: Enqueue,
  outcome: { value: unknown } | { error: SwitchRequestError },
): void {
  enqueue.assign(dropPending(context, p));
  enqueue({ type: 'cancelTimer', params: { key: `req:${p.key}` } });
  if ('error' in outcome) enqueue({ type: 'reject', params: { replyTo: p.replyTo, error: outcome.error } });
  else enqueue({ type: 'resolve', params: { replyTo: p.replyTo, value: outcome.value } });
}

type Ev = SwitchConnectionEvent;
type InEv = Extract<Ev, { type: 'of.in' }>;

const base = setup({
  types: {
    context: {} as SwitchConnectionContext,
    events: {} as SwitchConnectionEvent,
    input: {} as SwitchConnectionInput,
  },
  actions: {
    // Default implementations do nothing; the southbound injects real ones with `provide`.
    send: (_, _params: SendParams) => undefined,
    emit: (_, _params: EmitParams) => undefined,
    startTimer: (_, _params: TimerParams) => undefined,
    cancelTimer: (_, _params: { key: string }) => undefined,
    resolve: (_, params: ResolveParams) => {
      if (params.replyTo && !params.replyTo.settled) params.replyTo.resolve(params.value);
    },
    reject: (_, params: RejectParams) => {
      if (params.replyTo && !params.replyTo.settled) params.replyTo.reject(params.error);
    },
    claimDpid: (_, _params: ClaimParams) => undefined,
    switchReady: (_, _params: { dpid: string }) => undefined,
    closeSocket: (_, _params: CloseParams) => undefined,
  },
  guards: {
    isHello: ({ event }) => event.type === 'of.in' && event.message.type === 'hello',
    helloCompatible: ({ event }) => event.type === 'of.in' && negotiates13(event.message),
    isEchoRequest: ({ event }) => event.type === 'of.in' && event.message.type === 'echo_request',
    isFeaturesReply: ({ context, event }) =>
      event.type === 'of.in' && event.message.type === 'features_reply' && event.message.xid === context.hsXid,
    isHandshakeError: ({ context, event }) =>
      event.type === 'of.in' && event.message.type === 'error' && event.message.xid === context.hsXid,
    isPortDescPart: ({ context, event }) =>
      event.type === 'of.in' &&
      event.message.type === 'multipart_reply' &&
      event.message.xid === context.hsXid &&
      event.message.body.mpType === 'port_desc',
    isDescReply: ({ context, event }) =>
      event.type === 'of.in' &&
      event.message.type === 'multipart_reply' &&
      event.message.xid === context.hsXid &&
      event.message.body.mpType === 'desc',
    hasMore: ({ event }) => event.type === 'of.in' && isMore(event.message),
    isTimer: ({ event }, params: { key: string }) => event.type === 'timer' && event.key === params.key,
    echoExhausted: ({ context }) => context.missed >= context.opts.echoMissedLimit,
  },
});

/** Sends one handshake request and remembers its xid. */
const sendHandshakeRequest = (build: (xid: number) => OfMessage) =>
  base.enqueueActions(({ context, enqueue }) => {
    enqueue.assign({ hsXid: context.nextXid, nextXid: nextOf(context.nextXid) });
    enqueue({ type: 'send', params: { messages: [build(context.nextXid)] } });
  });

/** OFPT_ERROR classes that blame the request itself, not the switch (HTTP 400 rather than 502). */
const REQUEST_FAULTS = new Set<number>([ofp.OFPET.BAD_ACTION, ofp.OFPET.BAD_INSTRUCTION, ofp.OFPET.BAD_MATCH]);

const SWITCH_INITIATED = new Set<OfMessage['type']>(['echo_request', 'hello', 'packet_in', 'port_status', 'flow_removed']);

type Enqueue = Parameters<Parameters<typeof base.enqueueActions>[0]>[0]['enqueue'];

/** An inbound message on a ready connection: answer echoes, settle requests, publish it. */
function inbound(context: SwitchConnectionContext, m: OfMessage, seq: number, enqueue: Enqueue): void {
  if (m.type === 'echo_request') {
    enqueue({ type: 'send', params: { messages: [{ type: 'echo_reply', version: OFP_VERSION, xid: m.xid, data: m.data }] } });
  }
  // Messages the switch starts itself never answer a request, whatever their xid.
  const key = SWITCH_INITIATED.has(m.type) ? undefined : context.byXid.get(m.xid);
  const p = key === undefined ? undefined : context.pending.get(key);
  if (p) {
    if (m.type === 'error') {
      settlePending(context, p, enqueue, {
        error: SwitchRequestError.rejected(m.errType, m.code, REQUEST_FAULTS.has(m.errType), {
          xid: m.xid,
          // Which of the request's messages the switch refused (a batch's FLOW_MODs are told apart by it).
          index: p.xids.indexOf(m.xid),
          data: m.data,
          connectionId: context.connectionId,
        }),
      });
    } else if (m.xid === p.key) {
      if (p.expect === 'multipart' && isMore(m)) {
        const pending = new Map(context.pending);
        pending.set(p.key, { ...p, parts: [...p.parts, m] });
        enqueue.assign({ pending });
      } else {
        settlePending(context, p, enqueue, { value: p.expect === 'multipart' ? [...p.parts, m] : m });
      }
    }
  }
  enqueue({ type: 'emit', params: messageInEvent(context, m, seq) });
}

export const switchConnectionMachine = base
  .extend({
    actions: {
    sendFeaturesRequest: sendHandshakeRequest((xid) => ({ type: 'features_request', version: OFP_VERSION, xid })),
    sendPortDescRequest: sendHandshakeRequest((xid) => ({
      type: 'multipart_request',
      version: OFP_VERSION,
      xid,
      flags: 0,
      body: { mpType: 'port_desc' },
    })),
    sendDescRequest: sendHandshakeRequest((xid) => ({ type: 'multipart_request', version: OFP_VERSION, xid, flags: 0, body: { mpType: 'desc' } })),
    keepEarly: assign(({ context, event }) => {
      const m = (event as InEv).message;
      if (context.early.length >= context.opts.maxEarlyMessages) return { droppedEarly: context.droppedEarly + 1 };
      return { early: [...context.early, { message: m, seq: context.rxSeq }] };
    }),
    answerEcho: base.enqueueActions(({ event, enqueue }) => {
      const m = (event as InEv).message;
      if (m.type !== 'echo_request') return;
      enqueue({
        type: 'send',
        params: { messages: [{ type: 'echo_reply', version: OFP_VERSION, xid: m.xid, data: m.data }] },
      });
    }),
    answerBadFrame: base.enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'of.bad') return;
      enqueue.assign({ badFrames: context.badFrames + 1 });
      enqueue({ type: 'send', params: { messages: [errorReplyFor(event, event.frame)] } });
    }),
    keepPorts: assign({
      portsSeq: ({ context }) => context.rxSeq,
      ports: ({ context, event }) => {
        const m = (event as InEv).message;
        return m.type === 'multipart_reply' && m.body.mpType === 'port_desc' ? [...context.ports, ...m.body.ports] : context.ports;
      },
    }),
    sendKeepalive: base.enqueueActions(({ context, enqueue }) => {
      enqueue.assign({ nextXid: nextOf(context.nextXid), missed: context.missed + 1 });
      enqueue({
        type: 'send',
        params: { messages: [{ type: 'echo_request', version: OFP_VERSION, xid: context.nextXid, data: Buffer.alloc(0) }] },
      });
      enqueue({ type: 'startTimer', params: { key: 'echo', ms: context.opts.echoIntervalMs } });
    }),
    handleSend: base.enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'of.send' || event.messages.length === 0) return;
      const { xids, next } = takeXids(context.nextXid, event.messages.length);
      enqueue.assign({ nextXid: next });
      enqueue({ type: 'send', params: { messages: event.messages.map((m, i) => ({ ...m, xid: xids[i] }) as OfMessage) } });
    }),
    handleRequest: base.enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'of.request') return;
      if (event.messages.length === 0) {
        enqueue({
          type: 'reject',
          params: { replyTo: event.replyTo, error: new SwitchRequestError(ErrorCode.SwitchMessageInvalid, 'request without a message') },
        });
        return;
      }
      const n = event.messages.length + (event.expect === 'barrier' ? 1 : 0);
      const { xids, next } = takeXids(context.nextXid, n);
      const out = event.messages.map((m, i) => ({ ...m, xid: xids[i] }) as OfMessage);
      if (event.expect === 'barrier') out.push({ type: 'barrier_request', version: OFP_VERSION, xid: xids[n - 1] });
      const key = xids[n - 1];
      const pending = new Map(context.pending);
      pending.set(key, { key, expect: event.expect, replyTo: event.replyTo, parts: [], xids });
      const byXid = new Map(context.byXid);
      for (const x of xids) byXid.set(x, key);
      enqueue.assign({ nextXid: next, pending, byXid });
      enqueue({ type: 'send', params: { messages: out } });
      enqueue({ type: 'startTimer', params: { key: `req:${key}`, ms: event.timeoutMs } });
    }),
    failUnencodable: base.enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'of.encode_failed') return;
      const key = context.byXid.get(event.xid);
      const p = key === undefined ? undefined : context.pending.get(key);
      if (!p) return;
      settlePending(context, p, enqueue, {
        error: new SwitchRequestError(ErrorCode.SwitchMessageInvalid, `message xid ${event.xid} cannot be encoded: ${event.reason}`, {
          xid: event.xid,
          connectionId: context.connectionId,
        }),
      });
    }),
    expireRequest: base.enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'timer' || !event.key.startsWith('req:')) return;
      const key = Number(event.key.slice(4));
      const p = context.pending.get(key);
      if (!p) return;
      enqueue.assign(dropPending(context, p));
      enqueue({
        type: 'reject',
        params: {
          replyTo: p.replyTo,
          error: new SwitchRequestError(ErrorCode.SwitchTimeout, `no answer to xid ${key}`, { xid: key, connectionId: context.connectionId }),
        },
      });
    }),
    /**
     * Ready: one step per frame (decode, answer, correlate, publish) instead of a
     * raised `of.in`, which halves the machine's cost on the hot path.
     */
    handleFrameReady: base.enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'of.frame') return;
      const seq = context.rxSeq + 1;
      enqueue.assign({ missed: 0, rxSeq: seq });
      const d = decodeFrame(event.frame, true);
      if (d.type === 'of.bad') {
        enqueue.assign({ badFrames: context.badFrames + 1 });
        enqueue({ type: 'send', params: { messages: [errorReplyFor(d, d.frame)] } });
        return;
      }
      if (d.type !== 'of.in') return;
      inbound(context, d.message, seq, enqueue);
    }),
    },
  })
  .createMachine({
  id: 'switchConnection',
  context: ({ input }) => ({
    connectionId: input.connectionId,
    remote: input.remote,
    opts: { ...DEFAULT_SWITCH_CONNECTION_OPTIONS, ...input.options },
    nextXid: 1,
    hsXid: 0,
    negotiated: false,
    dpid: null,
    owner: false,
    features: null,
    ports: [],
    desc: null,
    rxSeq: 0,
    portsSeq: 0,
    missed: 0,
    pending: new Map(),
    byXid: new Map(),
    early: [],
    droppedEarly: 0,
    badFrames: 0,
    closeReason: '',
  }),
  initial: 'handshake',
  on: {
    // Any byte from the peer proves it alive; decode once, then handle `of.in` / `of.bad`.
    'of.frame': {
      actions: [
        assign({ missed: 0, rxSeq: ({ context }) => context.rxSeq + 1 }),
        raise(({ context, event }) => decodeFrame((event as Extract<Ev, { type: 'of.frame' }>).frame, context.negotiated)),
      ],
    },
    'of.bad': { actions: 'answerBadFrame' },
    'of.framing_error': {
      target: '.closed',
      actions: [
        {
          type: 'send',
          params: ({ event }) => {
            const e = event as Extract<Ev, { type: 'of.framing_error' }>;
            // Not OpenFlow at all (checked on the first bytes): HELLO_FAILED; an impossible length: BAD_LEN.
            return e.reason === 'NOT_OPENFLOW'
              ? { messages: [errorMsg(e.xid, OFPET.HELLO_FAILED, OFPHFC.INCOMPATIBLE, e.bytes)] }
              : { messages: [errorMsg(e.xid, OFPET.BAD_REQUEST, OFPBRC.BAD_LEN, e.bytes)] };
          },
        },
        assign({ closeReason: ({ event }) => `framing_error:${(event as Extract<Ev, { type: 'of.framing_error' }>).reason}` }),
      ],
    },
    'socket.closed': {
      target: '.closed',
      actions: assign({ closeReason: ({ event }) => (event as Extract<Ev, { type: 'socket.closed' }>).reason }),
    },
    close: {
      target: '.closed',
      actions: assign({ closeReason: ({ event }) => (event as Extract<Ev, { type: 'close' }>).reason }),
    },
    'of.request': {
      actions: {
        type: 'reject',
        params: ({ context, event }) => ({
          replyTo: (event as Extract<Ev, { type: 'of.request' }>).replyTo,
          error: new SwitchRequestError(ErrorCode.SwitchNotReady, 'switch handshake not finished', { connectionId: context.connectionId }),
        }),
      },
    },
  },
  states: {
    handshake: {
      entry: [
        enqueueActions(({ context, enqueue }) => {
          // The spec's behaviour: send our HELLO at once (Kytos waits for the switch's).
          enqueue.assign({ nextXid: nextOf(context.nextXid) });
          enqueue({ type: 'send', params: { messages: [hello(context.nextXid)] } });
          enqueue({ type: 'startTimer', params: { key: 'handshake', ms: context.opts.handshakeTimeoutMs } });
        }),
      ],
      exit: [{ type: 'cancelTimer', params: { key: 'handshake' } }],
      on: {
        timer: {
          guard: { type: 'isTimer', params: { key: 'handshake' } },
          target: 'closed',
          actions: assign({ closeReason: 'handshake_timeout' }),
        },
      },
      initial: 'hello',
      states: {
        hello: {
          on: {
            'of.in': [
              { guard: 'helloCompatible', target: 'features', actions: assign({ negotiated: true }) },
              {
                // A HELLO we cannot meet, or anything else first: HELLO_FAILED/INCOMPATIBLE, then close.
                target: '#switchConnection.closed',
                actions: [
                  {
                    type: 'send',
                    params: ({ event }) => ({
                      messages: [
                        errorMsg(
                          (event as InEv).message.xid,
                          OFPET.HELLO_FAILED,
                          OFPHFC.INCOMPATIBLE,
                          Buffer.from('Lattice supports OpenFlow 1.3 (0x04) only'),
                        ),
                      ],
                    }),
                  },
                  {
                    type: 'emit',
                    params: ({ context }) => published(helloFailed, { source: source(context) }),
                  },
                  assign({ closeReason: 'hello_failed' }),
                ],
              },
            ],
            // A first frame the codec rejects: answer it, and we cannot negotiate: close.
            'of.bad': {
              target: '#switchConnection.closed',
              actions: ['answerBadFrame', assign({ closeReason: 'bad_hello' })],
            },
          },
        },
        features: {
          entry: 'sendFeaturesRequest',
          on: {
            'of.in': [
              { guard: 'isEchoRequest', actions: 'answerEcho' },
              {
                guard: 'isFeaturesReply',
                target: 'claim',
                actions: assign(({ event }) => {
                  const m = (event as InEv).message as FeaturesReplyMessage;
                  return { features: m, dpid: formatDpid(m.datapathId) };
                }),
              },
              { guard: 'isHandshakeError', target: '#switchConnection.closed', actions: assign({ closeReason: 'handshake_error' }) },
              { actions: 'keepEarly' },
            ],
          },
        },
        claim: {
          entry: { type: 'claimDpid', params: ({ context }) => ({ dpid: context.dpid! }) },
          on: {
            'dpid.granted': { target: 'portDesc', actions: assign({ owner: true }) },
            'dpid.refused': { target: '#switchConnection.closed', actions: assign({ closeReason: 'duplicate_dpid' }) },
            'of.in': [{ guard: 'isEchoRequest', actions: 'answerEcho' }, { actions: 'keepEarly' }],
          },
        },
        portDesc: {
          entry: 'sendPortDescRequest',
          on: {
            'of.in': [
              { guard: 'isEchoRequest', actions: 'answerEcho' },
              { guard: and(['isPortDescPart', 'hasMore']), actions: 'keepPorts' },
              { guard: 'isPortDescPart', target: 'desc', actions: 'keepPorts' },
              { guard: 'isHandshakeError', target: '#switchConnection.closed', actions: assign({ closeReason: 'handshake_error' }) },
              { actions: 'keepEarly' },
            ],
          },
        },
        desc: {
          entry: 'sendDescRequest',
          on: {
            'of.in': [
              { guard: 'isEchoRequest', actions: 'answerEcho' },
              {
                guard: 'isDescReply',
                target: '#switchConnection.ready',
                actions: assign({
                  desc: ({ event }) => {
                    const m = (event as InEv).message;
                    return m.type === 'multipart_reply' && m.body.mpType === 'desc' ? m.body.desc : null;
                  },
                }),
              },
              { guard: 'isHandshakeError', target: '#switchConnection.closed', actions: assign({ closeReason: 'handshake_error' }) },
              { actions: 'keepEarly' },
            ],
          },
        },
      },
    },
    ready: {
      entry: [
        enqueueActions(({ context, enqueue }) => {
          const { xids, next } = takeXids(context.nextXid, 1);
          enqueue.assign({ nextXid: next, early: [] });
          enqueue({
            type: 'send',
            params: {
              messages: [
                { type: 'set_config', version: OFP_VERSION, xid: xids[0], flags: OFPC_FRAG.NORMAL, missSendLen: OFPCML.NO_BUFFER },
              ],
            },
          });
          // Recorded as connected first, then announced.
          enqueue({ type: 'switchReady', params: { dpid: context.dpid! } });
          enqueue({
            type: 'emit',
            params: published(switchReady, {
              ...source(context),
              dpid: context.dpid!,
              features: context.features!,
              ports: context.ports,
              portsSeq: context.portsSeq,
              desc: context.desc,
            }),
          });
          // Messages that came during the handshake, now that the dpid is known.
          for (const e of context.early) enqueue({ type: 'emit', params: messageInEvent(context, e.message, e.seq) });
          enqueue({ type: 'startTimer', params: { key: 'echo', ms: context.opts.echoIntervalMs } });
        }),
      ],
      exit: [{ type: 'cancelTimer', params: { key: 'echo' } }],
      on: {
        'of.frame': { actions: 'handleFrameReady' },
        'of.request': { actions: 'handleRequest' },
        'of.send': { actions: 'handleSend' },
        'of.encode_failed': { actions: 'failUnencodable' },
        timer: [
          {
            guard: and([{ type: 'isTimer', params: { key: 'echo' } }, 'echoExhausted']),
            target: 'closed',
            actions: assign({ closeReason: 'echo_timeout' }),
          },
          { guard: { type: 'isTimer', params: { key: 'echo' } }, actions: 'sendKeepalive' },
          { actions: 'expireRequest' },
        ],
      },
    },
    closed: {
      type: 'final',
      entry: [
        enqueueActions(({ context, enqueue }) => {
          for (const p of context.pending.values()) {
            enqueue({
              type: 'reject',
              params: {
                replyTo: p.replyTo,
                error: new SwitchRequestError(ErrorCode.SwitchDisconnected, `connection closed: ${context.closeReason}`, {
                  xid: p.key,
                  connectionId: context.connectionId,
                }),
              },
            });
          }
          enqueue.assign({ pending: new Map(), byXid: new Map() });
          enqueue({
            type: 'emit',
            params: published(connectionLost, {
              connection_id: context.connectionId,
              connection: context.remote,
              dpid: context.owner ? context.dpid : null,
              reason: context.closeReason,
            }),
          });
          enqueue({
            type: 'closeSocket',
            params: { reason: context.closeReason, dpid: context.dpid, owner: context.owner },
          });
        }),
      ],
    },
  },
});
