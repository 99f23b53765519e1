import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The header a script sends the control token in. */
export const CONTROL_TOKEN_HEADER = 'x-tradesim-token';
/** The cookie a browser holds it in, set by opening `/?token=TOKEN` once. */
export const CONTROL_TOKEN_COOKIE = 'tradesim_control';

const digest = (text: string) => createHash('sha256').update(text).digest();
/** Compares in constant time (both hashed first, so their lengths match). */
const sameToken = (given: string, token: string) => timingSafeEqual(digest(given), digest(token));

/** The cookie's token; undefined without one, or with one that is not percent-encoded text (never ours). */
const cookieOf = (request: FastifyRequest): string | undefined => {
  for (const pair of (request.headers.cookie ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === CONTROL_TOKEN_COOKIE) {
      try {
        return decodeURIComponent(pair.slice(at + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
};

/**
 * Does a control request carry the token (its header, or the browser's cookie)? A page served
 * under another name (a DNS-rebound one) has neither: a browser sends a cookie to the name
 * that set it only, and the page cannot know the token.
 */
export function hasControlToken(request: FastifyRequest, token: string): boolean {
  const header = request.headers[CONTROL_TOKEN_HEADER];
  const given = typeof header === 'string' ? header : cookieOf(request);
  return given !== undefined && sameToken(given, token);
}

/**
 * On `GET /?token=TOKEN` with the right token: sets the cookie the page's controls then carry
 * (HttpOnly, SameSite=Strict, sent to every /api route; the control, shock and fault routes
 * read it) and answers true, so the caller redirects to `/` (the link's other parameters
 * kept) and the token leaves the address bar.
 */
export function acceptTokenFromUrl(request: FastifyRequest, reply: FastifyReply, token: string): boolean {
  const given = (request.query as Record<string, unknown>).token;
  if (typeof given !== 'string' || !sameToken(given, token)) return false;
  reply.header(
    'set-cookie',
    `${CONTROL_TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/api; HttpOnly; SameSite=Strict`,
  );
  return true;
}
