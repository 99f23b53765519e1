import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readTable } from '../../src/cli/sweep/sweep-rows.js';
import { releaseLock, takeLock } from '../../src/monitoring/jsonl/run-lock.js';
import { SWEEP, signal, start, waitFor } from './processes.js';

// The sweep command for real: the bundled dist/cli/sweep.mjs an image runs, `npm run sweep`
// (worker threads under tsx) once, and the Kubernetes Indexed Job played pod by pod.
const dir = mkdtempSync(join(tmpdir(), 'tradesim-sweep-'));
const GRID = ['--scenario', 'crisis', '--seeds', '1-4', '--turns', '400', '--set', 'companies.count=0,4'];
// A rule whose firing column would be the sweep's own first_critical_turn.
const criticalRule = join(dir, 'critical-rule.json');
writeFileSync(
  criticalRule,
  JSON.stringify({ alerts: { rules: [{ name: 'critical', figure: 'budget.total', op: '>', threshold: 0 }] } }),
);

/** The bundled sweep command (what `tradesim sweep` and an image run). */
function sweep(args: readonly string[]) {
  return spawnSync(process.execPath, [...SWEEP, ...args], { encoding: 'utf8' });
}

/** `npm run sweep`: the sources under tsx, worker threads included. */
function npmSweep(args: readonly string[]) {
  return spawnSync('npm', ['run', '-s', 'sweep', '--', ...args], { encoding: 'utf8' });
}

/** A CSV without its last column (wall time, the one that differs between two runs). */
const withoutWallTime = (csv: string) =>
  csv
    .trimEnd()
    .split('\n')
    .map((line) => line.slice(0, line.lastIndexOf(',')))
    .join('\n');

