import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { MonitoringErrors } from '../errors.js';
import type { LiveFeed } from '../live/live-feed.js';

/**
 * The page's Content-Security-Policy: its own scripts, styles and requests only (no CDN, no
 * inline code, nothing leaves the machine), and no framing.
 */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const pageHeaders = (reply: { header(name: string, value: string): unknown }) => {
  reply.header('content-security-policy', PAGE_CSP);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
};

/** The repository's root: the first folder up from this module with the package's package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'tradesim') {
      return dir;
    }
    const up = dirname(dir);
    if (up === dir) throw new MonitoringErrors.TRADESIM_ERR_HTTP_PAGE_MISSING(fileURLToPath(import.meta.url));
    dir = up;
  }
}

/** Where the page's files are (the same from src/ under tsx and from the dist/ bundle). */
export const PAGE_DIR = join(packageRoot(), 'src', 'monitoring', 'live', 'page');
const UPLOT_DIR = dirname(createRequire(import.meta.url).resolve('uplot'));

const LiveQuery = Type.Object(
  { window: Type.Optional(Type.Union([Type.Literal('recent'), Type.Literal('all')])) },
  { additionalProperties: false },
);
// The ids of the last marker and transition the page has, so it gets only newer ones.
const SeenQuery = Type.Object(
  {
    markers: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
    transitions: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
    // The newest turn the page has: it gets the turns after it (the recent window, turn by turn).
    turn: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
  },
  { additionalProperties: false },
);
type Seen = { markers?: string; transitions?: string; turn?: string };
const seen = (query: Seen) =>
  [
    Number(query.markers ?? 0),
    Number(query.transitions ?? 0),
    query.turn === undefined ? undefined : Number(query.turn),
  ] as const;

/** The event stream's headers (GET, and HEAD alike). */
const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
} as const;

let pageHtml: string | undefined;

/**
 * Sends the page (GET / when the client asks for HTML) with its first data in it (`view`, a
 * JSON data block: never run, so the CSP allows it), so the first paint has charts.
 */
export function sendPage(reply: FastifyReply, view?: unknown): FastifyReply {
  pageHeaders(reply);
  reply.header('cache-control', 'no-cache');
  if (view === undefined) return reply.sendFile('index.html', PAGE_DIR);
  pageHtml ??= readFileSync(join(PAGE_DIR, 'index.html'), 'utf8');
  // `<` escaped, so no string in the data can close the block.
  const data = JSON.stringify(view).replaceAll('<', '\\u003c');
  const block = `<script type="application/json" id="first-view">${data}</script>\n  </body>`;
  return reply.type('text/html; charset=utf-8').send(pageHtml.replace('</body>', block));
}

/**
 * The live page: its files under /page/ (uPlot from node_modules under /page/uplot/), the data
 * it loads (GET /api/live), its Server-Sent Events (GET /api/live/events) and the poll that
 * stands in for them (GET /api/live/update).
 */
export function registerPageRoutes(app: FastifyInstance, feed: LiveFeed): void {
  const setHeaders = (reply: FastifyReply) => pageHeaders(reply);
  void app.register(fastifyStatic, { root: PAGE_DIR, prefix: '/page/', setHeaders, index: false });
  void app.register(fastifyStatic, {
    root: UPLOT_DIR,
    prefix: '/page/uplot/',
    decorateReply: false,
    setHeaders,
    index: false,
  });

  app.get('/api/live', { schema: { querystring: LiveQuery } }, async (request) => {
    const { window } = request.query as { window?: 'recent' | 'all' };
    return feed.view(window ?? 'recent');
  });

  app.get('/api/live/update', { schema: { querystring: SeenQuery } }, async (request) => {
    return feed.update(...seen(request.query as Seen));
  });

  // HEAD answers the stream's headers and ends at once: a HEAD has no body, so holding a
  // stream open for it would hold a connection for nothing.
  app.head('/api/live/events', { schema: { querystring: SeenQuery } }, async (_request, reply) => {
    for (const [name, value] of Object.entries(SSE_HEADERS)) reply.header(name, value);
    return reply.code(200).send();
  });
  app.get('/api/live/events', { schema: { querystring: SeenQuery }, exposeHeadRoute: false }, (request, reply) => {
    const [markerSeen, transitionSeen, turnSeen] = seen(request.query as Seen);
    reply.hijack();
    const res = reply.raw;
    // A reader gone before its stream began (held by a latency fault) has closed already: a
    // stream attached now would never be told, and kept with its socket for the run.
    if (request.raw.destroyed || res.destroyed) return void res.destroy();
    res.writeHead(200, SSE_HEADERS);
    // The reader reconnects after 2 s when the stream drops.
    res.write('retry: 2000\n\n');
    const detach = feed.attach(res, markerSeen, transitionSeen, turnSeen);
    res.on('close', detach);
  });
}
