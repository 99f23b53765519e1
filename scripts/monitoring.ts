/**
 * Starts a local Prometheus with this repository's prometheus.yml and alert rules:
 * npm run monitoring. Its UI is then on http://127.0.0.1:9090.
 */
import { spawn, spawnSync } from 'node:child_process';

const found = spawnSync('prometheus', ['--version'], { stdio: 'ignore' });
if (found.error || found.status !== 0) {
  process.stderr.write(
    'monitoring: no prometheus binary on PATH.\n' +
      '  Debian/Ubuntu: sudo apt-get install prometheus   (also brings promtool)\n' +
      '  elsewhere: https://prometheus.io/download/ and put prometheus on PATH\n',
  );
  process.exit(1);
}
const args = [
  '--config.file=prometheus.yml',
  '--storage.tsdb.path=.prometheus-data',
  `--web.listen-address=${process.env.PROMETHEUS_LISTEN ?? '127.0.0.1:9090'}`,
];
process.stdout.write(`monitoring: prometheus ${args.join(' ')}\n`);
const child = spawn('prometheus', args, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
