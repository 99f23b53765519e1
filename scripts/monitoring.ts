/**
 * Starts the local monitoring stack on loopback: Prometheus with this repository's
 * prometheus.yml and rules, Alertmanager with alertmanager.yml, the Pushgateway, and a
 * webhook sink that prints each notification; one Ctrl-C stops them all. See USAGE and
 * docs/prometheus.md ("The local stack: npm run monitoring").
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type StackAddresses, writeConfigs } from './monitoring-config.js';
import { startSink } from './monitoring-sink.js';
import { failScript, keepOnThroughClosedPipe } from './script-args.js';
import { joinNegativeValues, repeatedFlag } from '../src/cli/args.js';
import { holdLock, makeDirs, makeDirsSync, takeLock } from '../src/monitoring/index.js';

keepOnThroughClosedPipe('monitoring');

const USAGE = `Usage: npm run monitoring -- [options]
       npm run monitoring -- --reload [--listen HOST:PORT]

Starts Prometheus (this repository's prometheus.yml and rules), Alertmanager
(alertmanager.yml, its default receiver a webhook sink here that prints each
notification) and the Pushgateway, all on loopback. Ctrl-C stops them all. A SIGHUP to
this process, or --reload from another terminal, reloads both configurations.

  --target HOST:PORT        the TradeSim exporter to scrape (default: 127.0.0.1:8000)
  --listen HOST:PORT        Prometheus (default: 127.0.0.1:9090, or PROMETHEUS_LISTEN)
  --tsdb DIR                Prometheus's data, where npm run backfill writes (default: .prometheus-data)
  --alertmanager HOST:PORT  Alertmanager (default: 127.0.0.1:9093)
  --pushgateway HOST:PORT   the Pushgateway (default: 127.0.0.1:9091)
  --sink HOST:PORT          the webhook sink (default: 127.0.0.1:9095)
  --data DIR                Alertmanager's and the Pushgateway's data, configs and logs
                            (default: a temporary folder, removed at the end)
  --no-alertmanager         start no Alertmanager (and no sink)
  --no-pushgateway          start no Pushgateway
  --lookback DURATION       Prometheus's query lookback (default 5m; a little under a
                            backfill's --step shows each turn alone, e.g. 14s for 15)
  --reload                  reload the configurations of the stack running at --listen
  --help                    print this help`;

const say = (message: string) => process.stdout.write(`monitoring: ${message}\n`);
const fail = (message: string): never => failScript('monitoring', message);

type Flags = Record<
  'target' | 'listen' | 'tsdb' | 'alertmanager' | 'pushgateway' | 'sink' | 'data' | 'lookback',
  string
>;
const text = { type: 'string' } as const;
const flag = { type: 'boolean' } as const;
const MONITORING_OPTIONS = {
  target: text,
  listen: text,
  tsdb: text,
  alertmanager: text,
  pushgateway: text,
  sink: text,
  data: text,
  lookback: text,
  'no-alertmanager': flag,
  'no-pushgateway': flag,
  reload: flag,
  help: { type: 'boolean', short: 'h' },
} as const;
let values: Partial<Flags> & {
  'no-alertmanager'?: boolean;
  'no-pushgateway'?: boolean;
  reload?: boolean;
  help?: boolean;
} = {};
// `--lookback -1` names its problem as `--lookback=-1` does, not as an ambiguous flag.
const args = joinNegativeValues(process.argv.slice(2));
try {
  ({ values } = parseArgs({ args, options: MONITORING_OPTIONS, strict: true }));
} catch (error) {
  fail((error as Error).message.split('\n')[0] ?? 'bad flag');
}
const repeated = values.help ? undefined : repeatedFlag(args, MONITORING_OPTIONS);
if (repeated) fail(repeated);
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const hostPort = /^[\w.-]+:\d{1,5}$|^\[[0-9a-f:]+\]:\d{1,5}$/i;
const address = (name: keyof Flags, fallback: string) => {
  const value = values[name] ?? fallback;
  const port = Number(value.split(':').pop());
  if (!hostPort.test(value) || !(port >= 1 && port <= 65_535)) {
    fail(`--${name}: must be HOST:PORT (a port from 1 to 65535), got '${value}'`);
  }
  return value;
};
const listen = address('listen', process.env.PROMETHEUS_LISTEN ?? '127.0.0.1:9090');
/** Where this session's pid is, for --reload from another terminal. */
const pidFile = join(tmpdir(), `tradesim-monitoring-${listen.replace(/[^\w.-]/g, '_')}.pid`);

