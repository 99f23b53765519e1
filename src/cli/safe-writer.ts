/** A terminal stream the run writes to. */
export interface TextOut {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  /** The terminal's width in columns, when it is one. */
  readonly columns?: number;
}

/**
 * Wraps stdout or stderr so that a closed pipe (`| head -1`), a full device (`> /dev/full`)
 * or any other write error never ends the run: the error is swallowed and later writes are
 * dropped, since nobody reads them.
 */
export function createSafeWriter(stream: NodeJS.WriteStream): TextOut {
  let broken = false;
  // Write errors of a stream come as 'error' events; without a listener they end the process.
  stream.on('error', () => {
    broken = true;
  });
  return {
    write(text) {
      if (broken || stream.destroyed) return false;
      try {
        return stream.write(text);
      } catch {
        broken = true;
        return false;
      }
    },
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
  };
}
