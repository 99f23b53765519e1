import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/cli/args.js';
import type { TradeSimError } from '../../src/simulation/index.js';

const fails = (argv: string[], env: Record<string, string> = {}) => {
  try {
    parseCliArgs(argv, env);
  } catch (error) {
    expect((error as TradeSimError).code).toBe('TRADESIM_ERR_CLI_FLAG_INVALID');
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('parseCliArgs', () => {
  it('takes a stall with --no-server when the run pushes: the Pushgateway sees it stall', () => {
    const argv = ['--no-server', '--pushgateway', 'http://127.0.0.1:9091', '--fault', 'type=stall'];
    expect(parseCliArgs(argv, {}).faults).toEqual([{ type: 'stall' }]);
  });

  it('has the documented defaults', () => {
    expect(parseCliArgs([])).toEqual({
      scenario: 'default',
      seed: null,
      turns: null,
      intervalMs: 500,
      host: '127.0.0.1',
      port: 8000,
      server: true,
      jsonl: 'logs/metrics.jsonl',
      jsonlEvery: 1,
      jsonlMaxBytes: 104_857_600,
      jsonlKeep: 5,
      jsonlAppend: false,
      events: 'logs/events.jsonl',
      maxSeries: 50,
      lingerSeconds: 0,
      alertHoldSeconds: 15,
      pushgateway: null,
      pushEverySeconds: 10,
      pushDelete: false,
      controlToken: null,
      allowControl: false,
      checkpoint: null,
      checkpointEvery: 0,
      resume: null,
      fork: null,
      scenarioGiven: false,
      quiet: false,
      help: false,
      shocks: [],
      faults: [],
      replayShocks: null,
    });
  });

  it("holds a pushed run's firings a push interval longer unless --alert-hold is given", () => {
    const push = ['--pushgateway', 'http://127.0.0.1:9091'];
    expect(parseCliArgs(push).alertHoldSeconds).toBe(20);
    expect(parseCliArgs([...push, '--push-every', '30']).alertHoldSeconds).toBe(40);
    expect(parseCliArgs([...push, '--push-every', '1']).alertHoldSeconds).toBe(11);
    expect(parseCliArgs([...push, '--push-every', '86400']).alertHoldSeconds).toBe(86_400);
    expect(parseCliArgs([...push, '--alert-hold', '3']).alertHoldSeconds).toBe(3);
    expect(parseCliArgs(['--alert-hold', '3']).alertHoldSeconds).toBe(3);
  });

  it('reads every flag', () => {
    const o = parseCliArgs([
      '--scenario',
      'crisis',
      '--seed',
      '42',
      '--turns',
      '10',
      '--interval',
      '0',
      '--host',
      '0.0.0.0',
      '--port',
      '9100',
      '--jsonl',
      '/tmp/x.jsonl',
      '--jsonl-every',
      '5',
      '--jsonl-max-bytes',
      '0',
      '--jsonl-keep',
      '2',
      '--max-series',
      '10',
      '--linger',
      '30',
      '--alert-hold',
      '5',
      '--jsonl-append',
      '--quiet',
    ]);
    expect(o).toMatchObject({
      scenario: 'crisis',
      seed: 42,
      turns: 10,
      intervalMs: 0,
      host: '0.0.0.0',
      port: 9100,
      jsonl: '/tmp/x.jsonl',
      jsonlEvery: 5,
      jsonlMaxBytes: 0,
      jsonlKeep: 2,
      maxSeries: 10,
      lingerSeconds: 30,
      alertHoldSeconds: 5,
      jsonlAppend: true,
      quiet: true,
      server: true,
    });
    expect(parseCliArgs(['--no-server']).server).toBe(false);
    expect(parseCliArgs(['--no-jsonl']).jsonl).toBeNull();
    expect(parseCliArgs(['-h']).help).toBe(true);
    // --help is answered whatever else is given.
    expect(parseCliArgs(['--seed', '1', '--seed', '2', '-h', '--help']).help).toBe(true);
  });

  it('appends to the files of the run it resumes unless told not to; a new run or a fork moves them aside', () => {
    expect(parseCliArgs(['--resume', 'c.ckpt']).jsonlAppend).toBe(true);
    expect(parseCliArgs(['--resume', 'c.ckpt', '--no-jsonl-append']).jsonlAppend).toBe(false);
    expect(parseCliArgs(['--fork', 'c.ckpt', '--seed', '2']).jsonlAppend).toBe(false);
    expect(parseCliArgs([]).jsonlAppend).toBe(false);
    expect(parseCliArgs(['--jsonl-append']).jsonlAppend).toBe(true);
  });

  it('takes host and port from the environment, flags first', () => {
    expect(parseCliArgs([], { TRADESIM_HOST: '::1', TRADESIM_PORT: '9000' })).toMatchObject({
      host: '::1',
      port: 9000,
    });
    expect(parseCliArgs(['--port', '9001'], { TRADESIM_PORT: '9000' }).port).toBe(9001);
    // The JSONL path too (the container image's /data): the flag wins, --no-jsonl wins over both.
    expect(parseCliArgs([], { TRADESIM_JSONL: '/data/m.jsonl' }).jsonl).toBe('/data/m.jsonl');
    expect(parseCliArgs(['--jsonl', 'a.jsonl'], { TRADESIM_JSONL: '/data/m.jsonl' }).jsonl).toBe('a.jsonl');
    expect(parseCliArgs(['--no-jsonl'], { TRADESIM_JSONL: '/data/m.jsonl' }).jsonl).toBeNull();
  });

  it('takes the flags that add up (--shock, --fault) as often as given', () => {
    const shock = 'type=credit_freeze,at=+50,turns=100';
    expect(parseCliArgs(['--shock', shock, '--shock', shock.replace('+50', '+200')]).shocks).toHaveLength(2);
  });

  it.each([
    [['--seed', 'abc'], "--seed: must be an integer from 0 to 9007199254740991, got 'abc'"],
    [['--seed', '-1'], '--seed'],
    [['--turns', '0'], '--turns: must be an integer from 1'],
    [['--interval', '1.5'], '--interval'],
    [['--port', '70000'], "--port: must be an integer from 0 to 65535, got '70000'"],
    [['--max-series', '1'], '--max-series'],
    [['--jsonl-every', '0'], '--jsonl-every'],
    [['--scenario', ''], '--scenario: must not be empty'],
    [['--jsonl', 'a.jsonl', '--no-jsonl'], '--jsonl: cannot be used with --no-jsonl'],
    // A flag for an output switched off would do nothing.
    [['--no-server', '--port', '9999'], '--port: does nothing with --no-server'],
    [['--no-server', '--linger', '100'], '--linger: does nothing with --no-server'],
    [['--no-server', '--allow-control'], '--allow-control: does nothing with --no-server'],
    [['--no-jsonl', '--jsonl-keep', '3'], '--jsonl-keep: does nothing with --no-jsonl'],
    [['--no-jsonl', '--jsonl-append'], '--jsonl-append: does nothing with --no-jsonl'],
    [['--no-server', '--fault', 'type=latency,ms=600'], '--fault type=latency: does nothing with --no-server'],
    [['--no-server', '--fault', 'type=stall'], '--fault type=stall: with --no-server and no --pushgateway, nothing'],
    // A flag given twice would have its first value dropped without a word.
    [['--seed', '1', '--seed', '2'], '--seed: given more than once; give it once'],
    [['--scenario=classic', '--scenario', 'crisis'], '--scenario: given more than once'],
    [['--no-server', '--no-server'], '--no-server: given more than once'],
    [['--pushgateway', 'gw:9091'], "--pushgateway: must be an http:// or https:// URL, got 'gw:9091'"],
    [['--pushgateway', 'ftp://gw'], '--pushgateway: must be an http://'],
    [['--pushgateway', 'http://gw:9091/?x=1'], '--pushgateway: must be an http://'],
    [['--pushgateway', ''], '--pushgateway: must not be empty'],
    [['--push-every', '5'], '--push-every: needs --pushgateway'],
    [['--pushgateway', 'http://gw', '--push-every', '0'], '--push-every: must be an integer from 1'],
    [['--alert-hold', '0'], '--alert-hold: must be an integer from 1'],
    [['--resume', 'a', '--fork', 'b', '--seed', '1'], '--resume: cannot be used with --fork'],
    [['--resume', 'a', '--seed', '1'], '--seed: a resumed run keeps its seed'],
    [['--resume', 'a', '--scenario', 'crisis'], '--scenario: a resumed run keeps its scenario'],
    [['--fork', 'a'], '--fork: needs --seed S (a new random stream) or --scenario'],
    [['--checkpoint-every', '5'], '--checkpoint-every: needs --checkpoint PATH'],
    [['--checkpoint', ''], '--checkpoint: must not be empty'],
    [['--push-delete'], '--push-delete: needs --pushgateway'],
    [['--jsonl-append', '--no-jsonl-append'], '--jsonl-append: cannot be used with --no-jsonl-append'],
    [['--jsonl-keep', '101'], '--jsonl-keep: must be an integer from 0 to 100'],
    // A token no client could send in its header, and not echoed: it is a secret.
    [['--control-token', 'ü;x'], '--control-token: must be printable ASCII with no spaces (it is sent in a header)'],
    [['--control-token', 'a b'], '--control-token: must be printable ASCII'],
    [['--control-token', 'a\nb'], '--control-token: must be printable ASCII'],
    [
      ['--control-token', 'a'.repeat(1025)],
      '--control-token: at most 1024 characters (it is sent in a header), got 1025',
    ],
    [['--bogus'], "Unknown option '--bogus'"],
    [['stray'], 'stray'],
  ])('refuses %j, naming the flag', (argv, message) => {
    expect(fails(argv)).toContain(message);
  });

  it('takes a Pushgateway URL and the seconds between pushes', () => {
    expect(parseCliArgs(['--pushgateway', 'http://127.0.0.1:9091', '--push-every', '30'], {})).toMatchObject({
      pushgateway: 'http://127.0.0.1:9091',
      pushEverySeconds: 30,
    });
    expect(parseCliArgs(['--pushgateway', 'http://127.0.0.1:9091', '--push-delete'], {}).pushDelete).toBe(true);
  });

  it('names a bad environment variable', () => {
    expect(fails([], { TRADESIM_PORT: 'http' })).toContain('TRADESIM_PORT');
    expect(fails([], { TRADESIM_HOST: ' ' })).toContain('TRADESIM_HOST');
    expect(fails([], { TRADESIM_CONTROL_TOKEN: 'tök' })).toContain('TRADESIM_CONTROL_TOKEN: must be printable ASCII');
    expect(fails([], { TRADESIM_CONTROL_TOKEN: 'tök' })).not.toContain('tök');
    expect(parseCliArgs(['--no-server'], { TRADESIM_CONTROL_TOKEN: 'tök' }).controlToken).toBeNull();
    expect(parseCliArgs(['--control-token', 's3cr3t-._~!$'], {}).controlToken).toBe('s3cr3t-._~!$');
    // With no server they are not used, so not read: a container's variables with --no-server run.
    expect(parseCliArgs(['--no-server'], { TRADESIM_PORT: 'http', TRADESIM_HOST: ' ' }).server).toBe(false);
  });
});

describe('the event log path', () => {
  it('sits beside the JSONL file, named after it, and is off with the JSONL unless given', () => {
    expect(parseCliArgs(['--jsonl', '/tmp/a/metrics.jsonl'], {}).events).toBe('/tmp/a/events.jsonl');
    expect(parseCliArgs(['--jsonl', 'out/run7.jsonl'], {}).events).toBe('out/run7.events.jsonl');
    expect(parseCliArgs(['--jsonl', 'out/run7'], {}).events).toBe('out/run7.events');
    expect(parseCliArgs(['--no-jsonl'], {}).events).toBeNull();
    expect(parseCliArgs(['--no-jsonl', '--events', 'e.jsonl'], {}).events).toBe('e.jsonl');
    expect(parseCliArgs(['--no-events'], {}).events).toBeNull();
    expect(() => parseCliArgs(['--events', 'e.jsonl', '--no-events'], {})).toThrow(/cannot be used with --no-events/);
  });
});
