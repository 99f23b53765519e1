/** Where the progress bar goes: a stream and whether it is a terminal. */
export interface ProgressOut {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

const duration = (seconds: number) => {
  const s = Math.max(0, Math.round(seconds));
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
    : s >= 60
      ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
      : `${s}s`;
};

/** The bar: `[#####-----] 120/500 24% 3.1 runs/s ETA 2m03s`. */
export function progressLine(done: number, total: number, elapsedSeconds: number, width = 30): string {
  const share = total === 0 ? 1 : done / total;
  const filled = Math.round(share * width);
  const rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
  const eta = rate > 0 ? duration((total - done) / rate) : '?';
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${Math.floor(share * 100)}% ${rate.toFixed(1)} runs/s ETA ${eta}`;
}

/**
 * A progress bar: on a terminal redrawn in place at most 5 times a second; otherwise a line
 * at every tenth of the runs.
 */
export function createProgress(out: ProgressOut, total: number, now: () => number = () => performance.now()) {
  const started = now();
  let lastDraw = -Infinity;
  let lastTenth = -1;
  return {
    update(done: number) {
      const elapsed = (now() - started) / 1000;
      if (out.isTTY) {
        if (done < total && now() - lastDraw < 200) return;
        lastDraw = now();
        out.write(`\r${progressLine(done, total, elapsed)}\u001b[K`);
        if (done === total) out.write('\n');
      } else {
        const tenth = Math.floor((10 * done) / Math.max(1, total));
        if (tenth === lastTenth) return;
        lastTenth = tenth;
        out.write(`${progressLine(done, total, elapsed)}\n`);
      }
    },
  };
}