describe('the sweep command', () => {
  it('writes the same rows with 1 and 2 workers, bundled or under npm run; a failing run is a row; --plot writes a PNG', () => {
    const one = npmSweep([...GRID, '--workers', '1', '--out', join(dir, 'one')]);
    expect(one.status, one.stderr).toBe(0);
    const two = sweep([...GRID, '--workers', '2', '--out', join(dir, 'two'), '--plot', 'first_critical_turn']);
    expect(two.status, two.stderr).toBe(0);
    const csv1 = readFileSync(join(dir, 'one', 'sweep.csv'), 'utf8');
    expect(withoutWallTime(readFileSync(join(dir, 'two', 'sweep.csv'), 'utf8'))).toBe(withoutWallTime(csv1));

    const lines = csv1.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^run,scenario,seed,companies\.count,status,error,turns,/);
    expect(lines).toHaveLength(9);
    // companies.count=0 is refused by the scenario's validation: those four runs are error rows.
    expect(lines.slice(1, 5).every((l) => /^\d,crisis,\d,0,error,.*companies\.count/.test(l))).toBe(true);
    expect(lines.slice(5).every((l) => /^\d,crisis,\d,4,ok,,400,/.test(l))).toBe(true);
    expect(two.stdout).toContain('companies.count=0: 4 runs, 4 failed');
    expect(two.stdout).toContain('companies.count=4: 4 runs, 0 failed');
    expect(two.stderr).toMatch(/\[#{30}\] 8\/8 100% [\d.]+ runs\/s ETA 0s/);
    const png = readFileSync(join(dir, 'two', 'first_critical_turn.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(2_000);
  }, 120_000);

  it.each([
    [['--scenario', 'crisis'], '--seeds: required'],
    [['--seeds', '1-2', '--scenario', 'nope'], 'nope'],
    [['--seeds', '2-1'], "--seeds: '2-1' is not a range"],
    // A negative value is read as the flag's value, so its own check names it.
    [['--seeds', '-1'], "--seeds: expected N, N-M or a comma-separated list of them, got '-1'"],
    [['--seeds', '1', '--turns', '-5', '--turns', '-6'], '--turns: given more than once'],
    [['--seeds', '1', '--workers', '0'], '--workers: must be an integer from 1'],
    [['--seeds', '1', '--parts', '2'], '--parts: needs --part I or JOB_COMPLETION_INDEX'],
    [['merge', join(dir, 'missing.parquet')], 'merge: cannot read'],
    [['--bogus'], "Unknown option '--bogus'"],
    [['--seeds', '1', '--out', '/proc/tradesim-sweep'], '--out: cannot write to /proc/tradesim-sweep'],
    [['--seeds', '1', '--scenario', criticalRule], "alert rule 'critical' would get the column first_critical_turn"],
    [
      [
        '--seeds',
        '1-1000',
        '--set',
        `market.selectionProbability=${Array.from({ length: 200 }, (_, i) => i / 200).join(',')}`,
      ],
      'the grid has 200,000 runs (seeds x --set values): at most 100,000',
    ],
    [['--seeds', '1-1000', '--turns', '10000000'], 'the grid plays 10,000,000,000 turns (1000 runs x 10000000 turns)'],
    [['--seeds', '1-20', '--workers', '1000'], '--workers: at most'],
    [['--seeds', '1', '--set', '__proto__.x=1'], "--set __proto__.x: '__proto__' is not a scenario key"],
    [['--seeds', '1', '--set', 'constructor.prototype.x=1'], "'constructor' is not a scenario key"],
    [['--seeds', '1', '--set', 'market.nope=1'], "--set market.nope: 'market' has no key 'nope'"],
    [['--seeds', '1', '--plot', 'nope'], "--plot: 'nope' is not a numeric column of this sweep"],
    [['--seeds', '1', '--plot', 'scenario'], "--plot: 'scenario' is not a numeric column"],
    [['--seeds', '1', '--turns', '10', '--turns', '20'], '--turns: given more than once'],
    [['run', 'extra', '--seeds', '1'], "unexpected 'extra': run takes flags only"],
    [['merge', 'a.parquet', '--seeds', '1-3'], 'merge: --seeds does nothing here'],
    [['--seeds', '1', '--set', 'market=1'], '--set market: a section, not a value'],
    [['k8s', '--seeds', '1', '--parts', '2', '--image', 'i', '--claim', 'c\nkind: Secret'], 'k8s: --claim: lowercase'],
    [['k8s', '--seeds', '1', '--parts', '2', '--image', 'i', '--name', 'Bad_Name'], 'k8s: --name: lowercase'],
    // Flags a command would drop without a word.
    [['k8s', '--seeds', '1', '--parts', '2', '--image', 'i', '--workers', '3'], 'k8s: --workers does nothing here'],
    [['k8s', '--seeds', '1', '--parts', '2', '--image', ''], 'k8s: --image is required'],
    [['--seeds', '1', '--image', 'x'], 'run: --image does nothing here'],
    [
      ['k8s', '--scenario', 'scenarios/crisis.json', '--seeds', '1', '--parts', '2', '--image', 'i'],
      'k8s: --scenario: a preset',
    ],
  ])('refuses %j in one line with exit code 2', (args, message) => {
    const r = sweep(args);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(message);
  });

  it('refuses an --out whose tables another live sweep is writing, before any run', async () => {
    const out = join(dir, 'taken');
    mkdirSync(out);
    // This test's process holds the lock, as a sweep under way would.
    expect((await takeLock(join(out, 'sweep'))).state).toBe('taken');
    try {
      const r = sweep(['--seeds', '1', '--turns', '10', '--out', out]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`--out: another sweep (pid ${process.pid}) is writing ${join(out, 'sweep')}.csv`);
      expect(existsSync(join(out, 'sweep.csv'))).toBe(false);
    } finally {
      await releaseLock(join(out, 'sweep'));
    }
  });

  it('refuses a bad grid before any work: no output folder made', () => {
    const out = join(dir, 'never');
    const r = sweep(['--seeds', '1-1000', '--turns', '10000000', '--out', out]);
    expect(r.status).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  it('an output it cannot write is said by name; the rows are still written, the summary printed, exit 3', async () => {
    const out = join(dir, 'blocked');
    const run = start(process.execPath, [
      ...[...SWEEP, '--scenario', 'crisis', '--seeds', '1-2'],
      ...['--turns', '3000', '--workers', '1', '--out', out, '--plot', 'final_budget_total'],
    ]);
    // A folder put where the plot goes once the runs are under way (one there before is
    // refused before any run): its rename fails, as a full disk's write would.
    await waitFor('the runs under way', () => (run.stderr().includes('2 runs of 3000 turns') ? true : undefined));
    mkdirSync(join(out, 'final_budget_total.png'), { recursive: true });
    expect(await run.exited, run.stderr()).toBe(3);
    expect(run.stderr()).toContain(`sweep: ${join(out, 'final_budget_total.png')}: not written:`);
    expect(run.stderr()).toContain(`sweep: wrote ${join(out, 'sweep.parquet')}`);
    expect(readdirSync(out).sort()).toEqual(['final_budget_total.png', 'sweep.csv', 'sweep.parquet']);
    expect(run.stdout()).toContain('all runs: 2 runs, 0 failed');
    // A folder in the table's place is refused before any run (found after them, it cost the
    // rows), and the CSV already there kept.
    const tableBlocked = join(dir, 'table-blocked');
    mkdirSync(join(tableBlocked, 'sweep.parquet'), { recursive: true });
    writeFileSync(join(tableBlocked, 'sweep.csv'), 'my,own,data\n');
    const t = sweep(['--seeds', '1-2', '--turns', '10', '--out', tableBlocked]);
    expect(t.status, t.stderr).toBe(2);
    expect(t.stderr.trim().split('\n')).toEqual([
      `sweep: --out: refusing ${join(tableBlocked, 'sweep.parquet')}: it is not a file (TRADESIM_ERR_CLI_FLAG_INVALID)`,
    ]);
    expect(readdirSync(tableBlocked).sort()).toEqual(['sweep.csv', 'sweep.parquet']);
    expect(readFileSync(join(tableBlocked, 'sweep.csv'), 'utf8')).toBe('my,own,data\n');
  });

  it('says failed runs on stderr; a grid whose every run fails exits 2, a part of one 0 (its rows say it)', () => {
    const out = join(dir, 'all-failed');
    const r = sweep([
      '--seeds',
      '1-2',
      '--turns',
      '10',
      '--set',
      'companies.count=0',
      '--out',
      out,
      '--plot',
      'final_budget_total',
    ]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('sweep: 2 of 2 runs failed; the first, run 0 (seed 1): ');
    expect(r.stderr).toContain('sweep: warning: final_budget_total holds no number in any run');
    expect(readFileSync(join(out, 'sweep.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(3);
    const part = sweep([
      '--seeds',
      '1',
      '--turns',
      '10',
      '--set',
      'companies.count=10,0',
      '--parts',
      '2',
      '--part',
      '1',
      '--out',
      out,
    ]);
    expect(part.status, part.stderr).toBe(0);
    expect(part.stderr).toContain('sweep: 1 of 1 runs failed');
  });

  it('with stderr full or stdout a closed pipe, still writes its tables and exits 0', () => {
    const full = join(dir, 'stderr-full');
    const bundled = [...SWEEP, '--scenario', 'crisis', '--seeds', '1-3', '--turns', '200'];
    const r = spawnSync('sh', ['-c', `"${process.execPath}" ${bundled.join(' ')} --out ${full} 2>/dev/full`], {
      encoding: 'utf8',
    });
    expect(r.status, r.stdout).toBe(0);
    expect(readdirSync(full).sort()).toEqual(['sweep.csv', 'sweep.parquet']);
    // A full stdout: the tables are written, and the summary it did not take is said.
    const stdoutFull = join(dir, 'stdout-full');
    const s = spawnSync('sh', ['-c', `"${process.execPath}" ${bundled.join(' ')} --out ${stdoutFull} >/dev/full`], {
      encoding: 'utf8',
    });
    expect(s.status, s.stderr).toBe(0);
    expect(s.stderr).toMatch(/^sweep: the summary was not written to stdout: .*ENOSPC/m);
    expect(readdirSync(stdoutFull).sort()).toEqual(['sweep.csv', 'sweep.parquet']);
    const piped = join(dir, 'stdout-closed');
    const p = spawnSync(
      'bash',
      ['-c', `set -o pipefail; "${process.execPath}" ${bundled.join(' ')} --out ${piped} | head -c 1 >/dev/null`],
      { encoding: 'utf8' },
    );
    expect(p.status, p.stderr).toBe(0);
    expect(p.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(piped).sort()).toEqual(['sweep.csv', 'sweep.parquet']);
  });

  it('writes its plot through a temporary file of its own: a file named PLOT.png.tmp is left as it was', () => {
    const out = join(dir, 'beside');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'final_budget_total.png.tmp'), "not the sweep's");
    const r = sweep(['--seeds', '1-2', '--turns', '10', '--out', out, '--plot', 'final_budget_total']);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(out, 'final_budget_total.png.tmp'), 'utf8')).toBe("not the sweep's");
    expect(readdirSync(out).sort()).toEqual([
      'final_budget_total.png',
      'final_budget_total.png.tmp',
      'sweep.csv',
      'sweep.parquet',
    ]);
  });

  it('on SIGHUP (its terminal closed), writes the rows of the runs done so far and exits 130', async () => {
    const out = join(dir, 'hung-up');
    const run = start(process.execPath, [
      ...[...SWEEP, '--scenario', 'default', '--seeds', '1-40'],
      ...['--turns', '2000', '--workers', '1', '--out', out],
    ]);
    await waitFor('a tenth of the runs', () => (/ 4\/40 /.test(run.stderr()) ? true : undefined), 60_000);
    signal(run, 'SIGHUP');
    expect(await run.exited, run.stderr()).toBe(130);
    expect(run.stderr()).toMatch(/sweep: interrupted: the tables hold the \d+ of 40 runs done/);
    expect(existsSync(join(out, 'sweep.parquet'))).toBe(true);
  });

  it('stopped before any run is done, leaves the tables already there as they were', async () => {
    const out = join(dir, 'kept');
    mkdirSync(out);
    writeFileSync(join(out, 'sweep.csv'), 'an earlier sweep\n');
    writeFileSync(join(out, 'sweep.parquet'), 'an earlier sweep');
    const run = start(process.execPath, [
      ...[...SWEEP, '--scenario', 'default', '--seeds', '1-2'],
      ...['--turns', '50000', '--workers', '1', '--out', out],
    ]);
    await waitFor('the runs under way', () => (run.stderr().includes('2 runs of 50000 turns') ? true : undefined));
    signal(run, 'SIGINT');
    expect(await run.exited, run.stderr()).toBe(130);
    expect(run.stderr()).toContain('sweep: interrupted before any run was done: nothing written');
    expect(readFileSync(join(out, 'sweep.csv'), 'utf8')).toBe('an earlier sweep\n');
    expect(readFileSync(join(out, 'sweep.parquet'), 'utf8')).toBe('an earlier sweep');
  });

  it('uses no more workers than runs', () => {
    const r = sweep(['--seeds', '1-2', '--turns', '10', '--workers', '3', '--out', join(dir, 'few')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('2 runs of 10 turns on 2 workers');
  });

  it('on Ctrl-C, repeated or not, writes the rows of the runs done so far, says so, and exits 130', async () => {
    const out = join(dir, 'interrupted');
    const run = start(process.execPath, [
      ...[...SWEEP, '--scenario', 'default', '--seeds', '1-40'],
      ...['--turns', '2000', '--workers', '1', '--out', out],
    ]);
    // Progress lines come at every tenth of the runs: the first says 4 are done.
    await waitFor('a tenth of the runs', () => (/ 4\/40 /.test(run.stderr()) ? true : undefined), 60_000);
    // Repeated until it ends (a double Ctrl-C, a relayed signal): still one stop, rows written.
    const repeat = setInterval(() => signal(run, 'SIGINT'), 5);
    expect(await run.exited.finally(() => clearInterval(repeat))).toBe(130);
    const said = /sweep: interrupted: the tables hold the (\d+) of 40 runs done/.exec(run.stderr());
    expect(said, run.stderr()).not.toBeNull();
    const done = Number(said![1]);
    expect(done).toBeGreaterThanOrEqual(4);
    expect(done).toBeLessThan(40);
    const lines = readFileSync(join(out, 'sweep.csv'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(done + 1);
    expect(lines.slice(1).every((l) => /^\d+,default,\d+,ok,/.test(l))).toBe(true);
    expect((await readTable(join(out, 'sweep.parquet'))).rows).toHaveLength(done);
    expect(readdirSync(out).filter((f) => f.includes('.tmp-'))).toEqual([]);
  }, 120_000);

  it('as a Kubernetes Indexed Job, pod by pod, then merged: the same rows as on one machine', () => {
    const manifest = sweep(['k8s', ...GRID, '--parts', '3', '--image', 'registry.example/tradesim:1']);
    expect(manifest.status, manifest.stderr).toBe(0);
    const job = parse(manifest.stdout) as {
      kind: string;
      spec: {
        completionMode: string;
        completions: number;
        template: { spec: { containers: { image: string; command: string[]; args: string[] }[] } };
      };
    };
    expect(job).toMatchObject({ kind: 'Job', spec: { completionMode: 'Indexed', completions: 3 } });
    const container = job.spec.template.spec.containers[0]!;
    expect(container.image).toBe('registry.example/tradesim:1');

    // The image's layout (see the Dockerfile): the bundle beside node_modules and the presets.
    const image = join(dir, 'image');
    mkdirSync(image);
    // A copy of the built bundle (a link would be resolved to the repository's own folder).
    cpSync(join(process.cwd(), 'dist'), join(image, 'dist'), { recursive: true });
    symlinkSync(join(process.cwd(), 'node_modules'), join(image, 'node_modules'));
    symlinkSync(join(process.cwd(), 'scenarios'), join(image, 'scenarios'));
    symlinkSync(join(process.cwd(), 'package.json'), join(image, 'package.json'));
    const results = join(dir, 'results');
    for (const index of [0, 1, 2]) {
      const args = container.args.map((a) => (a === '/results' ? results : a));
      const [command, ...rest] = container.command;
      const pod = spawnSync(command === 'node' ? process.execPath : command!, [...rest, ...args], {
        cwd: image,
        encoding: 'utf8',
        env: { ...process.env, JOB_COMPLETION_INDEX: String(index) },
      });
      expect(pod.status, pod.stderr).toBe(0);
      expect(pod.stderr).toContain(`part ${index} of 3`);
    }
    const parts = readdirSync(results).filter((f) => f.endsWith('.parquet'));
    expect(parts.sort()).toEqual([
      'sweep-part-0-of-3.parquet',
      'sweep-part-1-of-3.parquet',
      'sweep-part-2-of-3.parquet',
    ]);
    // Into a folder that does not exist yet, two levels deep.
    const merged = sweep(['merge', ...parts.map((p) => join(results, p)), '--out', join(dir, 'merged', 'all')]);
    expect(merged.status, merged.stderr).toBe(0);
    expect(merged.stderr).not.toContain('missing');
    expect(withoutWallTime(readFileSync(join(dir, 'merged', 'all', 'sweep.csv'), 'utf8'))).toBe(
      withoutWallTime(readFileSync(join(dir, 'one', 'sweep.csv'), 'utf8')),
    );
    // The runs a merge lacks are named, from the sweep each part says it is of.
    const partial = sweep(['merge', join(results, parts[0]!), '--out', join(dir, 'merged', 'partial')]);
    expect(partial.status, partial.stderr).toBe(0);
    expect(partial.stderr).toContain(
      'sweep: warning: 5 of 8 runs missing (of parts 1, 2): runs 1, 2, 4, 5, 7 (a part not merged, or interrupted)',
    );
    // A part of another sweep (other turns) is refused, not merged.
    const other = join(dir, 'other');
    const otherPart = sweep([
      ...GRID.map((a) => (a === '400' ? '300' : a)),
      '--parts',
      '3',
      '--part',
      '1',
      '--out',
      other,
    ]);
    expect(otherPart.status, otherPart.stderr).toBe(0);
    const mixed = sweep([
      'merge',
      ...[join(results, parts[0]!), join(other, parts[1]!), join(results, parts[2]!)],
      '--out',
      join(dir, 'merged', 'mixed'),
    ]);
    expect(mixed.status).toBe(2);
    expect(mixed.stderr).toContain(
      `merge: ${join(other, parts[1]!)} is of another sweep than ${join(results, parts[0]!)} (turns 300 against 400)`,
    );
    expect(existsSync(join(dir, 'merged', 'mixed'))).toBe(false);
    // Another --set value alone (the same turns and runs): told apart by the hash.
    const setPart = sweep([
      ...GRID.map((a) => (a === 'companies.count=0,4' ? 'companies.count=0,5' : a)),
      ...['--parts', '3', '--part', '1', '--out', join(dir, 'other-set')],
    ]);
    expect(setPart.status, setPart.stderr).toBe(0);
    const setMixed = sweep([
      'merge',
      join(results, parts[0]!),
      join(dir, 'other-set', parts[1]!),
      '--out',
      join(dir, 'm2'),
    ]);
    expect(setMixed.status).toBe(2);
    expect(setMixed.stderr).toContain('(its scenario text, seeds or --set values)');
    // A merge left incomplete is finished by merging it with the parts it lacked.
    const finished = sweep([
      'merge',
      ...[join(dir, 'merged', 'partial', 'sweep.parquet'), join(results, parts[1]!), join(results, parts[2]!)],
      '--out',
      join(dir, 'merged', 'finished'),
    ]);
    expect(finished.status, finished.stderr).toBe(0);
    expect(finished.stderr).not.toContain('missing');
    expect(withoutWallTime(readFileSync(join(dir, 'merged', 'finished', 'sweep.csv'), 'utf8'))).toBe(
      withoutWallTime(readFileSync(join(dir, 'one', 'sweep.csv'), 'utf8')),
    );
    const refused = sweep(['merge', ...parts.map((p) => join(results, p)), '--out', '/proc/tradesim-merge']);
    expect(refused.status).toBe(2);
    expect(refused.stderr.trim().split('\n')).toEqual([
      expect.stringContaining('--out: cannot write to /proc/tradesim-merge'),
    ]);
  }, 120_000);

  it("docs/experiments.md's DuckDB example reads the Parquet file", () => {
    const readme = readFileSync('docs/experiments.md', 'utf8');
    const example = readFileSync('examples/first-budget-critical.mjs', 'utf8');
    expect(readme).toContain(example.split('\n').slice(2).join('\n').trim());
    const out = execFileSync(
      process.execPath,
      ['examples/first-budget-critical.mjs', join(dir, 'one', 'sweep.parquet')],
      {
        encoding: 'utf8',
      },
    );
    // Four runs ok (companies.count=4); none reaches turn 937 in 400 turns, so none fired.
    expect(out).toMatch(/│ 0\s+│ '4'\s+│ '0'\s+│/);
  });
});
