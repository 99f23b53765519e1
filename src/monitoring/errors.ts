import { defineError } from '../simulation/index.js';

/** The monitoring layer's error catalogue (codes `TRADESIM_ERR_<AREA>_<PROBLEM>`). */
export const MonitoringErrors = {
  // --- HTTP ---
  TRADESIM_ERR_HTTP_BAD_REQUEST: defineError('TRADESIM_ERR_HTTP_BAD_REQUEST', (problem: string) => ({
    message: problem,
  })),
  TRADESIM_ERR_HTTP_NOT_FOUND: defineError('TRADESIM_ERR_HTTP_NOT_FOUND', (method: string, path: string) => ({
    message: `no route for ${method} ${path}`,
  })),
  TRADESIM_ERR_HTTP_METHOD_NOT_ALLOWED: defineError(
    'TRADESIM_ERR_HTTP_METHOD_NOT_ALLOWED',
    (method: string, path: string, allowed: readonly string[]) => ({
      message: `${method} is not allowed on ${path}; use ${allowed.join(' or ')}`,
    }),
  ),
  TRADESIM_ERR_HTTP_NO_TURN_YET: defineError('TRADESIM_ERR_HTTP_NO_TURN_YET', () => ({
    message: 'no turn has been played yet',
  })),
  TRADESIM_ERR_HTTP_BODY_TOO_LARGE: defineError('TRADESIM_ERR_HTTP_BODY_TOO_LARGE', (limit: number) => ({
    message: `request body larger than ${limit} bytes`,
  })),
  TRADESIM_ERR_HTTP_MEDIA_TYPE_UNSUPPORTED: defineError('TRADESIM_ERR_HTTP_MEDIA_TYPE_UNSUPPORTED', (type: string) => ({
    message: `unsupported request body type '${type}'`,
  })),
  TRADESIM_ERR_HTTP_PRECONDITION_FAILED: defineError('TRADESIM_ERR_HTTP_PRECONDITION_FAILED', () => ({
    message: "the file does not match the request's If-Match or If-Unmodified-Since",
  })),
  TRADESIM_ERR_HTTP_RANGE_NOT_SATISFIABLE: defineError('TRADESIM_ERR_HTTP_RANGE_NOT_SATISFIABLE', (range: string) => ({
    message: `the range '${range}' is not within the file`,
  })),
  TRADESIM_ERR_HTTP_CONTROL_DISABLED: defineError('TRADESIM_ERR_HTTP_CONTROL_DISABLED', () => ({
    message: 'controls are off: the server is not bound to loopback and was not started with --allow-control',
  })),
  TRADESIM_ERR_HTTP_CROSS_SITE: defineError('TRADESIM_ERR_HTTP_CROSS_SITE', (why: string) => ({
    message: `refused: ${why}`,
  })),
  TRADESIM_ERR_HTTP_CONTROL_TOKEN: defineError('TRADESIM_ERR_HTTP_CONTROL_TOKEN', () => ({
    message:
      'the control token is missing or wrong: send it in the X-TradeSim-Token header, or open /?token=TOKEN once in the browser',
  })),
  TRADESIM_ERR_HTTP_CONTROL_CONFLICT: defineError(
    'TRADESIM_ERR_HTTP_CONTROL_CONFLICT',
    (action: string, state: string) => ({
      // 'interval' is the one action not a verb.
      message: `cannot ${action === 'interval' ? 'change the interval of' : action} a run that is ${state}`,
    }),
  ),
  TRADESIM_ERR_HTTP_INTERNAL: defineError('TRADESIM_ERR_HTTP_INTERNAL', (reason: string) => ({
    message: `internal error: ${reason}`,
  })),
  TRADESIM_ERR_HTTP_PAGE_MISSING: defineError('TRADESIM_ERR_HTTP_PAGE_MISSING', (from: string) => ({
    message: `the live page's files were not found: no tradesim package.json above ${from}`,
  })),
  TRADESIM_ERR_HTTP_HEADERS_TOO_LARGE: defineError('TRADESIM_ERR_HTTP_HEADERS_TOO_LARGE', () => ({
    message: 'the request cannot be read: headers over 16 KiB (the URL with them)',
  })),
  TRADESIM_ERR_HTTP_REQUEST_TIMEOUT: defineError('TRADESIM_ERR_HTTP_REQUEST_TIMEOUT', () => ({
    message: 'the request cannot be read: it took too long to arrive',
  })),
  TRADESIM_ERR_HTTP_EXPECTATION_FAILED: defineError('TRADESIM_ERR_HTTP_EXPECTATION_FAILED', (expect: string) => ({
    message: `the Expect header ${JSON.stringify(expect)} cannot be met: this server meets only 100-continue`,
  })),
  TRADESIM_ERR_HTTP_TOO_MANY_PIPELINED: defineError('TRADESIM_ERR_HTTP_TOO_MANY_PIPELINED', (limit: number) => ({
    message: `more than ${limit} requests in progress on one connection (pipelined): send the next once one is answered`,
  })),
  TRADESIM_ERR_HTTP_FAULT_INJECTED: defineError('TRADESIM_ERR_HTTP_FAULT_INJECTED', (path: string) => ({
    message: `an injected fault: ${path} answers a share of requests with an error (POST /api/faults to stop it)`,
  })),
  // --- JSONL ---
  TRADESIM_ERR_JSONL_LINE_SHAPE: defineError('TRADESIM_ERR_JSONL_LINE_SHAPE', (figure: string) => ({
    message: `JSONL line: ${figure} is neither a number, a string, a record nor a list the line shape declares`,
  })),
  TRADESIM_ERR_JSONL_NOT_REGULAR: defineError('TRADESIM_ERR_JSONL_NOT_REGULAR', (path: string) => ({
    message: `${path} is not a regular file`,
  })),
  TRADESIM_ERR_JSONL_CLOSE: defineError('TRADESIM_ERR_JSONL_CLOSE', (problems: readonly string[]) => ({
    message: problems.join('; '),
  })),
  TRADESIM_ERR_JSONL_LOCK_HELD: defineError('TRADESIM_ERR_JSONL_LOCK_HELD', (holder: string) => ({
    message: `another live run holds the file's lock (${holder})`,
  })),
} as const;
