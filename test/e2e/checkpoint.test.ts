import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, servingUrl, signal, startCli, waitFor } from './processes.js';

// Checkpoints with the real CLI: resume, fork, refusals, and a stop that writes one.
const dir = mkdtempSync(join(tmpdir(), 'tradesim-checkpoints-'));
const cli = (args: readonly string[]) =>
  spawnSync(process.execPath, [...CLI, '--no-server', '--interval', '0', '--quiet', '--no-events', ...args], {
    encoding: 'utf8',
  });
/** Each line's turn, business fields and alerts: what must not change across a checkpoint. */
const businessLines = (path: string) =>
  readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => {
      const { turn, business, alerts } = JSON.parse(line) as { turn: number; business: unknown; alerts: unknown };
      return JSON.stringify({ turn, business, alerts });
    });

describe('checkpoints with the real CLI', () => {
  const straight = join(dir, 'straight.jsonl');

  it.each([
    [401, 'an alert pending'],
    [924, 'two shocks in force and an alert pending'],
  ])(
    'a crisis run resumed from turn %i (%s) writes the same business lines as the uninterrupted run',
    (at, _what) => {
      if (!existsSync(straight)) {
        expect(cli(['--scenario', 'crisis', '--seed', '7', '--turns', '1000', '--jsonl', straight]).status).toBe(0);
      }
      const checkpoint = join(dir, `at-${at}.ckpt`);
      const first = join(dir, `first-${at}.jsonl`);
      const before = cli([
        '--scenario',
        'crisis',
        '--seed',
        '7',
        '--turns',
        String(at),
        '--jsonl',
        first,
        '--checkpoint',
        checkpoint,
        '--checkpoint-every',
        '20',
      ]);
      expect(before.status, before.stderr).toBe(0);
      const pending = JSON.parse(readFileSync(first, 'utf8').trimEnd().split('\n').at(-1)!) as {
        alerts: { state: string }[];
      };
      expect(pending.alerts.some((a) => a.state === 'pending')).toBe(true);
      const rest = join(dir, `rest-${at}.jsonl`);
      const after = cli(['--resume', checkpoint, '--turns', String(1000 - at), '--jsonl', rest]);
      expect(after.status, after.stderr).toBe(0);
      const resumed = businessLines(rest);
      expect(resumed).toHaveLength(1000 - at);
      expect(JSON.parse(resumed[0]!).turn).toBe(at + 1);
      expect(resumed).toEqual(businessLines(straight).slice(at));
    },
    60_000,
  );

  it('forks: a new seed, or another scenario on the same world; a world of another size is refused', () => {
    const checkpoint = join(dir, 'at-924.ckpt');
    const fork = join(dir, 'fork.jsonl');
    expect(cli(['--fork', checkpoint, '--seed', '99', '--turns', '75', '--jsonl', fork]).status).toBe(0);
    const forked = businessLines(fork);
    expect(JSON.parse(forked[0]!).turn).toBe(925);
    expect(forked).not.toEqual(businessLines(straight).slice(924));
    // What if the inflation shock had come 200 turns later (the README's example file):
    // forked before it started.
    const later = JSON.parse(readFileSync('examples/crisis-later-inflation.json', 'utf8')) as {
      timeline: { shock: string; at: number }[];
    };
    expect(later.timeline.find((s) => s.shock === 'inflation_shock')!.at).toBe(1100);
    const whatIf = join(dir, 'what-if.jsonl');
    // Without --seed the saved random stream goes on: only the timeline differs.
    const r = cli([
      '--fork',
      join(dir, 'at-401.ckpt'),
      '--scenario',
      'examples/crisis-later-inflation.json',
      '--turns',
      '599',
      '--jsonl',
      whatIf,
    ]);
    expect(r.status, r.stderr).toBe(0);
    // The scenario's name differs; everything else is the same until turn 900.
    const lines = businessLines(whatIf).map((l) =>
      l.replace('"scenario":"crisis-later-inflation"', '"scenario":"crisis"'),
    );
    // The same stream and the same past: identical until the inflation shock would have started.
    const straightLines = businessLines(straight);
    const firstDifference = lines.findIndex((line, i) => line !== straightLines[401 + i]);
    expect(JSON.parse(lines[firstDifference]!).turn).toBe(900);
    // The past cannot change: a shock that had started must stay as it was.
    const moved = JSON.parse(readFileSync('scenarios/crisis.json', 'utf8')) as { timeline: { at: number }[] };
    moved.timeline[3]!.at += 1;
    writeFileSync(join(dir, 'moved-freeze.json'), JSON.stringify(moved));
    const past = cli([
      '--fork',
      checkpoint,
      '--seed',
      '7',
      '--scenario',
      join(dir, 'moved-freeze.json'),
      '--turns',
      '5',
      '--no-jsonl',
    ]);
    expect(past.status).toBe(2);
    expect(past.stderr).toContain('timeline.3: started at turn 920, before the checkpoint');
    const refused = cli(['--fork', checkpoint, '--seed', '1', '--scenario', 'large', '--turns', '5', '--no-jsonl']);
    expect(refused.status).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain(
      'checkpoint does not fit the scenario: companies.count: the checkpoint has 500, the scenario 10000',
    );
  }, 60_000);

  it('keeps a live shock still to come through --resume, and drops it with the old timeline in a --fork --scenario, resumed or not', () => {
    const base = join(dir, 'pending.ckpt');
    const shock = ['--shock', 'type=credit_freeze,at=+10,turns=3'];
    expect(cli(['--seed', '5', '--turns', '5', '--no-jsonl', '--checkpoint', base, ...shock]).status).toBe(0);
    const withEvents = (args: readonly string[]) =>
      spawnSync(process.execPath, [...CLI, '--no-server', '--interval', '0', '--quiet', ...args], {
        encoding: 'utf8',
      });
    const shockLines = (path: string) =>
      existsSync(path)
        ? readFileSync(path, 'utf8')
            .split('\n')
            .filter((l) => l.includes('"kind":"shock"'))
        : [];
    // Resumed: the shock starts at turn 10 (taken at turn 0 for +10) as the run would have played it.
    const resumedEvents = join(dir, 'pending-resumed.events.jsonl');
    const resumed = withEvents(['--resume', base, '--turns', '15', '--no-jsonl', '--events', resumedEvents]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(shockLines(resumedEvents).map((l) => JSON.parse(l).turn)).toEqual([10, 13]);
    // Forked into its own scenario: no shock, whether the fork runs through or is resumed from its own checkpoint.
    const fork = ['--fork', base, '--seed', '5', '--scenario', 'default'];
    const throughEvents = join(dir, 'fork-through.events.jsonl');
    expect(withEvents([...fork, '--turns', '15', '--no-jsonl', '--events', throughEvents]).status).toBe(0);
    const forkCheckpoint = join(dir, 'fork.ckpt');
    expect(cli([...fork, '--turns', '2', '--no-jsonl', '--checkpoint', forkCheckpoint]).status).toBe(0);
    const laterEvents = join(dir, 'fork-later.events.jsonl');
    const later = withEvents(['--resume', forkCheckpoint, '--turns', '13', '--no-jsonl', '--events', laterEvents]);
    expect(later.status, later.stderr).toBe(0);
    expect([shockLines(throughEvents), shockLines(laterEvents)]).toEqual([[], []]);
    // A live shock in force at the checkpoint has started: a scenario without it at its place is refused,
    // as a changed scenario shock is (the world holds its effect, which only its end undoes).
    const inForce = join(dir, 'in-force.ckpt');
    const started = ['--shock', 'type=credit_freeze,at=+5,turns=20'];
    expect(cli(['--seed', '5', '--turns', '10', '--no-jsonl', '--checkpoint', inForce, ...started]).status).toBe(0);
    const refused = cli(['--fork', inForce, '--seed', '5', '--scenario', 'default', '--turns', '5', '--no-jsonl']);
    expect(refused.status).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(
      /timeline\.\d+: started at turn 5, before the checkpoint's turn 10; it must stay as it was/,
    );
  }, 60_000);

  it('refuses a truncated, corrupt or foreign file in one line with exit code 2', () => {
    const good = readFileSync(join(dir, 'at-401.ckpt'));
    const cases: [string, Buffer, string][] = [
      ['truncated', good.subarray(0, good.length >> 1), 'truncated'],
      [
        'corrupt',
        Buffer.concat([good.subarray(0, good.length - 10), Buffer.alloc(10, 7)]),
        'corrupt (checksum mismatch)',
      ],
      ['foreign', Buffer.from('TRADESIM-CHECKPOINT 9\n{}\n'), 'format version 9'],
    ];
    for (const [name, content, message] of cases) {
      const path = join(dir, `${name}.ckpt`);
      writeFileSync(path, content);
      const r = cli(['--resume', path, '--turns', '5', '--no-jsonl']);
      expect(r.status, name).toBe(2);
      expect(r.stderr.trim().split('\n'), name).toHaveLength(1);
      expect(r.stderr, name).toContain(`checkpoint ${path}: ${message}`);
    }
  }, 60_000);

  it('a checkpoint that cannot be written is a warning; the run goes on to its end and exits 3', () => {
    const r = cli([
      '--scenario',
      'crisis',
      '--seed',
      '7',
      '--turns',
      '2000',
      '--no-jsonl',
      '--checkpoint',
      '/proc/tradesim.ckpt',
      '--checkpoint-every',
      '100',
    ]);
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr).toContain('tradesim: warning: checkpoint not written to /proc/tradesim.ckpt:');
    expect(r.stderr.match(/warning: checkpoint not written/g)).toHaveLength(1);
    expect(r.stderr).toContain('stopped after turn 2000');
    expect(r.stderr).toContain('tradesim: output lost: the checkpoint of turn 2000 (/proc/tradesim.ckpt) (exit 3)');
  }, 30_000);

  it('a replayed session checkpointed before its stop, resumed, plays as the uninterrupted replay', () => {
    const log = join(dir, 'live.events.jsonl');
    const shock = { v: 1, run: 'r1', seed: 5, kind: 'shock', type: 'credit_freeze', timelineIndex: 0, severity: 0.8 };
    writeFileSync(
      log,
      [
        {
          ...shock,
          turn: 45,
          phase: 'start',
          targetCount: 0,
          targets: [],
          source: 'live',
          at: 45,
          turns: 200,
          percent: 30,
        },
        { ...shock, turn: 137, phase: 'end', targetCount: 0, targets: null, source: 'live', stopped: true },
      ]
        .map((line) => JSON.stringify(line))
        .join('\n') + '\n',
    );
    const [whole, part, checkpoint] = [
      join(dir, 'replay-whole.jsonl'),
      join(dir, 'replay-part.jsonl'),
      join(dir, 'replay.ckpt'),
    ];
    const base = ['--scenario', 'default', '--seed', '5', '--replay-shocks', log];
    expect(cli([...base, '--turns', '200', '--jsonl', whole]).status).toBe(0);
    expect(cli([...base, '--turns', '80', '--jsonl', part, '--checkpoint', checkpoint]).status).toBe(0);
    expect(cli(['--resume', checkpoint, '--turns', '120', '--jsonl', part]).status).toBe(0);
    expect(businessLines(part)).toEqual(businessLines(whole));
  }, 60_000);

  it('a resumed run exports the firing it was in from its first scrape, under the turn it fired', async () => {
    const checkpoint = join(dir, 'firing.ckpt');
    expect(
      cli(['--scenario', 'default', '--seed', '7', '--turns', '100', '--no-jsonl', '--checkpoint', checkpoint]).status,
    ).toBe(0);
    const run = startCli([
      ...['--resume', checkpoint, '--turns', '5', '--interval', '0', '--port', '0', '--linger', '30'],
      ...['--no-jsonl', '--no-events'],
    ]);
    try {
      const url = await servingUrl(run);
      const { firings } = (await (await fetch(`${url}/api/alerts`)).json()) as {
        firings: { rule: string; fired: number; resolved: number | null }[];
      };
      const open = firings.filter((f) => f.resolved === null && f.fired <= 100);
      // The checkpoint of default seed 7 at turn 100 has a rule firing (orders_late, since 54).
      expect(open.length).toBeGreaterThan(0);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      for (const f of open) {
        expect(metrics).toMatch(
          new RegExp(`^tradesim_alert_firing\\{rule="${f.rule}",[^}]*fired_turn="${f.fired}"\\} 1$`, 'm'),
        );
      }
    } finally {
      signal(run, 'SIGTERM');
      await run.exited;
    }
    // A fork whose scenario has none of those rules exports none of their firings.
    const ruleless = join(dir, 'ruleless.json');
    const scenario = JSON.parse(readFileSync('scenarios/default.json', 'utf8')) as Record<string, unknown>;
    writeFileSync(ruleless, JSON.stringify({ ...scenario, alerts: { useDefaults: false } }));
    const fork = startCli([
      ...['--fork', checkpoint, '--scenario', ruleless, '--turns', '5', '--interval', '0', '--port', '0'],
      ...['--linger', '30', '--no-jsonl', '--no-events'],
    ]);
    try {
      const url = await servingUrl(fork);
      expect(await (await fetch(`${url}/metrics`)).text()).not.toMatch(/^tradesim_alert_firing\{/m);
      const alerts = (await (await fetch(`${url}/api/alerts`)).json()) as { firings: { resolved: number | null }[] };
      expect(alerts.firings.filter((f) => f.resolved === null)).toEqual([]);
    } finally {
      signal(fork, 'SIGTERM');
      await fork.exited;
    }
  }, 30_000);

  it("a lingering run's checkpoint and last line are written when its last turn is, not at the linger's end", async () => {
    const [checkpoint, jsonl] = [join(dir, 'linger.ckpt'), join(dir, 'linger.jsonl')];
    const run = startCli([
      ...['--scenario', 'classic', '--seed', '5', '--turns', '10', '--interval', '0', '--port', '0'],
      ...['--jsonl', jsonl, '--jsonl-every', '4', '--no-events', '--linger', '60', '--checkpoint', checkpoint],
    ]);
    try {
      const url = await servingUrl(run);
      await waitFor('the run to finish', async () => {
        const body = (await (await fetch(`${url}/health`)).json()) as { status: string };
        return body.status === 'finished' ? true : undefined;
      });
      // Still lingering: its files are already whole.
      await waitFor('the checkpoint', async () => (existsSync(checkpoint) ? true : undefined), 10_000);
      const header = JSON.parse(readFileSync(checkpoint).subarray(0, 400).toString('latin1').split('\n')[1]!) as {
        turn: number;
      };
      expect(header.turn).toBe(10);
      // Written at the last turn, on the disk a moment after: waited for, as the checkpoint is.
      await waitFor(
        'the last line',
        async () =>
          existsSync(jsonl) &&
          readFileSync(jsonl, 'utf8').endsWith('}\n') &&
          readFileSync(jsonl, 'utf8').includes('"turn":10,')
            ? true
            : undefined,
        10_000,
      );
      expect(businessLines(jsonl).map((line) => (JSON.parse(line) as { turn: number }).turn)).toEqual([4, 8, 10]);
    } finally {
      signal(run, 'SIGKILL');
      await run.exited;
    }
  }, 30_000);

  it('refuses a second live run given the same --checkpoint, exit 2, and frees the file when the first ends', async () => {
    const checkpoint = join(dir, 'shared.ckpt');
    // The other run given the same checkpoint: first while the first runs, then after it.
    const another = ['--scenario', 'classic', '--seed', '2', '--turns', '20'];
    const first = startCli([
      ...['--scenario', 'classic', '--seed', '1', '--interval', '20', '--no-server', '--no-jsonl', '--no-events'],
      ...['--checkpoint', checkpoint, '--checkpoint-every', '10'],
    ]);
    try {
      await waitFor('the first run to checkpoint', async () => (existsSync(checkpoint) ? true : undefined));
      // Its own JSONL file, from an earlier run: refused, the run moves nothing aside.
      const earlier = join(dir, 'second.jsonl');
      expect(cli(['--scenario', 'classic', '--turns', '2', '--jsonl', earlier]).status).toBe(0);
      const before = readFileSync(earlier, 'utf8');
      const second = cli([...another, '--jsonl', earlier, '--checkpoint', checkpoint]);
      expect(second.status).toBe(2);
      expect([readFileSync(earlier, 'utf8'), existsSync(`${earlier}.1`)]).toEqual([before, false]);
      expect(second.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(
          new RegExp(
            `^tradesim: --checkpoint: ${checkpoint} is being written by another run \\(pid \\d+, run [0-9a-f-]+\\); choose another`,
          ),
        ),
      ]);
    } finally {
      signal(first, 'SIGTERM');
    }
    expect(await first.exited).toBe(0);
    expect(existsSync(`${checkpoint}.lock`)).toBe(false);
    const third = cli([...another, '--no-jsonl', '--checkpoint', checkpoint]);
    expect(third.status, third.stderr).toBe(0);
    expect(third.stderr).not.toContain('lock');
  }, 30_000);

  it('a stop signal writes a checkpoint of the last turn played', async () => {
    const checkpoint = join(dir, 'stopped.ckpt');
    const run = startCli([
      '--scenario',
      'crisis',
      '--seed',
      '7',
      '--interval',
      '20',
      '--port',
      '0',
      '--no-jsonl',
      '--no-events',
      '--checkpoint',
      checkpoint,
    ]);
    // Listening, then some turns of 20 ms.
    const url = await servingUrl(run);
    await waitFor('some turns', async () => {
      const body = (await (await fetch(`${url}/health`)).json()) as { turn: number };
      return body.turn >= 20 ? true : undefined;
    });
    signal(run, 'SIGTERM');
    expect(await run.exited).toBe(0);
    const stoppedAt = Number(/stopped after turn (\d+)/.exec(run.stderr())?.[1]);
    expect(stoppedAt).toBeGreaterThan(0);
    const header = JSON.parse(readFileSync(checkpoint).subarray(0, 400).toString('latin1').split('\n')[1]!) as {
      turn: number;
    };
    expect(header.turn).toBe(stoppedAt);
  }, 30_000);
});
