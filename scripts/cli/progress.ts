/** A one-line progress bar on stderr (plain lines when stderr is not a terminal). */
export function progressBar(label: string, total: number): { update(done: number): void; finish(): void } {
  const started = Date.now();
  const tty = process.stderr.isTTY;
  let lastPrint = 0;
  let lastPct = -1;
  const render = (done: number, final = false) => {
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
    const now = Date.now();
    if (!final && now - lastPrint < 100 && pct === lastPct) return;
    if (!tty && !final && pct - lastPct < 10) return;
    lastPrint = now;
    lastPct = pct;
    const width = 30;
    const filled = Math.round((pct / 100) * width);
    const rate = done / Math.max((now - started) / 1000, 0.001);
    const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${done.toLocaleString('en')}/${total.toLocaleString('en')} (${Math.round(rate).toLocaleString('en')}/s)`;
    process.stderr.write(tty ? `\r${line}` : `${line}\n`);
  };
  return {
    update: (done) => render(done),
    finish: () => {
      render(total, true);
      if (tty) process.stderr.write('\n');
    },
  };
}