if (values.reload) {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8'));
    process.kill(pid, 'SIGHUP');
  } catch {
    fail(`--reload: no npm run monitoring running for ${listen} (no ${pidFile} or its process is gone)`);
  }
  say(`asked the stack of ${listen} (pid ${pid!}) to reload its configurations`);
  process.exit(0);
}

const withAlertmanager = !values['no-alertmanager'];
const withPushgateway = !values['no-pushgateway'];
const target = address('target', '127.0.0.1:8000');
const amListen = withAlertmanager ? address('alertmanager', '127.0.0.1:9093') : undefined;
const pgwListen = withPushgateway ? address('pushgateway', '127.0.0.1:9091') : undefined;
const sinkListen = withAlertmanager ? address('sink', '127.0.0.1:9095') : undefined;
// Two of the stack's servers on one port: the second fails to start, after the first did.
{
  const ports = [
    ['listen', listen],
    ['alertmanager', amListen],
    ['pushgateway', pgwListen],
    ['sink', sinkListen],
  ].filter((p): p is [string, string] => p[1] !== undefined);
  const portOf = (hostPortText: string) => hostPortText.split(':').pop();
  for (const [i, [name, at]] of ports.entries()) {
    const other = ports.slice(0, i).find(([, earlier]) => portOf(earlier) === portOf(at));
    if (other) fail(`--${name}: ${at} takes the port of --${other[0]} (${other[1]}): give each its own`);
  }
}
const tsdb = values.tsdb ?? '.prometheus-data';
if (tsdb.trim() === '') fail('--tsdb: must not be empty');
// A lookback of 0 shows no sample at all: every query comes back empty.
if (values.lookback !== undefined && !/^(?!0+(ms|s|m|h)$)\d+(ms|s|m|h)$/.test(values.lookback))
  fail(`--lookback: must be a duration above 0 such as 14s or 5m, got '${values.lookback}'`);

/** The first of `names` on PATH, or a message saying how to install it. */
function binary(names: readonly string[], install: string): string {
  for (const name of names) {
    const found = spawnSync(name, ['--version'], { stdio: 'ignore' });
    if (!found.error && found.status === 0) return name;
  }
  process.stderr.write(`monitoring: no ${names.join(' or ')} on PATH: ${install}\n`);
  process.exit(1);
}
const bins = {
  prometheus: binary(['prometheus'], 'sudo apt-get install prometheus (or https://prometheus.io/download/)'),
  alertmanager: withAlertmanager
    ? binary(['prometheus-alertmanager', 'alertmanager'], 'sudo apt-get install prometheus-alertmanager')
    : '',
  pushgateway: withPushgateway
    ? binary(['prometheus-pushgateway', 'pushgateway'], 'sudo apt-get install prometheus-pushgateway')
    : '',
};

