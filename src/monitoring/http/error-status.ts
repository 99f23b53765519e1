import { ServicesErrors } from '../../services/index.js';
import { SimulationErrors, type TradeSimError } from '../../simulation/index.js';
import { MonitoringErrors } from '../errors.js';

/** A code of an error an HTTP answer can be about: the simulation's, the services' or the exporter's. */
type AnsweredCode = keyof typeof SimulationErrors | keyof typeof ServicesErrors | keyof typeof MonitoringErrors;

/**
 * Errors carry a code only; the exporter chooses the status each code answers with. Typed
 * over every catalogue an answer can come from, so a new code without a status fails tsc.
 */
const STATUS_BY_CODE: Readonly<Record<AnsweredCode, number>> = {
  // --- the simulation: a bad scenario, seed or checkpoint is the client's; a broken RNG is ours ---
  TRADESIM_ERR_SCENARIO_INVALID: 400,
  TRADESIM_ERR_SEED_INVALID: 400,
  TRADESIM_ERR_RNG_STATE_INVALID: 500,
  TRADESIM_ERR_CHECKPOINT_MISMATCH: 400,
  TRADESIM_ERR_RNG_RANGE_INVALID: 500,
  TRADESIM_ERR_TURN_IN_PROGRESS: 409,

  // --- the services: a bad query is 400, a loop or shock in the wrong state 409 ---
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

  // --- the exporter ---
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
  TRADESIM_ERR_HTTP_INTERNAL: 500,
  TRADESIM_ERR_HTTP_PAGE_MISSING: 500,
  TRADESIM_ERR_HTTP_HEADERS_TOO_LARGE: 431,
  TRADESIM_ERR_HTTP_REQUEST_TIMEOUT: 408,
  TRADESIM_ERR_HTTP_EXPECTATION_FAILED: 417,
  TRADESIM_ERR_HTTP_TOO_MANY_PIPELINED: 429,
  TRADESIM_ERR_HTTP_FAULT_INJECTED: 500,
  TRADESIM_ERR_JSONL_LINE_SHAPE: 500,
  TRADESIM_ERR_JSONL_NOT_REGULAR: 500,
  TRADESIM_ERR_JSONL_CLOSE: 500,
  TRADESIM_ERR_JSONL_LOCK_HELD: 500,
};

/** The status of an answer about a code no catalogue above holds (the CLI's, say): 500. */
export const DEFAULT_ERROR_STATUS = 500;

/** The HTTP status an answer about `error` carries: its code's, or 500. */
export function errorStatus(error: Pick<TradeSimError, 'code'>): number {
  return Object.hasOwn(STATUS_BY_CODE, error.code) ? STATUS_BY_CODE[error.code as AnsweredCode] : DEFAULT_ERROR_STATUS;
}
