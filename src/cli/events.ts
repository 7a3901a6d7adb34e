import WebSocket from 'ws';
import { CliError, EXIT, exitCodeOf } from './exit-codes.js';

export interface FollowOptions {
  url: string;
  token?: string;
  pattern: string;
  json: boolean;
  /** Stop after this many events (for scripts); follow forever otherwise. */
  count?: number;
  write: (line: string) => void;
}

const PATH = '/api/kytos/core/events/ws';

/**
 * Follows the event WebSocket: subscribes to `pattern` (a Kytos regex over
 * whole event names) and writes one line per event until interrupted (or
 * `count` events). Resolves when done; rejects with a CliError.
 */
export function followEvents(options: FollowOptions): Promise<void> {
  const wsUrl = `${options.url.replace(/\/+$/, '').replace(/^http/, 'ws')}${PATH}`;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, { headers: options.token ? { Authorization: `Bearer ${options.token}` } : {} });
    let seen = 0;
    let subscribed = false;
    const done = (error?: CliError) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
      if (error) reject(error);
      else resolve();
    };
    const onSignal = () => done();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    socket.on('unexpected-response', (_req, res) => {
      const status = res.statusCode ?? 0;
      done(new CliError(`GET ${PATH}: ${status} ${res.statusMessage ?? ''}`.trim(), exitCodeOf(status) === EXIT.OK ? EXIT.SERVER_ERROR : exitCodeOf(status)));
    });
    socket.on('error', (error: Error & { code?: string }) => done(new CliError(`cannot reach ${options.url}: ${error.code ?? error.message}`, EXIT.UNREACHABLE)));
    socket.on('open', () => socket.send(JSON.stringify({ subscribe: [options.pattern] })));
    socket.on('close', (code) => done(subscribed && code === 1001 ? undefined : new CliError(`the event stream closed (${code})`, EXIT.SERVER_ERROR)));
    socket.on('message', (data) => {
      let m: any;
      try {
        m = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (m.error) return done(new CliError(`event stream: ${m.error}`, EXIT.CLIENT_ERROR));
      if (m.subscribed) {
        subscribed = true;
        if (!options.json) process.stderr.write(`following ${options.pattern} on ${wsUrl} (Ctrl-C to stop)\n`);
        return;
      }
      if (typeof m.name !== 'string') return;
      options.write(options.json ? JSON.stringify(m) : `${String(m.timestamp ?? '-')}  ${m.name}  ${JSON.stringify(m.content ?? {})}`);
      if (options.count !== undefined && ++seen >= options.count) done();
    });
  });
}