// Folders that are files are refused in one line, before anything starts.
for (const [flag, path] of [
  ['--tsdb', tsdb],
  ['--data', values.data],
] as const) {
  if (path !== undefined && statSync(path, { throwIfNoEntry: false })?.isDirectory() === false) {
    fail(`${flag}: ${path} is not a folder`);
  }
}
const temporary = values.data === undefined;
const folder = resolve(values.data ?? mkdtempSync(join(tmpdir(), 'tradesim-monitoring-')));
// Not mkdirSync's recursive: it spins for ever under a parent that takes no folder (/proc).
try {
  makeDirsSync(folder);
} catch (error) {
  fail(`--data: cannot make ${folder}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
}
/** Refuses in one line, the temporary folder (made above) removed first. */
const failClean = (message: string): never => {
  if (temporary) rmSync(folder, { recursive: true, force: true });
  return fail(message);
};
const url = (at: string) => `http://${at}`;

// The sink first: Alertmanager's configuration names its address.
let sink: Awaited<ReturnType<typeof startSink>> | undefined;
if (sinkListen) {
  const [host, port] = [sinkListen.slice(0, sinkListen.lastIndexOf(':')), Number(sinkListen.split(':').pop())];
  /** A scraped run's id, from its tradesim_info (its series carry no run label). */
  const runOf = async (labels: Readonly<Record<string, string>>) => {
    if (!labels.job) return undefined;
    const query = `tradesim_info{job="${labels.job}",instance="${labels.instance ?? ''}"}`;
    try {
      const res = await fetch(`${url(listen)}/api/v1/query?query=${encodeURIComponent(query)}`);
      const body = (await res.json()) as { data: { result: { metric: { run_id?: string } }[] } };
      return body.data.result[0]?.metric.run_id;
    } catch {
      return undefined;
    }
  };
  try {
    sink = await startSink(host.replace(/^\[|\]$/g, ''), port, runOf, (line) => process.stdout.write(`${line}\n`));
  } catch (error) {
    failClean(`--sink: cannot listen on ${sinkListen}: ${(error as Error).message}`);
  }
}
const addresses: StackAddresses = {
  target,
  prometheus: listen,
  alertmanager: amListen,
  pushgateway: pgwListen,
  sink: sink?.url,
};
/** The configurations written for the stack, or one line and exit 2 (a YAML file that does not parse). */
function configsOrFail(): ReturnType<typeof writeConfigs> {
  try {
    return writeConfigs(folder, addresses);
  } catch (error) {
    sink?.server.close();
    return failClean(`cannot read the configurations: ${(error as Error).message.split('\n')[0]}`);
  }
}
const configs = configsOrFail();

/**
 * Refuses an address another server holds, before anything starts: a server there (another
 * stack's) would answer the readiness probe for ours, and the stack be said ready before its
 * own server failed to listen.
 */
async function refuseTaken(flag: string, at: string): Promise<void> {
  const host = at.slice(0, at.lastIndexOf(':')).replace(/^\[|\]$/g, '');
  const probe = createServer();
  const problem = await new Promise<string | undefined>((done) => {
    probe.once('error', (error: NodeJS.ErrnoException) =>
      done(error.code === 'EADDRINUSE' ? 'another server listens there' : error.message),
    );
    probe.listen(Number(at.split(':').pop()), host, () => probe.close(() => done(undefined)));
  });
  if (problem) {
    sink?.server.close();
    failClean(`--${flag}: cannot listen on ${at}: ${problem}`);
  }
}
await refuseTaken('listen', listen);
if (amListen) await refuseTaken('alertmanager', amListen);
if (pgwListen) await refuseTaken('pushgateway', pgwListen);

/**
 * One stack per TSDB folder: Prometheus (Debian's 2.42) takes no lock of its own, and two
 * writing one folder would corrupt it unseen. `tradesim-stack.lock` in it names this stack
 * until it exits; one whose process is gone is taken over.
 */
async function lockTsdb(): Promise<void> {
  const lockOf = join(tsdb, 'tradesim-stack');
  try {
    await makeDirs(tsdb);
    const lock = await takeLock(lockOf);
    if (lock.state === 'held') {
      sink?.server.close();
      failClean(`--tsdb: ${tsdb} is used by another stack (pid ${lock.holder.pid}); give it another --tsdb`);
    }
    if (lock.state === 'taken' && lock.tookOver) say(`took over ${tsdb}'s stale lock (${lock.tookOver})`);
  } catch (error) {
    failClean(`--tsdb: cannot use ${tsdb}: ${(error as Error).message}`);
  }
  // Until this process exits: a stack in another PID namespace (a container sharing the folder) sees it live.
  holdLock(lockOf);
}
await lockTsdb();

interface Server {
  readonly name: string;
  readonly child: ChildProcess;
  readonly log: string;
  readonly ready: string;
  exited: boolean;
}
const servers: Server[] = [];
let stopping = false;

function startServer(name: string, command: string, args: readonly string[], at: string): void {
  const log = join(folder, `${name}.log`);
  const out = createWriteStream(log);
  // In this process's group: a Ctrl-C in the terminal reaches every server at once (and
  // this process, which waits for them), and killing the group leaves nothing behind.
  const child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  // Both into one file: neither ends it (the first to end would, and the other's last words,
  // why the server stopped, would be lost or written after its end); 'close' ends it once both have.
  child.stdout.pipe(out, { end: false });
  child.stderr.pipe(out, { end: false });
  const server: Server = { name, child, log, ready: `${url(at)}/-/ready`, exited: false };
  child.on('close', (code, signal) => {
    out.end();
    server.exited = true;
    // A Ctrl-C reaches the servers and this process together: give its handler the time to run.
    setTimeout(() => {
      if (stopping) return;
      let tail: string[] = [];
      try {
        tail = readFileSync(log, 'utf8').trim().split('\n').slice(-5);
      } catch {
        // No log to show.
      }
      process.stderr.write(`monitoring: ${name} exited (${code ?? signal}); the end of ${log}:\n`);
      process.stderr.write(`${tail.map((l) => `  ${l}`).join('\n')}\n`);
      void stop(1);
    }, 500);
  });
  servers.push(server);
}

const promArgs = [
  `--config.file=${configs.prometheus}`,
  `--storage.tsdb.path=${tsdb}`,
  `--web.listen-address=${listen}`,
  '--web.enable-lifecycle',
  '--enable-feature=exemplar-storage',
  ...(values.lookback ? [`--query.lookback-delta=${values.lookback}`] : []),
];
startServer('prometheus', bins.prometheus, promArgs, listen);
if (amListen) {
  startServer(
    'alertmanager',
    bins.alertmanager,
    [
      `--config.file=${configs.alertmanager}`,
      `--storage.path=${join(folder, 'alertmanager')}`,
      `--web.listen-address=${amListen}`,
      // One instance, no gossip: nothing listens beyond loopback.
      '--cluster.listen-address=',
    ],
    amListen,
  );
}
if (pgwListen) {
  startServer(
    'pushgateway',
    bins.pushgateway,
    // The admin API on (loopback): `curl -X PUT .../api/v1/admin/wipe` clears every pushed run.
    [
      `--web.listen-address=${pgwListen}`,
      `--persistence.file=${join(folder, 'pushgateway.db')}`,
      '--web.enable-admin-api',
    ],
    pgwListen,
  );
}
writeFileSync(pidFile, String(process.pid));

/** Stops every server (SIGTERM, SIGKILL after 10 s), the sink, and removes what this session made. */
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  const alive = servers.filter((s) => !s.exited);
  for (const s of alive) s.child.kill('SIGTERM');
  const killer = setTimeout(() => alive.forEach((s) => s.exited || s.child.kill('SIGKILL')), 10_000);
  await Promise.all(
    alive.map((s) => new Promise<void>((done) => (s.exited ? done() : s.child.once('close', () => done())))),
  );
  clearTimeout(killer);
  sink?.server.close();
  try {
    unlinkSync(pidFile);
  } catch {
    // Already gone.
  }
  if (temporary) rmSync(folder, { recursive: true, force: true });
  say(`stopped ${servers.map((s) => s.name).join(', ')}`);
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop(0));

/** Re-reads the repository's configurations and has Prometheus and Alertmanager reload them. */
async function reload(): Promise<void> {
  try {
    writeConfigs(folder, addresses);
  } catch (error) {
    // A configuration that cannot be read is refused; the stack goes on with the one it has.
    say(`the reload was refused: ${(error as Error).message.split('\n')[0]}`);
    return;
  }
  for (const [name, at] of [
    ['prometheus', listen],
    ['alertmanager', amListen],
  ] as const) {
    if (!at) continue;
    try {
      const res = await fetch(`${url(at)}/-/reload`, { method: 'POST' });
      say(res.ok ? `${name} reloaded its configuration` : `${name} refused the reload: ${(await res.text()).trim()}`);
    } catch (error) {
      say(`${name} could not be asked to reload: ${(error as Error).message}`);
    }
  }
}
process.on('SIGHUP', () => void reload());

// Ready when every server answers its readiness probe.
const deadline = Date.now() + 60_000;
for (const s of servers) {
  for (;;) {
    if (stopping) break;
    try {
      if ((await fetch(s.ready)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      process.stderr.write(`monitoring: ${s.name} not ready after 60 s; see ${s.log}\n`);
      await stop(1);
    }
    await new Promise((done) => setTimeout(done, 200));
  }
}
if (!stopping) {
  say(`Prometheus   ${url(listen)} (scraping ${target}; data in ${tsdb})`);
  if (amListen) say(`Alertmanager ${url(amListen)} (notifications print below, from the sink at ${sink!.url})`);
  if (pgwListen) say(`Pushgateway  ${url(pgwListen)} (--pushgateway ${url(pgwListen)})`);
  say(`logs and configs in ${folder}${temporary ? ' (removed at the end)' : ''}; Ctrl-C stops them all`);
}
