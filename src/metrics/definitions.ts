/**
 * Every metric Lattice exposes, declared once: name, help, labels (and buckets
 * for histograms). Names follow Prometheus conventions (`_total` counters,
 * base units), ready for the exporter a later issue adds.
 */
import type { MetricDeclaration } from './types.js';

export const METRICS = {
  httpRequests: {
    type: 'counter',
    name: 'lattice_http_requests_total',
    help: 'HTTP requests answered, by route template ("" when no route matched) and status class (2xx..5xx)',
    labels: ['route', 'status_class'],
  },
  httpRejected503: {
    type: 'counter',
    name: 'lattice_http_rejected_503_total',
    help: 'HTTP requests answered 503 (route busy, shutting down, store unavailable)',
    labels: [],
  },
  httpRequestDuration: {
    type: 'histogram',
    name: 'lattice_http_request_duration_seconds',
    help: 'Time from the request to its response being written, by route template',
    labels: ['route'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  },
  actorMailboxRefusals: {
    type: 'counter',
    name: 'lattice_actor_mailbox_refusals_total',
    help: 'Messages refused because an actor mailbox was full, by actor kind (route, napp, switch, ...)',
    labels: ['kind'],
  },
  actorMailboxDepth: {
    type: 'gauge',
    name: 'lattice_actor_mailbox_depth',
    help: 'Messages waiting in the mailboxes of the actors alive now, by actor kind',
    labels: ['kind'],
  },
  actorCrashes: {
    type: 'counter',
    name: 'lattice_actor_crashes_total',
    help: 'Actor crashes seen by the supervisor',
    labels: [],
  },
  actorRestarts: {
    type: 'counter',
    name: 'lattice_actor_restarts_total',
    help: 'Actor restarts after a crash, since start',
    labels: [],
  },
  deadLetters: {
    type: 'gauge',
    name: 'lattice_dead_letters',
    help: 'Dead letters held now (events no one could take)',
    labels: [],
  },
  switchesConnected: {
    type: 'gauge',
    name: 'lattice_switches_connected',
    help: 'OpenFlow switches whose handshake is done',
    labels: [],
  },
  openflowMessagesIn: {
    type: 'counter',
    name: 'lattice_openflow_messages_in_total',
    help: 'OpenFlow messages received from switches, by message type (hello, packet_in, ...)',
    labels: ['type'],
  },
  openflowMessagesOut: {
    type: 'counter',
    name: 'lattice_openflow_messages_out_total',
    help: 'OpenFlow messages sent to switches, by message type (flow_mod, packet_out, ...)',
    labels: ['type'],
  },
  openflowEchoRtt: {
    type: 'histogram',
    name: 'lattice_openflow_echo_rtt_seconds',
    help: 'Round trip of the echo requests the controller sends to switches (keepalives and NApp echoes)',
    labels: [],
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  },
  flows: {
    type: 'gauge',
    name: 'lattice_flows',
    help: 'Flows by state (installed, pending, ...), as the NApp that owns them sets it (metrics service)',
    labels: ['state'],
  },
  storeOperationDuration: {
    type: 'histogram',
    name: 'lattice_store_operation_duration_seconds',
    help: 'Time a store operation took, by operation (get, put, patch, list, batch, ...)',
    labels: ['op'],
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  },
  storeErrors: {
    type: 'counter',
    name: 'lattice_store_errors_total',
    help: 'Store operations that failed, by operation and error code',
    labels: ['op', 'code'],
  },
  eventLoopLag: {
    type: 'gauge',
    name: 'lattice_event_loop_lag_seconds',
    help: 'Largest event-loop delay over the last 10 to 20 seconds: how late a 1 s timer ran',
    labels: [],
  },
  heapUsed: {
    type: 'gauge',
    name: 'lattice_heap_used_bytes',
    help: 'V8 heap in use (v8.getHeapStatistics().used_heap_size), read at scrape time',
    labels: [],
  },
  websocketClients: {
    type: 'gauge',
    name: 'lattice_websocket_clients',
    help: 'WebSocket clients connected now',
    labels: [],
  },
  httpConnections: {
    type: 'gauge',
    name: 'lattice_http_connections',
    help: 'Client TCP connections on the HTTP port at the last count (http.maxConnections; 0 when no limit is set)',
    labels: [],
  },
  httpConnectionsShed: {
    type: 'counter',
    name: 'lattice_http_connections_shed_total',
    help: 'Responses that closed their connection because the count was over http.maxConnections',
    labels: [],
  },
  authRefused: {
    type: 'counter',
    name: 'lattice_auth_refused_total',
    help: 'Routed requests answered 401 (no or bad token, failed login) or 403 (role), by status',
    labels: ['status'],
  },
  authLogins: {
    type: 'counter',
    name: 'lattice_auth_logins_total',
    help: 'Logins, by result (ok or failed)',
    labels: ['result'],
  },
  switchesRefused: {
    type: 'counter',
    name: 'lattice_southbound_refused_total',
    help: 'Switch connections closed by policy, by reason (certificate_dpid_mismatch, no_client_certificate, malformed_budget)',
    labels: ['reason'],
  },
  lldpFramesRejected: {
    type: 'counter',
    name: 'lattice_lldp_frames_rejected_total',
    help: 'Rejected LLDP frames (of_lldp), by reason: no_tlv, bad_mac, stale, malformed, unknown_interface',
    labels: ['reason'],
  },
} as const satisfies Record<string, MetricDeclaration>;

export type MetricKey = keyof typeof METRICS;
