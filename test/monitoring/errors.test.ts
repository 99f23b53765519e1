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
      'TRADESIM_ERR_HTTP_FAULT_INJECTED',
      'TRADESIM_ERR_HTTP_INTERNAL',
      'TRADESIM_ERR_HTTP_MEDIA_TYPE_UNSUPPORTED',
      'TRADESIM_ERR_HTTP_METHOD_NOT_ALLOWED',
      'TRADESIM_ERR_HTTP_NOT_FOUND',
      'TRADESIM_ERR_HTTP_NO_TURN_YET',
      'TRADESIM_ERR_HTTP_PAGE_MISSING',
      'TRADESIM_ERR_JSONL_LINE_SHAPE',
    ]);
  });

  it('carries the HTTP status of each error, on the class and on its instances', () => {
    const statuses = Object.fromEntries(Object.entries(MonitoringErrors).map(([key, E]) => [key, E.statusCode]));
    expect(statuses).toEqual({
      TRADESIM_ERR_HTTP_BAD_REQUEST: 400,
      TRADESIM_ERR_HTTP_NOT_FOUND: 404,
      TRADESIM_ERR_HTTP_METHOD_NOT_ALLOWED: 405,
      TRADESIM_ERR_HTTP_NO_TURN_YET: 503,
      TRADESIM_ERR_HTTP_BODY_TOO_LARGE: 413,
      TRADESIM_ERR_HTTP_MEDIA_TYPE_UNSUPPORTED: 415,
      TRADESIM_ERR_HTTP_CONTROL_DISABLED: 403,
      TRADESIM_ERR_HTTP_CROSS_SITE: 403,
      TRADESIM_ERR_HTTP_CONTROL_TOKEN: 401,
      TRADESIM_ERR_HTTP_CONTROL_CONFLICT: 409,
      TRADESIM_ERR_HTTP_PAGE_MISSING: 500,
      TRADESIM_ERR_HTTP_INTERNAL: 500,
      TRADESIM_ERR_HTTP_FAULT_INJECTED: 500,
      TRADESIM_ERR_JSONL_LINE_SHAPE: 500,
    });
    expect(new MonitoringErrors.TRADESIM_ERR_HTTP_NO_TURN_YET().statusCode).toBe(503);
  });
});
