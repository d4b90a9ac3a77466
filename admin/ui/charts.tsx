import { fmtPercent } from './format';

// Charts drawn on the server as SVG: no script, readable without CSS, printable. Every chart
// carries a <title> and <desc> and its numbers as text, so screen readers and print get them.

const COLORS = ['#7fb58f', '#2e7d4f', '#0b3d20'];

function esc(n: number): string {
  return Number.isFinite(n) ? String(Math.round(n * 10) / 10) : '0';
}

/** One bar per row, longest first as given; value printed at the bar's end. */
export function BarChart(props: { title: string; rows: { label: string; value: number }[]; unit?: string }) {
  const rowH = 26;
  const labelW = 150;
  const width = 560;
  const barMax = width - labelW - 60;
  const max = Math.max(1, ...props.rows.map((r) => r.value));
  const height = props.rows.length * rowH + 10;
  return (
    <svg class="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.title}>
      <title>{props.title}</title>
      <desc>{props.rows.map((r) => `${r.label}: ${r.value}${props.unit ?? ''}`).join('; ')}</desc>
      {props.rows.map((r, i) => {
        const y = 5 + i * rowH;
        const w = (r.value / max) * barMax;
        return (
          <g>
            <text x={labelW - 6} y={y + 16} text-anchor="end">
              {r.label.length > 22 ? `${r.label.slice(0, 21)}…` : r.label}
            </text>
            <rect x={labelW} y={y + 3} width={esc(Math.max(w, r.value > 0 ? 2 : 0))} height={rowH - 8} fill={COLORS[1]} />
            <text x={esc(labelW + w + 6)} y={y + 16}>
              {r.value}
              {props.unit ?? ''}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Stacked bars (3★, 4★, 5★ per group) with a legend. */
export function StackedBarChart(props: { title: string; legend: string[]; rows: { label: string; parts: number[] }[] }) {
  const rowH = 26;
  const labelW = 170;
  const width = 560;
  const barMax = width - labelW - 50;
  const max = Math.max(1, ...props.rows.map((r) => r.parts.reduce((a, b) => a + b, 0)));
  const legendH = 24;
  const height = legendH + props.rows.length * rowH + 10;
  return (
    <svg class="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.title}>
      <title>{props.title}</title>
      <desc>{props.rows.map((r) => `${r.label}: ${r.parts.map((p, i) => `${props.legend[i]} ${p}`).join(', ')}`).join('; ')}</desc>
      {props.legend.map((l, i) => (
        <g>
          <rect x={labelW + i * 80} y={4} width={14} height={14} fill={COLORS[i % COLORS.length]} />
          <text x={labelW + i * 80 + 18} y={16}>
            {l}
          </text>
        </g>
      ))}
      {props.rows.map((r, i) => {
        const y = legendH + 5 + i * rowH;
        let x = labelW;
        const total = r.parts.reduce((a, b) => a + b, 0);
        return (
          <g>
            <text x={labelW - 6} y={y + 16} text-anchor="end">
              {r.label.length > 24 ? `${r.label.slice(0, 23)}…` : r.label}
            </text>
            {r.parts.map((p, j) => {
              const w = (p / max) * barMax;
              const rect = <rect x={esc(x)} y={y + 3} width={esc(w)} height={rowH - 8} fill={COLORS[j % COLORS.length]} />;
              x += w;
              return rect;
            })}
            <text x={esc(x + 6)} y={y + 16}>
              {total}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/**
 * Progress against a plan target: the bar is the value, the dark tick the target. For a
 * share target (`percent`) the scale is 0-100%.
 */
export function TargetBar(props: { title: string; value: number; target: number; percent?: boolean }) {
  const width = 320;
  const height = 30;
  const scaleMax = props.percent ? 1 : Math.max(props.target, props.value) * 1.1 || 1;
  const w = Math.min(1, props.value / scaleMax) * (width - 4);
  const t = Math.min(1, props.target / scaleMax) * (width - 4);
  const met = props.value >= props.target;
  const fmt = (v: number) => (props.percent ? fmtPercent(v) : String(v));
  return (
    <svg class="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${props.title}: ${fmt(props.value)} / ${fmt(props.target)}`}>
      <title>{`${props.title}: ${fmt(props.value)} / ${fmt(props.target)}`}</title>
      <rect x={2} y={6} width={width - 4} height={14} fill="#e4ece6" stroke="#9aa5ab" />
      <rect x={2} y={6} width={esc(w)} height={14} fill={met ? '#2e7d4f' : '#c98a00'} />
      <line x1={esc(2 + t)} x2={esc(2 + t)} y1={1} y2={25} stroke="#1b1f23" stroke-width={3} />
    </svg>
  );
}
