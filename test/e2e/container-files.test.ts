import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Spawned, servingUrl, signal, start, waitFor } from './processes.js';

// No container runtime runs here: these tests check what can be checked without one (the
// files parse, every path they name exists, ports and paths agree with prometheus.yml), and
// run the image's command from the layout its Dockerfile copies. Needs amtool
// (Debian's prometheus-alertmanager), which .ci/run installs.

interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  ports?: string[];
  volumes?: string[];
  network_mode?: string;
  environment?: Record<string, string>;
}
const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as { services: Record<string, ComposeService> };
const prometheus = parse(readFileSync('prometheus.yml', 'utf8')) as {
  rule_files: string[];
  alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
  scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
};
/** A service's bind mounts: host path -> container path. */
const mounts = (service: ComposeService) =>
  new Map(
    (service.volumes ?? [])
      .filter((v) => v.startsWith('./'))
      .map((v) => {
        const [host, container] = v.split(':');
        return [host!, container!] as const;
      }),
  );
const portOf = (hostPort: string) => hostPort.split(':').at(-1)!;

describe('docker-compose.yml', () => {
  const services = compose.services;

  it('runs the simulator, Prometheus, Alertmanager, the Pushgateway and Grafana, in one network namespace', () => {
    expect(Object.keys(services).sort()).toEqual(['alertmanager', 'grafana', 'prometheus', 'pushgateway', 'tradesim']);
    for (const name of ['tradesim', 'alertmanager', 'pushgateway', 'grafana']) {
      expect(services[name]!.network_mode, name).toBe('service:prometheus');
    }
    expect(services.tradesim!.build).toBe('.');
    expect(existsSync('Dockerfile')).toBe(true);
  });

  it('mounts only files and folders that exist', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const host of mounts(service).keys()) expect(existsSync(host), `${name}: ${host}`).toBe(true);
    }
  });

  it("publishes every port prometheus.yml scrapes and alerts, so the repository's file works unchanged", () => {
    // HOST_IP:HOST_PORT:CONTAINER_PORT, on the host's loopback only (the page's controls are on).
    const ports = services.prometheus!.ports ?? [];
    for (const p of ports) expect(p, p).toMatch(/^127\.0\.0\.1:(\d+):\1$/);
    const published = new Set(ports.map(portOf));
    const targets = [
      ...prometheus.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets)),
      ...prometheus.alerting.alertmanagers.flatMap((a) => a.static_configs.flatMap((s) => s.targets)),
    ];
    expect(targets.length).toBeGreaterThanOrEqual(3);
    for (const target of targets) {
      expect(target, target).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(published.has(portOf(target)), target).toBe(true);
    }
    expect(services.prometheus!.command).toContain('--web.listen-address=0.0.0.0:9090');
    expect(services.alertmanager!.command).toContain('--web.listen-address=0.0.0.0:9093');
    expect(services.pushgateway!.command).toContain('--web.listen-address=0.0.0.0:9091');
    expect(published).toContain('3000');
    // The Pushgateway's job keeps the labels runs push with.
    const job = prometheus.scrape_configs.find((c) => c.job_name === 'pushgateway') as { honor_labels?: boolean };
    expect(job.honor_labels).toBe(true);
  });

  it("runs TradeSim with the page's controls on", () => {
    expect(services.tradesim!.command).toContain('--allow-control');
  });

  it('gives Prometheus its configuration and every rule file beside it', () => {
    const m = mounts(services.prometheus!);
    const configArg = services.prometheus!.command!.find((c) => c.startsWith('--config.file='))!;
    const configPath = configArg.slice('--config.file='.length);
    expect(m.get('./prometheus.yml')).toBe(configPath);
    const dir = configPath.slice(0, configPath.lastIndexOf('/'));
    for (const file of prometheus.rule_files) expect(m.get(`./${file}`), file).toBe(`${dir}/${file}`);
    const check = spawnSync('promtool', ['check', 'config', 'prometheus.yml'], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
  });

  it("gives Alertmanager the repository's configuration, which amtool accepts", () => {
    expect(mounts(services.alertmanager!).get('./alertmanager.yml')).toBe('/etc/alertmanager/alertmanager.yml');
    const check = spawnSync('amtool', ['check-config', 'alertmanager.yml'], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
  });

  it('provisions Grafana with the Prometheus datasource and the dashboards folder', () => {
    const m = mounts(services.grafana!);
    expect(m.get('./grafana/provisioning')).toBe('/etc/grafana/provisioning');
    const provider = parse(readFileSync('grafana/provisioning/dashboards/tradesim.yml', 'utf8')) as {
      providers: { options: { path: string } }[];
    };
    expect(m.get('./grafana/dashboards')).toBe(provider.providers[0]!.options.path);
    const env = services.grafana!.environment!;
    expect(env.PROMETHEUS_URL).toBe('http://127.0.0.1:9090');
    const home = env.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH!;
    expect(existsSync(home.replace(provider.providers[0]!.options.path, 'grafana/dashboards'))).toBe(true);
    const ds = parse(readFileSync('grafana/provisioning/datasources/prometheus.yml', 'utf8')) as {
      datasources: { type: string; url: string }[];
    };
    expect(ds.datasources).toMatchObject([{ type: 'prometheus', url: '${PROMETHEUS_URL}' }]);
  });
});

