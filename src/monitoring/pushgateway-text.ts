/** The family the final push sets to 0: a finished batch has nothing firing. */
export const FIRING_FAMILY = 'tradesim_alert_firing';

/** How much of a Pushgateway's error answer is read (bytes): enough for its message, never a flood. */
export const ANSWER_READ_BYTES = 1024;

/**
 * The exposition with every `tradesim_alert_firing` sample at 0. The business rules forward a
 * firing whose last stored value is 1: pushed as the last state of a finished run, a 1 would
 * fire forever on the Pushgateway's copy, and a series left out would be taken for a failed
 * scrape (its last 1 kept for the rules' lookback). A 0 says it is over.
 */
export function firingsSettled(exposition: string): string {
  const sample = new RegExp(`^(${FIRING_FAMILY}(?:\\{[^}]*\\})?) \\S+$`, 'gm');
  return exposition.replace(sample, '$1 0');
}

/** `text` on one line, every control character written as an escape (`\n`, `\u001b`): safe on a terminal. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.trim().replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    if (c === '\r') return '\\r';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/**
 * The start of an answer's body: at most `limit` bytes are read, the rest is cancelled unread
 * (a huge error page costs one chunk of memory, not its size), as one escaped line.
 */
export async function answerStart(res: Response, limit = ANSWER_READ_BYTES): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const bytes = Buffer.concat(chunks).subarray(0, limit);
  const text = oneLine(new TextDecoder().decode(bytes));
  return size > limit ? `${text}...` : text;
}
