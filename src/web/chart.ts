/**
 * The timeliness report's charts as SVG drawn on the server (no script, nothing for the CSP to
 * allow): stacked bars of on time and late. Each chart is an image with a text alternative, and the
 * page shows the same figures in a table beside it. Pure.
 */

export interface Bar {
  label: string;
  onTime: number;
  late: number;
}

/** GOV.UK's green and red: each has at least 3:1 contrast with white (WCAG 1.4.11). */
export const ON_TIME_COLOUR = '#0f7a52';
export const LATE_COLOUR = '#ca3535';

const escapeXml = (text: string) =>
  text.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );

/** A round step for the axis: 1, 2 or 5 times a power of ten, about four ticks up to `max`. */
export function tickStep(max: number): number {
  if (max <= 4) return 1;
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough)!;
  return step;
}

const summaryText = (title: string, bars: readonly Bar[]) =>
  bars.length === 0
    ? `${title}: no deadlines fell due in the period.`
    : `${title}: ${bars.map((b) => `${b.label}, ${b.onTime} on time and ${b.late} late`).join('; ')}.`;

/** Horizontal stacked bars, one per row label (the rules). */
export function horizontalBars(id: string, title: string, bars: readonly Bar[]): string {
  const labelWidth = 330;
  const plotWidth = 380;
  const rowHeight = 28;
  const top = 30;
  const height = top + Math.max(bars.length, 1) * rowHeight + 30;
  const max = Math.max(1, ...bars.map((b) => b.onTime + b.late));
  const step = tickStep(max);
  const axisMax = Math.ceil(max / step) * step;
  const x = (n: number) => labelWidth + (n / axisMax) * plotWidth;
  const parts: string[] = [];
  for (let tick = 0; tick <= axisMax; tick += step) {
    parts.push(
      `<line x1="${x(tick)}" y1="${top - 6}" x2="${x(tick)}" y2="${height - 30}" stroke="#b1b4b6"/>`,
      `<text x="${x(tick)}" y="${top - 12}" text-anchor="middle" fill="#0b0c0c">${tick}</text>`,
    );
  }
  bars.forEach((bar, i) => {
    const y = top + i * rowHeight;
    const label = bar.label.length > 38 ? `${bar.label.slice(0, 37)}…` : bar.label;
    parts.push(
      `<text x="${labelWidth - 8}" y="${y + 18}" text-anchor="end" fill="#0b0c0c">${escapeXml(label)}</text>`,
      `<rect x="${x(0)}" y="${y + 4}" width="${x(bar.onTime) - x(0)}" height="${rowHeight - 8}" fill="${ON_TIME_COLOUR}"/>`,
      `<rect x="${x(bar.onTime)}" y="${y + 4}" width="${x(bar.onTime + bar.late) - x(bar.onTime)}" height="${rowHeight - 8}" fill="${LATE_COLOUR}"/>`,
    );
  });
  return svg(id, title, bars, labelWidth + plotWidth + 20, height, parts);
}

/** Vertical stacked bars, one per column label (the months). */
export function verticalBars(id: string, title: string, bars: readonly Bar[]): string {
  const left = 40;
  const columnWidth = 60;
  const top = 20;
  const plotHeight = 200;
  const width = left + Math.max(bars.length, 1) * columnWidth + 20;
  const max = Math.max(1, ...bars.map((b) => b.onTime + b.late));
  const step = tickStep(max);
  const axisMax = Math.ceil(max / step) * step;
  const y = (n: number) => top + plotHeight - (n / axisMax) * plotHeight;
  const parts: string[] = [];
  for (let tick = 0; tick <= axisMax; tick += step) {
    parts.push(
      `<line x1="${left}" y1="${y(tick)}" x2="${width - 10}" y2="${y(tick)}" stroke="#b1b4b6"/>`,
      `<text x="${left - 6}" y="${y(tick) + 5}" text-anchor="end" fill="#0b0c0c">${tick}</text>`,
    );
  }
  bars.forEach((bar, i) => {
    const x = left + i * columnWidth + 6;
    const w = columnWidth - 12;
    parts.push(
      `<rect x="${x}" y="${y(bar.onTime)}" width="${w}" height="${y(0) - y(bar.onTime)}" fill="${ON_TIME_COLOUR}"/>`,
      `<rect x="${x}" y="${y(bar.onTime + bar.late)}" width="${w}" height="${y(bar.onTime) - y(bar.onTime + bar.late)}" fill="${LATE_COLOUR}"/>`,
      `<text x="${x + w / 2}" y="${top + plotHeight + 18}" text-anchor="middle" fill="#0b0c0c">${escapeXml(bar.label)}</text>`,
    );
  });
  return svg(id, title, bars, width, top + plotHeight + 30, parts);
}

function svg(id: string, title: string, bars: readonly Bar[], width: number, height: number, parts: string[]): string {
  return [
    `<svg class="app-chart" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="${id}-title">${escapeXml(title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(summaryText(title, bars))}</desc>`,
    ...parts,
    '</svg>',
  ].join('');
}