describe('Dockerfile', () => {
  const lines = readFileSync('Dockerfile', 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const ignored = readFileSync('.dockerignore', 'utf8').split('\n').filter(Boolean);
  const spawned: Spawned[] = [];
  afterAll(async () => {
    for (const s of spawned) signal(s, 'SIGTERM');
    await Promise.all(spawned.map((s) => s.exited));
  });

  it('builds on the Node.js major package.json asks for and copies only files the context has', () => {
    const engines = (JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } }).engines.node;
    for (const from of lines.filter((l) => l.startsWith('FROM '))) {
      expect(from).toContain(`node:${engines.replace('>=', '')}-`);
    }
    const copies = lines.filter((l) => l.startsWith('COPY ') && !l.includes('--from='));
    expect(copies.length).toBeGreaterThan(3);
    for (const copy of copies) {
      const sources = copy.split(/\s+/).slice(1, -1);
      for (const source of sources) {
        expect(existsSync(source), copy).toBe(true);
        expect(
          ignored.some((i) => source.startsWith(i.replace(/\/$/, ''))),
          `${source} is in .dockerignore`,
        ).toBe(false);
      }
    }
  });

  it("the image's command serves the live page and /metrics from the layout the Dockerfile copies", async () => {
    // The build stage's RUN (built straight into the image's dist/, leaving the checkout's
    // alone), then the final stage's COPYs into an empty folder.
    const image = mkdtempSync(join(tmpdir(), 'tradesim-image-'));
    const build = spawnSync(process.execPath, ['scripts/build.mjs', '--outdir', join(image, 'dist/cli')], {
      encoding: 'utf8',
    });
    expect(build.status, build.stderr).toBe(0);
    cpSync('package.json', join(image, 'package.json'));
    symlinkSync(join(process.cwd(), 'node_modules'), join(image, 'node_modules'));
    cpSync('scenarios', join(image, 'scenarios'), { recursive: true });
    mkdirSync(join(image, 'src/monitoring/live'), { recursive: true });
    cpSync('src/monitoring/live/page', join(image, 'src/monitoring/live/page'), { recursive: true });

    const entrypoint = JSON.parse(
      lines.find((l) => l.startsWith('ENTRYPOINT '))!.slice('ENTRYPOINT '.length),
    ) as string[];
    const expose = lines.find((l) => l.startsWith('EXPOSE '))!.split(' ')[1];
    expect(expose).toBe('8000');
    // Its variables (ENV NAME=VALUE ...), with the JSONL path of this test; the image listens on 0.0.0.0:8000.
    const env = Object.fromEntries(
      lines
        .filter((l) => l.startsWith('ENV '))
        .flatMap((l) => l.slice('ENV '.length).split(/\s+/))
        .map((pair) => pair.split('=') as [string, string])
        .map(([name, value]) => [name, value === '/data/metrics.jsonl' ? join(image, 'm.jsonl') : value]),
    );
    expect(env).toMatchObject({ TRADESIM_HOST: '0.0.0.0' });
    // A flag given to `docker run` takes a variable's place, not refused as given twice.
    const run = start(
      entrypoint[0] === 'node' ? process.execPath : entrypoint[0]!,
      [...entrypoint.slice(1), '--scenario', 'crisis', '--port', '0', '--interval', '50', '--host', '0.0.0.0'],
      env,
      image,
    );
    spawned.push(run);
    const url = (await servingUrl(run)).replace('0.0.0.0', '127.0.0.1');
    const page = await fetch(`${url}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script src="/page/page.js" defer></script>');
    expect((await fetch(`${url}/page/uplot/uPlot.iife.min.js`)).status).toBe(200);
    expect(await (await fetch(`${url}/metrics`)).text()).toContain('tradesim_info{run_id=');
    // The snapshots went where the image's variable sends them.
    await waitFor('a JSONL line', () => (existsSync(join(image, 'm.jsonl')) ? true : undefined));
  }, 60_000);
});
