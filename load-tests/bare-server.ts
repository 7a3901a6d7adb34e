/**
 * Bare uWebSockets.js baseline: answers each scenario's path with fixed bytes, nothing else.
 * It runs as its own process on loopback so its CPU can be read from /proc/<pid>/stat.
 *
 *   node --import tsx load-tests/bare-server.ts [--port 0] [--host 127.0.0.1] [--responses file.json]
 *
 * Prints one JSON line `{"listening":<port>,"pid":<pid>}` on stdout when ready; SIGTERM/SIGINT stop it.
 * Every path answers with and without the trailing slash, as Lattice's routes do; a POST's body is
 * read to its end before the answer, so both servers do the same work per request.
 */
import { parseArgs } from 'node:util';
import uWS from 'uWebSockets.js';
import { defaultResponses, readResponsesFile, type FixedResponse } from './lib/bare-responses.js';
import { loadScenarios } from './lib/scenario.js';

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 404: 'Not Found' };

function statusLine(code: number): string {
  return `${code} ${STATUS_TEXT[code] ?? 'Status'}`;
}

function register(app: uWS.TemplatedApp, r: FixedResponse): void {
  const status = statusLine(r.status);
  const body = Buffer.from(r.body);
  const answer = (res: uWS.HttpResponse): void => {
    res.cork(() => {
      res.writeStatus(status).writeHeader('Content-Type', r.contentType).end(body);
    });
  };
  const handler = (res: uWS.HttpResponse): void => {
    if (r.method === 'GET' || r.method === 'HEAD' || r.method === 'DELETE') {
      answer(res);
      return;
    }
    let aborted = false;
    res.onAborted(() => {
      aborted = true;
    });
    res.onData((_chunk, isLast) => {
      if (isLast && !aborted) answer(res);
    });
  };
  const method = r.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'del';
  const paths = new Set([r.path, r.path.endsWith('/') ? r.path.slice(0, -1) : `${r.path}/`]);
  for (const path of paths) {
    if (path === '') continue;
    if (method === ('delete' as string)) app.del(path, handler);
    else app[method](path, handler);
  }
}

function main(): void {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      responses: { type: 'string' },
    },
  });
  if (typeof (uWS as unknown as Record<string, unknown>).getParts !== 'function') {
    // The npm package falls back to a Node.js implementation when its binary does not load.
    console.error('bare-server: uWebSockets.js native binary not loaded (fallback implementation); refusing to serve as the baseline');
    process.exit(1);
  }
  const responses = values.responses ? readResponsesFile(values.responses) : defaultResponses(loadScenarios());
  const app = uWS.App();
  for (const r of responses) register(app, r);
  const notFound = Buffer.from(JSON.stringify({ description: 'Not Found', code: 404 }));
  app.any('/*', (res) => {
    res.onAborted(() => {});
    res.cork(() => res.writeStatus('404 Not Found').writeHeader('Content-Type', 'application/json').end(notFound));
  });
  const host = values.host;
  if (!/^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(host)) {
    console.error(`bare-server: refusing to listen on ${host}: loopback only`);
    process.exit(1);
  }
  app.listen(host, Number(values.port), (listenSocket) => {
    if (!listenSocket) {
      console.error(`bare-server: cannot listen on ${host}:${values.port}`);
      process.exit(1);
    }
    const port = uWS.us_socket_local_port(listenSocket);
    process.stdout.write(`${JSON.stringify({ listening: port, pid: process.pid })}\n`);
    const stop = (): void => {
      uWS.us_listen_socket_close(listenSocket);
      process.exit(0);
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}

main();
