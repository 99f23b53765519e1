import type { LiveUpdate } from './live-update.js';

/** The part of a response stream the feed writes to. */
export interface SseStream {
  readonly writableLength: number;
  readonly destroyed: boolean;
  write(chunk: string): boolean;
  /** Ends the stream whole (the chunked body's last chunk), when the server closes. */
  end(): unknown;
}

/** SSE events are at least this far apart (at most 10 a second when flat out). */
export const SSE_MIN_GAP_MS = 100;
/** A stream with this much unsent is skipped until it drains (a reader that does not read). */
export const SSE_BACKLOG_BYTES = 64 * 1024;
/** Without a turn, the header is sent again this often (state changes, keep-alive). */
const SSE_TICK_MS = 1_000;
const SSE_KEEPALIVE_MS = 15_000;

/** What a stream's reader has seen. */
interface Seen {
  markerSeen: number;
  transitionSeen: number;
  turnSeen: number;
}

/** What the streams send: the update for a position, and where the run is now. */
export interface StreamSource {
  update(markerSeen: number, transitionSeen: number, turnSeen: number): LiveUpdate;
  /** The newest turn, and the id of the newest marker or transition. */
  latestTurn(): number;
  lastId(): number;
  /** Changes when the header would (turn, state, interval): sent without a turn too. */
  headerKey(): string;
  wallMs(): number;
}

/**
 * The live page's open event streams. Invariants: events are at least SSE_MIN_GAP_MS apart
 * (one timer at a time); a stream with more than SSE_BACKLOG_BYTES unsent gets nothing until
 * it drains; each distinct reader position is serialized once per send.
 */
export class SseStreams {
  private readonly streams = new Map<SseStream, Seen>();
  private timer: NodeJS.Timeout | undefined;
  private lastSentMs = 0;
  private lastSentKey = '';
  private lastKeepAliveMs: number;
  private readonly ticker: NodeJS.Timeout;

  constructor(private readonly source: StreamSource) {
    this.lastKeepAliveMs = source.wallMs();
    // Without turns (paused, finished, stalled) the header still changes: sent when it does,
    // and a comment now and then keeps idle connections open through proxies.
    this.ticker = setInterval(() => this.tick(), SSE_TICK_MS);
    this.ticker.unref();
  }

  get size(): number {
    return this.streams.size;
  }

  /** Bytes written to the streams and not yet sent, all together. */
  get backlogBytes(): number {
    let bytes = 0;
    for (const stream of this.streams.keys()) bytes += stream.writableLength;
    return bytes;
  }

  attach(stream: SseStream, seen: Seen): () => void {
    this.streams.set(stream, seen);
    this.schedule();
    return () => {
      this.streams.delete(stream);
    };
  }

  /** Sends at the next allowed time (once, however often asked). */
  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), Math.max(0, this.lastSentMs + SSE_MIN_GAP_MS - this.source.wallMs()));
  }

  /** Stops sending and ends every open stream, so a reader sees the stream end, not a cut. */
  close(): void {
    clearInterval(this.ticker);
    if (this.timer) clearTimeout(this.timer);
    for (const stream of this.streams.keys()) if (!stream.destroyed) stream.end();
    this.streams.clear();
  }

  /** Writes the update to every stream that keeps up: built once per distinct position. */
  private flush(): void {
    this.timer = undefined;
    this.lastSentMs = this.source.wallMs();
    const bodies = new Map<string, string>();
    const latestTurn = this.source.latestTurn();
    const lastId = this.source.lastId();
    for (const [stream, seen] of this.streams) {
      if (stream.destroyed || stream.writableLength > SSE_BACKLOG_BYTES) continue;
      const key = `${seen.markerSeen}/${seen.transitionSeen}/${seen.turnSeen}`;
      let body = bodies.get(key);
      if (body === undefined) {
        const data = JSON.stringify(this.source.update(seen.markerSeen, seen.transitionSeen, seen.turnSeen));
        body = `id: ${latestTurn}\nevent: turn\ndata: ${data}\n\n`;
        bodies.set(key, body);
      }
      stream.write(body);
      seen.markerSeen = lastId;
      seen.transitionSeen = lastId;
      seen.turnSeen = latestTurn;
    }
    this.lastSentKey = this.source.headerKey();
  }

  private tick(): void {
    if (this.streams.size === 0) return;
    if (this.source.headerKey() !== this.lastSentKey) this.schedule();
    else if (this.source.wallMs() - this.lastKeepAliveMs >= SSE_KEEPALIVE_MS) {
      this.lastKeepAliveMs = this.source.wallMs();
      for (const stream of this.streams.keys()) if (!stream.destroyed) stream.write(': keep-alive\n\n');
    }
  }
}
