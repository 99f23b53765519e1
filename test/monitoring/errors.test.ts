import { describe, expect, it } from 'vitest';
import { MonitoringErrors } from '../../src/monitoring/index.js';

describe('monitoring error catalogue', () => {
  it('keys every error by its own code and pins the list', () => {
    for (const [key, ErrorClass] of Object.entries(MonitoringErrors)) expect(ErrorClass.code).toBe(key);
    expect(Object.keys(MonitoringErrors).sort()).toEqual([
      'TRADESIM_ERR_HTTP_BAD_REQUEST',
      'TRADESIM_ERR_HTTP_BODY_TOO_LARGE',
      'TRADESIM_ERR_HTTP_CONTROL_CONFLICT',
      'TRADESIM_ERR_HTTP_CONTROL_DISABLED',
      'TRADESIM_ERR_HTTP_CONTROL_TOKEN',
      'TRADESIM_ERR_HTTP_CROSS_SITE',
      'TRADESIM_ERR_HTTP_EXPECTATION_FAILED',
      'TRADESIM_ERR_HTTP_FAULT_INJECTED',
      'TRADESIM_ERR_HTTP_HEADERS_TOO_LARGE',
      'TRADESIM_ERR_HTTP_INTERNAL',
      'TRADESIM_ERR_HTTP_MEDIA_TYPE_UNSUPPORTED',
      'TRADESIM_ERR_HTTP_METHOD_NOT_ALLOWED',
      'TRADESIM_ERR_HTTP_NOT_FOUND',
      'TRADESIM_ERR_HTTP_NO_TURN_YET',
      'TRADESIM_ERR_HTTP_PAGE_MISSING',
      'TRADESIM_ERR_HTTP_PRECONDITION_FAILED',
      'TRADESIM_ERR_HTTP_RANGE_NOT_SATISFIABLE',
      'TRADESIM_ERR_HTTP_REQUEST_TIMEOUT',
      'TRADESIM_ERR_HTTP_TOO_MANY_PIPELINED',
      'TRADESIM_ERR_JSONL_CLOSE',
      'TRADESIM_ERR_JSONL_LINE_SHAPE',
      'TRADESIM_ERR_JSONL_LOCK_HELD',
      'TRADESIM_ERR_JSONL_NOT_REGULAR',
    ]);
  });
});
