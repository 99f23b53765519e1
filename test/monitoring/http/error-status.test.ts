import { describe, expect, it } from 'vitest';
import { errorStatus } from '../../../src/monitoring/http/error-status.js';
import { CliErrors } from '../../../src/cli/errors.js';
import { MonitoringErrors } from '../../../src/monitoring/index.js';
import { ServicesErrors } from '../../../src/services/index.js';
import { SimulationErrors, TradeSimError } from '../../../src/simulation/index.js';

const statusesOf = (catalogue: Readonly<Record<string, { readonly code: string }>>) =>
  Object.fromEntries(Object.entries(catalogue).map(([key, E]) => [key, errorStatus(E)]));

describe('HTTP status by error code', () => {
  it('answers a bad scenario or seed with 400, a half-played turn with 409, a broken RNG with 500', () => {
    expect(statusesOf(SimulationErrors)).toEqual({
      TRADESIM_ERR_SCENARIO_INVALID: 400,
      TRADESIM_ERR_SEED_INVALID: 400,
      TRADESIM_ERR_RNG_STATE_INVALID: 500,
      TRADESIM_ERR_CHECKPOINT_MISMATCH: 400,
      TRADESIM_ERR_RNG_RANGE_INVALID: 500,
      TRADESIM_ERR_TURN_IN_PROGRESS: 409,
    });
  });

  it('answers a bad query with a 4xx status and a broken invariant with 500', () => {
    expect(statusesOf(ServicesErrors)).toEqual({
      TRADESIM_ERR_CONFIG_INVALID: 400,
      TRADESIM_ERR_HISTORY_CAPACITY_INVALID: 500,
      TRADESIM_ERR_FIGURE_UNKNOWN: 400,
      TRADESIM_ERR_FIGURE_NOT_KEPT: 400,
      TRADESIM_ERR_WINDOW_INVALID: 400,
      TRADESIM_ERR_SORT_UNKNOWN: 400,
      TRADESIM_ERR_PAGE_INVALID: 400,
      TRADESIM_ERR_INTERVAL_INVALID: 400,
      TRADESIM_ERR_LOOP_ALREADY_RUNNING: 409,
      TRADESIM_ERR_LOOP_STOPPED: 409,
      TRADESIM_ERR_SHOCK_INVALID: 400,
      TRADESIM_ERR_SHOCK_NOT_IN_FORCE: 409,
      TRADESIM_ERR_SHOCK_LIMIT: 409,
    });
  });

  it('gives each exporter error its own status', () => {
    expect(statusesOf(MonitoringErrors)).toEqual({
      TRADESIM_ERR_HTTP_BAD_REQUEST: 400,
      TRADESIM_ERR_HTTP_NOT_FOUND: 404,
      TRADESIM_ERR_HTTP_METHOD_NOT_ALLOWED: 405,
      TRADESIM_ERR_HTTP_NO_TURN_YET: 503,
      TRADESIM_ERR_HTTP_BODY_TOO_LARGE: 413,
      TRADESIM_ERR_HTTP_MEDIA_TYPE_UNSUPPORTED: 415,
      TRADESIM_ERR_HTTP_PRECONDITION_FAILED: 412,
      TRADESIM_ERR_HTTP_RANGE_NOT_SATISFIABLE: 416,
      TRADESIM_ERR_HTTP_CONTROL_DISABLED: 403,
      TRADESIM_ERR_HTTP_CROSS_SITE: 403,
      TRADESIM_ERR_HTTP_CONTROL_TOKEN: 401,
      TRADESIM_ERR_HTTP_CONTROL_CONFLICT: 409,
      TRADESIM_ERR_HTTP_PAGE_MISSING: 500,
      TRADESIM_ERR_HTTP_INTERNAL: 500,
      TRADESIM_ERR_HTTP_HEADERS_TOO_LARGE: 431,
      TRADESIM_ERR_HTTP_REQUEST_TIMEOUT: 408,
      TRADESIM_ERR_HTTP_EXPECTATION_FAILED: 417,
      TRADESIM_ERR_HTTP_TOO_MANY_PIPELINED: 429,
      TRADESIM_ERR_HTTP_FAULT_INJECTED: 500,
      TRADESIM_ERR_JSONL_LINE_SHAPE: 500,
      TRADESIM_ERR_JSONL_NOT_REGULAR: 500,
      TRADESIM_ERR_JSONL_CLOSE: 500,
      TRADESIM_ERR_JSONL_LOCK_HELD: 500,
    });
    expect(errorStatus(new MonitoringErrors.TRADESIM_ERR_HTTP_NO_TURN_YET())).toBe(503);
  });

  it('answers a code no HTTP catalogue holds (the CLI exits instead) with the default 500', () => {
    for (const status of Object.values(statusesOf(CliErrors))) expect(status).toBe(500);
    expect(errorStatus(new TradeSimError('TRADESIM_ERR_SOMETHING_NEW', 'x'))).toBe(500);
    expect(errorStatus({ code: 'toString' })).toBe(500);
  });
});
