/**
 * The declared configuration: every key with its type, default and one line
 * of doc. `config/default.json` is generated from this (`npm run config:doc`)
 * and a test pins the two together.
 */
export interface Leaf {
  type: 'integer' | 'number' | 'string' | 'boolean' | 'string[]' | 'object';
  default: unknown;
  doc: string;
  env?: string;
  enum?: readonly string[];
  minimum?: number;
}
export type Section = { [key: string]: Leaf | Section };

const leaf = <T extends Leaf['type']>(type: T, def: unknown, doc: string, extra: Partial<Leaf> = {}): Leaf & { type: T } => ({
  ...extra,
  type,
  default: def,
  doc,
});

export const CONFIG_SCHEMA = {
  http: {
    host: leaf('string', '0.0.0.0', 'Address the REST/WebSocket server listens on', { env: 'LATTICE_HTTP_HOST' }),
    port: leaf('integer', 8181, 'REST/WebSocket port (0 picks a free one)', { env: 'LATTICE_HTTP_PORT', minimum: 0 }),
    maxBodyBytes: leaf('integer', 1_048_576, 'Largest request body accepted; larger gets 413 before any handler runs', { minimum: 1 }),
    maxJsonDepth: leaf('integer', 64, 'Deepest nesting of arrays/objects in a JSON or msgpack request body; deeper gets 400 while decoding', { minimum: 1 }),
    maxJsonElements: leaf('integer', 100_000, 'Most values (array elements and object members, nested ones included) in a JSON or msgpack request body; more gets 400 while decoding (a 1,000-flow flow_manager body has ~9,000)', { minimum: 1 }),
    maxJsonKeys: leaf('integer', 1000, 'Most keys in any one object (msgpack map) of a JSON or msgpack request body, counted while scanning the bytes, before any object is built; more gets 400', { minimum: 1 }),
    maxJsonStringBytes: leaf('integer', 65_536, 'Longest string (key or value, in bytes as written) in a JSON or msgpack request body, counted while scanning the bytes, before any string is built; longer gets 400', { minimum: 64 }),
    requestTimeoutMs: leaf('integer', 30_000, 'A route handler that has not answered by then gets 504', { minimum: 1 }),
    maxBackpressureBytes: leaf('integer', 1_048_576, 'uWebSockets.js send buffer per socket before writes wait', { minimum: 1024 }),
    corsAllowOrigins: leaf('string[]', [], 'Origins allowed by CORS, each exactly (scheme://host[:port]); "*" is refused; empty turns CORS off'),
    maxBodyBytesByRoute: leaf('object', {}, 'Per-route body limits under http.maxBodyBytes: {"POST /api/kytos/flow_manager/v2/flows/{dpid}": bytes}; a route may also declare its own'),
    maxInFlight: leaf('integer', 4096, 'Requests being served at once; past it a request answers 503 + Retry-After at once', { minimum: 1 }),
    maxConnections: leaf('integer', 4096, 'Client TCP connections (REST and WebSocket) kept open; counted from /proc/self/net/tcp (tcp6 for an IPv6 host) every connectionCheckMs; while over it, responses close their connections (Connection: close) until back at it. Connections are not refused before their first answer (uWebSockets.js cannot stop accepting); 0: no limit; Linux only', { minimum: 0 }),
    connectionCheckMs: leaf('integer', 1000, 'How often http.maxConnections counts the connections: a read of /proc/self/net/sockstat (every TCP socket of the network namespace, a few microseconds) and, when that is over the limit or every 10th time, of /proc/self/net/tcp (and tcp6 for an IPv6 host: about 1-2 ms of CPU each)', { minimum: 10 }),
    rateLimitPerSecond: leaf('integer', 200, 'Requests per second allowed per peer address (token bucket; 0: no limit); over it: 429 + Retry-After', { minimum: 0 }),
    rateLimitBurst: leaf('integer', 400, 'Requests a peer address may send at once above its rate', { minimum: 1 }),
    rateLimitLoopback: leaf('boolean', false, 'Apply the per-address rate limit to loopback peers too (off: tests, load generators and local proxies are loopback)'),
    routeMailbox: leaf('integer', 1024, 'Mailbox capacity of each route-handler actor; overflow answers 503', { minimum: 1 }),
    routeConcurrency: leaf('integer', 256, 'Requests one route-handler actor runs at once', { minimum: 1 }),
  },
  ws: {
    maxPayloadBytes: leaf('integer', 65_536, 'Largest WebSocket frame accepted from a client; larger closes with 1009', { minimum: 128 }),
    maxBufferedBytes: leaf('integer', 1_048_576, 'Bytes buffered for a slow WebSocket client before it is dropped with 1013', { minimum: 1024 }),
    idleTimeoutSec: leaf('integer', 120, 'Close WebSocket connections silent this long (0 = never)', { minimum: 0 }),
    maxClients: leaf('integer', 1024, 'WebSocket clients connected at once; past it an upgrade answers 503', { minimum: 1 }),
  },
  openflow: {
    host: leaf('string', '0.0.0.0', 'Address the OpenFlow listener binds'),
    port: leaf('integer', 6653, 'OpenFlow TCP port (0 picks a free one)', { env: 'LATTICE_OPENFLOW_PORT', minimum: 0 }),
    tlsPort: leaf('integer', 0, 'OpenFlow TLS port; 0 disables the TLS listener', { minimum: 0 }),
    tlsCert: leaf('string', '', 'PEM certificate file for the TLS listener'),
    tlsKey: leaf('string', '', 'PEM private key file for the TLS listener'),
    tlsCa: leaf('string', '', 'PEM CA bundle used to check switch certificates'),
    tlsRequireClientCert: leaf('boolean', false, 'Refuse TLS switches that present no valid certificate'),
    tlsDpids: leaf('object', {}, 'Which dpids each switch certificate may announce: {"cn:<subject CN>" or "sha256:<fingerprint>": ["00:00:00:00:00:00:00:01", ...] or ["*"]}; a switch announcing another dpid is disconnected and reported; empty: no check'),
    plaintext: leaf('boolean', true, 'Listen for switches over plain TCP on openflow.port too (unauthenticated: the banner warns); false: TLS only'),
    echoIntervalMs: leaf('integer', 5_000, 'Echo keepalive interval per switch', { minimum: 10 }),
    echoMissedLimit: leaf('integer', 3, 'Unanswered echoes before a switch is declared dead and closed', { minimum: 1 }),
    maxBufferBytes: leaf('integer', 1_048_576, 'Bytes held per switch connection (queued to a switch that is not reading, plus frames held back while its mailbox is full) before it is closed', { minimum: 65_536 }),
    maxFrameBytes: leaf('integer', 65_535, 'Largest OpenFlow message accepted from a switch', { minimum: 8 }),
    requestTimeoutMs: leaf('integer', 10_000, 'Default timeout of a request a NApp sends to a switch', { minimum: 1 }),
    duplicateProbeMs: leaf('integer', 2_000, 'How long the echo probe of an old connection waits when its dpid connects again', { minimum: 1 }),
    handshakeTimeoutMs: leaf('integer', 10_000, 'A switch that has not finished the handshake by then is closed', { minimum: 100 }),
    malformedBudget: leaf('integer', 100, 'Malformed OpenFlow messages a switch may send per malformedWindowMs (each answered with OFPT_ERROR); one more disconnects it (reason malformed_budget); 0: no limit', { minimum: 0 }),
    malformedWindowMs: leaf('integer', 10_000, 'The window of malformedBudget, from the first malformed message', { minimum: 1 }),
    switchMailbox: leaf('integer', 4096, 'Mailbox capacity of each switch-connection actor', { minimum: 16 }),
  },
  actors: {
    mailboxCapacity: leaf('integer', 1024, 'Default mailbox capacity of an actor', { minimum: 1 }),
    askTimeoutMs: leaf('integer', 10_000, 'Default time an ask waits for its answer', { minimum: 1 }),
    deadLettersPerName: leaf('integer', 50_000, 'Dead letters kept per event name (oldest evicted); reloaded by SIGHUP', { minimum: 1 }),
    deadLettersMax: leaf('integer', 200_000, 'Dead letters kept over every event name together (oldest evicted; 0: only the per-name cap); reloaded by SIGHUP', { minimum: 0 }),
    deadLettersMaxAgeMs: leaf('integer', 86_400_000, 'Dead letters older than this are dropped (0: no age limit); reloaded by SIGHUP', { minimum: 0 }),
    restartBackoffMs: leaf('integer', 100, 'First delay before a crashed actor is restarted (doubles per crash)', { minimum: 1 }),
    restartMaxBackoffMs: leaf('integer', 30_000, 'Longest delay before a crashed actor is restarted', { minimum: 1 }),
  },
  store: {
    backend: leaf('string', 'embedded', 'embedded (LMDB, no server) or mongodb', { env: 'LATTICE_STORE', enum: ['embedded', 'mongodb'] }),
    dataDir: leaf('string', './data', 'Directory of the embedded store', { env: 'LATTICE_DATA_DIR' }),
    embeddedDurability: leaf('string', 'flush', 'flush: a write is acknowledged after fsync (survives power loss); commit: after commit (survives kill -9, not power loss)', {
      enum: ['flush', 'commit'],
    }),
    mongodbUri: leaf('string', 'mongodb://127.0.0.1:27017', 'MongoDB connection string (may hold a password: never shown by the config route)', {
      env: 'LATTICE_MONGODB_URI',
    }),
    mongodbDatabase: leaf('string', 'napps', 'MongoDB database name', { env: 'LATTICE_MONGODB_DB' }),
    mongodbWriteConcern: leaf('string', 'majority', 'MongoDB write concern (w)'),
    mongodbReadPreference: leaf('string', 'primaryPreferred', 'MongoDB read preference', {
      enum: ['primary', 'primaryPreferred', 'secondary', 'secondaryPreferred', 'nearest'],
    }),
    mongodbMaxPoolSize: leaf('integer', 300, 'MongoDB connection pool maximum', { minimum: 1 }),
    mongodbMinPoolSize: leaf('integer', 0, 'MongoDB connection pool minimum', { minimum: 0 }),
    mongodbTimeoutMs: leaf('integer', 2_000, 'MongoDB server selection timeout; writes fail fast after it', { minimum: 100 }),
    mongodbJournal: leaf('boolean', true, 'MongoDB write concern j: acknowledge after the server journal'),
    mongodbConnectTimeoutMs: leaf('integer', 1_000, 'MongoDB TCP connect timeout (also the heartbeat timeout)', { minimum: 100 }),
    mongodbHeartbeatMs: leaf('integer', 1_000, 'MongoDB heartbeat; with the connect timeout it bounds how fast a hung server is detected', { minimum: 500 }),
    mongodbSocketTimeoutMs: leaf('integer', 30_000, 'How long one MongoDB operation may take', { minimum: 100 }),
    mongodbMaxRetries: leaf('integer', 3, 'Retries of a transient MongoDB error, with bounded backoff', { minimum: 0 }),
  },
  napps: {
    dir: leaf('string', 'napps', 'Directory holding napps/<username>/<name>/'),
    enabled: leaf('string[]', ['kytos/of_core', 'kytos/topology', 'kytos/flow_manager', 'kytos/pathfinder', 'kytos/of_lldp', 'kytos/maintenance', 'amlight/kytos_stats', 'kytos/mef_eline'], 'NApps to load at start, as "username/name"', { env: 'LATTICE_NAPPS' }),
    settings: leaf('object', {}, 'Per-NApp settings overrides: {"username/name": {...}}'),
    loadTimeoutMs: leaf('integer', 30_000, 'How long a NApp setup may take; past it the NApp is failed and the controller starts without it (0: no limit)', { minimum: 0 }),
  },
  log: {
    level: leaf('string', 'warn', 'Log level (JSON lines on stdout)', {
      env: 'LATTICE_LOG_LEVEL',
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    }),
  },
  shutdown: {
    graceMs: leaf('integer', 8_000, 'How long SIGTERM waits for in-flight requests and mailboxes to drain', { minimum: 0 }),
  },
  metrics: {
    enabled: leaf('boolean', true, 'Serve GET /metrics (Prometheus text format)', { env: 'LATTICE_METRICS' }),
    httpLatency: leaf('boolean', true, 'Time every HTTP request into lattice_http_request_duration_seconds (two clock reads per request)', {
      env: 'LATTICE_METRICS_HTTP_LATENCY',
    }),
  },
  auth: {
    jwtSecret: leaf('string', '', 'Secret that signs API tokens (HS256); empty: a random one made on first start and kept in the store (never shown by the config route)', { env: 'LATTICE_JWT_SECRET' }),
    jwtPreviousSecret: leaf('string', '', 'The secret before a rotation: its tokens are still accepted until jwtPreviousSecretUntil (never shown by the config route)', { env: 'LATTICE_JWT_PREVIOUS_SECRET' }),
    jwtPreviousSecretUntil: leaf('string', '', 'ISO time until which tokens of jwtPreviousSecret are accepted; empty: start time + tokenExpirationMinutes'),
    tokenExpirationMinutes: leaf('integer', 180, 'Lifetime of a token from login (Kytos-ng token_expiration_minutes)', { minimum: 1 }),
    protectReads: leaf('boolean', false, 'Reads (GET routes, the events WebSocket) need a token too; writes always do'),
    authenticateUrls: leaf('string[]', [], 'Kytos-ng authenticate_urls: routes whose path contains one of these need a token for reads too (only adds protection)'),
    loopbackBootstrap: leaf('boolean', true, 'While no user exists, writes from a loopback peer with a loopback literal Host and no foreign Origin need no token (to create the first user)'),
    adminPasswordFile: leaf('string', '', 'First start only (no user exists): create the admin user with the password read from this file', { env: 'LATTICE_ADMIN_PASSWORD_FILE' }),
    adminUsername: leaf('string', 'admin', 'Username of the admin created from adminPasswordFile'),
    adminEmail: leaf('string', 'admin@lattice.local', 'Email of the admin created from adminPasswordFile'),
    kytosCompatibleErrors: leaf('boolean', false, "Login failures answer Kytos-ng's 404 \"User X not found\" / 401 \"Incorrect password\" instead of one uniform 401"),
    kytosGetNAppToggles: leaf('boolean', false, "Serve Kytos-ng's GET forms of napps/{user}/{napp}/enable|disable (always behind a token); off: 405, use POST"),
    audit: leaf('boolean', true, 'Record every write request (who, what, when, status) in the store collection lattice.audit (GET /api/lattice/v1/audit)'),
    auditFlushMs: leaf('integer', 1_000, 'Audit entries are written in one batch at most this many ms after their request was answered (and at shutdown, before the audit is read, and when 256 wait); a crash loses at most this interval; 0: at once, group-committed', { minimum: 0 }),
    auditMaxEntries: leaf('integer', 100_000, 'Audit entries kept; the oldest are removed past it (checked every minute, at most auditPruneBatch per pass); reloaded by SIGHUP', { minimum: 100 }),
    auditMaxAgeDays: leaf('integer', 365, 'Audit entries older than this many days are removed (checked every minute; 0: kept until auditMaxEntries); reloaded by SIGHUP', { minimum: 0 }),
    auditPruneBatch: leaf('integer', 1_000, 'Most audit entries one pruning pass removes (the rest go in the next passes)', { minimum: 1 }),
    revocationRefreshMs: leaf('integer', 2_000, 'How often the in-memory copy of users (deleted or deactivated users lose their tokens) is re-read from the store; changes made through the API apply at once', { minimum: 100 }),
    loginBaseDelayMs: leaf('integer', 200, 'Delay before answering a login after one failure for that user or address; doubles per failure (0: no slowing)', { minimum: 0 }),
    loginMaxDelayMs: leaf('integer', 5_000, 'Longest delay before answering a login (never a lock-out)', { minimum: 0 }),
    loginForgetAfterMs: leaf('integer', 900_000, 'Failures older than this are forgotten', { minimum: 1 }),
  },
} satisfies Section;

/** Keys whose values are never shown by the config route. */
export const SECRET_KEYS = ['auth.jwtSecret', 'auth.jwtPreviousSecret', 'store.mongodbUri'] as const;
