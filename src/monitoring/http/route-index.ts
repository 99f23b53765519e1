import { ENTITY_KINDS, ENTITY_PAGE_MAX, type TurnLoop } from '../../services/index.js';

const READ = ['GET', 'HEAD'] as const;

/** Every route, what it answers (the index at GET /api), its methods (the 405 answer's Allow list). */
export const ROUTES: readonly {
  readonly path: string;
  readonly methods: readonly string[];
  readonly description: string;
}[] = [
  { path: '/', methods: READ, description: 'the live page for a browser (Accept: text/html), else this index' },
  { path: '/api', methods: READ, description: 'this index of the endpoints' },
  {
    path: '/metrics',
    methods: READ,
    description: 'Prometheus text, or OpenMetrics when the Accept header prefers it',
  },
  { path: '/health', methods: READ, description: 'is the loop advancing and the JSONL file writable (503 when not)' },
  { path: '/api/stats', methods: READ, description: "every service's figures of the latest turn" },
  {
    path: '/api/alerts',
    methods: READ,
    description: 'the active alerts, every firing of the run (?since=TURN), the recent transitions and the rules',
  },
  {
    path: '/api/history',
    methods: READ,
    description: 'a figure over the last turns: ?figure=NAME&window=N (1 to 100000, default 50)',
  },
  {
    path: '/api/figures',
    methods: READ,
    description: 'every figure: its name, its unit, whether it is kept in history',
  },
  ...ENTITY_KINDS.map((kind) => ({
    path: `/api/${kind}`,
    methods: READ,
    description: `a page of the ${kind}: ?sort=FIELD&order=asc|desc&offset=N&limit=1..${ENTITY_PAGE_MAX}`,
  })),
  {
    path: '/api/live',
    methods: READ,
    description: "the live page's charts and data: ?window=recent (last turns) or all (the whole run, downsampled)",
  },
  {
    path: '/api/live/events',
    methods: READ,
    description: 'Server-Sent Events: the latest turn, at most 10 a second',
  },
  { path: '/api/live/update', methods: READ, description: 'the latest turn, as one event (for polling)' },
  {
    path: '/api/control',
    methods: ['POST'],
    description:
      'pause, resume, step or change the interval: {"action":"pause"|"resume"|"step"} or {"action":"interval","intervalMs":N}',
  },
  {
    path: '/api/shocks',
    methods: ['GET', 'HEAD', 'POST'],
    description: 'market shocks in force; POST {"action":"start","shock":KIND,...} or {"action":"stop","index":N}',
  },
  {
    path: '/api/faults',
    methods: ['GET', 'HEAD', 'POST'],
    description: 'exporter faults on; POST {"action":"start"|"stop","fault":"latency"|"errors"|"stall"|"leak",...}',
  },
];
export const ROUTE_METHODS: ReadonlyMap<string, readonly string[]> = new Map(ROUTES.map((r) => [r.path, r.methods]));
/** The path of `url`, percent-decoded as the router reads it (`/api/st%61ts` is `/api/stats`); as it is when it cannot be. */
export function pathOf(url: string): string {
  const path = url.split('?')[0] ?? '';
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
/** The route path of `url` when it is one of ours, whatever the method. */
export const knownPath = (url: string): string | undefined => {
  const path = pathOf(url);
  return ROUTE_METHODS.has(path) ? path : undefined;
};
/** The answer of GET /api: the run and every endpoint. */
export const apiIndex = (loop: Pick<TurnLoop, 'runId' | 'seed'>) => ({
  name: 'tradesim',
  runId: loop.runId,
  seed: loop.seed,
  endpoints: ROUTES.map((r) => ({ path: r.path, methods: r.methods, description: r.description })),
});
