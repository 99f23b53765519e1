import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Checkpoint, readCheckpoint, writeCheckpoint } from '../../src/cli/checkpoint-file.js';
import { createTurnLoop, loadRunConfig } from '../../src/services/index.js';
import { createSimulation } from '../../src/simulation/index.js';

const dir = mkdtempSync(join(tmpdir(), 'tradesim-checkpoint-'));
const scenarioText = readFileSync('scenarios/crisis.json', 'utf8');

function checkpointAt(turns: number): Checkpoint {
  const config = loadRunConfig(scenarioText);
  const simulation = createSimulation(config.scenario, 7);
  const loop = createTurnLoop({ simulation, config });
  for (let t = 0; t < turns; t++) loop.runTurn();
  return {
    scenario: 'crisis',
    scenarioText,
    seed: 7,
    runId: loop.runId,
    turn: simulation.turn,
    simulation: simulation.state(),
    loop: loop.checkpoint(),
  };
}

describe('checkpoint files', () => {
  const path = join(dir, 'ok.ckpt');
  const written = checkpointAt(20);
  const bytes = writeCheckpoint(path, written);

  it('makes its folder, and the missing ones above it', () => {
    const deep = join(dir, 'made', 'here', 'c.ckpt');
    writeCheckpoint(deep, written);
    expect(readCheckpoint(deep).turn).toBe(20);
  });

  it('read back, hold what was written, under a readable header', () => {
    const file = readFileSync(path);
    expect(file.length).toBe(bytes);
    const [magic, header] = file.subarray(0, 400).toString('latin1').split('\n');
    expect(magic).toBe('TRADESIM-CHECKPOINT 1');
    expect(JSON.parse(header!)).toMatchObject({ version: 1, scenario: 'crisis', seed: 7, turn: 20 });
    const read = readCheckpoint(path);
    expect(read).toMatchObject({ scenario: 'crisis', seed: 7, turn: 20, runId: written.runId, scenarioText });
    expect(Array.from(read.simulation.world.budgetCents)).toEqual(Array.from(written.simulation.world.budgetCents));
  });

  const file = readFileSync(path);
  const headerEnd = file.indexOf(10, file.indexOf(10) + 1) + 1;
  const flipped = Buffer.from(file);
  flipped[headerEnd + 1000] = flipped[headerEnd + 1000]! ^ 0xff;
  // The header line edited (the checksum covers the state only): it no longer says what the state holds.
  const headerSaying = (field: string, value: unknown) => {
    const firstEnd = file.indexOf(10) + 1;
    const header = { ...JSON.parse(file.subarray(firstEnd, headerEnd - 1).toString('utf8')), [field]: value };
    return Buffer.concat([
      file.subarray(0, firstEnd),
      Buffer.from(`${JSON.stringify(header)}\n`),
      file.subarray(headerEnd),
    ]);
  };
  it.each([
    ['missing', null, 'no such file or directory'],
    ['not a checkpoint', Buffer.from('{"v":1}\n'), 'not a TradeSim checkpoint'],
    [
      'of another format version',
      Buffer.concat([Buffer.from('TRADESIM-CHECKPOINT 2'), file.subarray(21)]),
      'format version 2, this TradeSim reads version 1',
    ],
    ['truncated in its header', file.subarray(0, 40), 'truncated (no header)'],
    [
      'truncated in its state',
      file.subarray(0, file.length - 100),
      `truncated (${file.length - 100 - headerEnd} of ${file.length - headerEnd} bytes)`,
    ],
    ['with a byte changed', flipped, 'corrupt (checksum mismatch)'],
    ['with bytes after the state', Buffer.concat([file, Buffer.from('x')]), 'corrupt (bytes after the state)'],
    [
      'whose header names another scenario',
      headerSaying('scenario', 'default'),
      'corrupt (header and state differ: scenario)',
    ],
    ['whose header names another run', headerSaying('runId', 'r2'), 'corrupt (header and state differ: runId)'],
    ['whose header names another turn', headerSaying('turn', 21), 'corrupt (header and state differ: turn)'],
    ['whose header names another version', headerSaying('version', 2), 'corrupt (header and state differ: version)'],
  ])('are refused %s, in one line naming the file', (name, content, message) => {
    const bad = join(dir, `${name.replaceAll(' ', '-')}.ckpt`);
    if (content) writeFileSync(bad, content);
    expect(() => readCheckpoint(bad)).toThrow(`checkpoint ${bad}: ${message}`);
  });

  it('refuses a file of exactly 2 GiB by its size, unread (sparse: no disk used)', () => {
    const big = join(dir, 'two-gib.ckpt');
    writeFileSync(big, file.subarray(0, 64));
    truncateSync(big, 2 * 1024 ** 3);
    try {
      expect(() => readCheckpoint(big)).toThrow(`checkpoint ${big}: larger than 2147483647 bytes`);
    } finally {
      rmSync(big);
    }
  });
});
