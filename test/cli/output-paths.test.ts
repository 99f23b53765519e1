import { linkSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRunFiles, type RunFiles } from '../../src/cli/output-paths.js';

const none: RunFiles = {
  scenarioFile: null,
  jsonl: null,
  events: null,
  checkpoint: null,
  from: null,
  append: false,
  keep: 5,
  maxBytes: 100 * 1024 ** 2,
  resume: false,
};
const refusal = (files: Partial<RunFiles>): string | undefined => {
  try {
    checkRunFiles({ ...none, ...files });
    return undefined;
  } catch (error) {
    expect((error as { code: string }).code).toBe('TRADESIM_ERR_CLI_OUTPUT_REFUSED');
    return (error as Error).message;
  }
};

describe('checkRunFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tradesim-paths-'));
  const ours = join(dir, 'ours.jsonl');
  writeFileSync(ours, '{"v":1,"run":"r","turn":1}\n');
  const checkpoint = join(dir, 'c.ckpt');
  writeFileSync(checkpoint, 'TRADESIM-CHECKPOINT 1\n{}\n');

  it("accepts new paths, TradeSim's own files, an empty file, and a checkpoint written over the one resumed", () => {
    expect(
      refusal({
        jsonl: join(dir, 'new.jsonl'),
        events: join(dir, 'new.events.jsonl'),
        checkpoint: join(dir, 'n.ckpt'),
      }),
    ).toBeUndefined();
    writeFileSync(join(dir, 'empty.jsonl'), '');
    expect(refusal({ jsonl: ours, events: join(dir, 'empty.jsonl'), checkpoint })).toBeUndefined();
    expect(refusal({ checkpoint, from: { flag: '--resume', path: checkpoint } })).toBeUndefined();
    // A folder named as the JSONL file is a failing output, not a refusal.
    expect(refusal({ jsonl: dir })).toBeUndefined();
  });

  it('refuses one file for two uses, by path, by link, and beside another (a lock)', () => {
    expect(refusal({ jsonl: ours, checkpoint: ours })).toContain('--checkpoint: refusing');
    expect(refusal({ jsonl: join(dir, 'a.jsonl'), events: join(dir, 'sub', '..', 'a.jsonl') })).toContain(
      'it is also the JSONL file (--jsonl)',
    );
    symlinkSync(ours, join(dir, 'link.jsonl'));
    expect(refusal({ jsonl: ours, events: join(dir, 'link.jsonl') })).toContain('it is also the JSONL file');
    expect(refusal({ jsonl: ours, checkpoint: `${ours}.lock` })).toContain("the JSONL file's lock");
    // The checkpoint's temporary file is named by the writing process (NAME.tmp-PID): a user's NAME.tmp is another file.
    expect(refusal({ checkpoint, jsonl: `${checkpoint}.tmp` })).toBeUndefined();
    expect(refusal({ scenarioFile: checkpoint, checkpoint })).toContain('it is also the scenario file');
    expect(refusal({ jsonl: checkpoint, from: { flag: '--fork', path: checkpoint } })).toContain('the checkpoint read');
  });

  it("refuses a file named as the JSONL file's or event log's rotated ones: rotation would move it away", () => {
    expect(refusal({ jsonl: join(dir, 'j.jsonl'), checkpoint: join(dir, 'j.jsonl.1') })).toContain(
      "it is one of the JSONL file's rotated names (--jsonl)",
    );
    expect(refusal({ events: join(dir, 'e.jsonl'), scenarioFile: join(dir, 'e.jsonl.12') })).toContain(
      "the event log's rotated names",
    );
    expect(refusal({ jsonl: join(dir, 'j.jsonl'), checkpoint: join(dir, 'j.jsonl.1.ckpt') })).toBeUndefined();
  });

  it('refuses a checkpoint under a file, and takes one in a folder still to be made', () => {
    expect(refusal({ checkpoint: join(ours, 'sub', 'c.ckpt') })).toContain(`${ours} is not a folder`);
    expect(refusal({ checkpoint: join(dir, 'later', 'deeper', 'c.ckpt') })).toBeUndefined();
  });

  it('refuses a device, a folder as checkpoint, a file not made by TradeSim, and a linked file to append to', () => {
    expect(refusal({ checkpoint: '/dev/null' })).toContain('it is a device');
    expect(refusal({ checkpoint: dir })).toContain('it is a folder');
    expect(refusal({ checkpoint: ours })).toContain('is not a TradeSim checkpoint');
    expect(refusal({ events: checkpoint })).toContain('holds no TradeSim lines');
    const linked = join(dir, 'linked.jsonl');
    writeFileSync(linked, '{"v":1,"run":"r","turn":1}\n');
    linkSync(linked, join(dir, 'other-name.jsonl'));
    expect(refusal({ jsonl: linked })).toBeUndefined();
    expect(refusal({ jsonl: linked, append: true })).toContain('it has 2 names (hard links)');
  });

  it('refuses a symbolic link as an output, whatever it points to: moving it aside would rename the link', () => {
    const empty = join(dir, 'user-empty.txt');
    writeFileSync(empty, '');
    symlinkSync(empty, join(dir, 'to-empty.jsonl'));
    symlinkSync(ours, join(dir, 'to-ours.jsonl'));
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling.ckpt'));
    expect(refusal({ jsonl: join(dir, 'to-empty.jsonl') })).toContain(
      `it is a symbolic link (to ${empty}): name the file itself`,
    );
    expect(refusal({ events: join(dir, 'to-ours.jsonl'), append: true })).toContain('it is a symbolic link');
    expect(refusal({ checkpoint: join(dir, 'dangling.ckpt') })).toContain('it is a symbolic link');
    expect(refusal({ jsonl: '/dev/stdout' })).toContain('it is a symbolic link');
  });

  it("refuses a log whose rotated files, NAME.1 on, are not TradeSim's: moving it aside would move or delete them", () => {
    const sub = join(dir, 'rotated');
    mkdirSync(sub);
    const log = join(sub, 'm.jsonl');
    writeFileSync(log, '{"v":1,"run":"r","turn":1}\n');
    writeFileSync(`${log}.1`, '{"v":1,"run":"q","turn":1}\n');
    writeFileSync(`${log}.2`, '');
    expect(refusal({ jsonl: log })).toBeUndefined();
    writeFileSync(`${log}.3`, 'my precious notes\n');
    expect(refusal({ jsonl: log })).toContain(`${log}.3 is not a file of TradeSim's`);
    expect(refusal({ events: log, append: true })).toContain(`${log}.3 is not a file of TradeSim's`);
    // Past --jsonl-keep (here 2) moving aside stops: the third is not touched.
    expect(refusal({ jsonl: log, keep: 2 })).toBeUndefined();
    // With keep 0 a file of another run is still kept as NAME.1: that one must be TradeSim's.
    writeFileSync(`${log}.1`, 'notes\n');
    expect(refusal({ jsonl: log, keep: 0 })).toContain(`${log}.1 is not a file of TradeSim's`);
    // A gap ends the rotated files: NAME.5 is never reached when NAME.4 is missing.
    writeFileSync(`${log}.1`, '{"v":1,"run":"q","turn":1}\n');
    writeFileSync(`${log}.3`, '');
    writeFileSync(`${log}.5`, 'notes\n');
    expect(refusal({ jsonl: log })).toBeUndefined();
    mkdirSync(`${log}.4`);
    expect(refusal({ jsonl: log })).toContain(`${log}.4 is not a file of TradeSim's`);
    // Appending, a log that never rotates, or rotates keeping nothing, never moves NAME.1 on: nothing refused.
    expect(refusal({ jsonl: log, append: true, maxBytes: 0 })).toBeUndefined();
    expect(refusal({ jsonl: log, append: true, keep: 0 })).toBeUndefined();
    // A resumed run moves another run's log aside: refused whatever it appends.
    expect(refusal({ jsonl: log, append: true, maxBytes: 0, resume: true })).toContain(`${log}.4`);
  });
});
