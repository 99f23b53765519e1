import { METRICS } from './catalogue.js';

/** Markers around the generated table in docs/metrics.md. */
export const TABLE_BEGIN = '<!-- metrics-table:begin (npm run docs:metrics) -->';
export const TABLE_END = '<!-- metrics-table:end -->';

const escape = (text: string) => text.replace(/\|/g, '\\|');

/** The metric table of docs/metrics.md, generated from the catalogue. */
export function renderMetricsTable(): string {
  const rows = METRICS.map(
    (m) =>
      `| \`${m.name}\` | ${m.type} | ${escape(m.unit)} | ${m.labels.map((l) => `\`${l}\``).join(', ') || '-'} | ${escape(m.help)} |`,
  );
  return ['| metric | type | unit | labels | meaning |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/** `readme` with the text between the markers replaced by the current table. */
export function updateMetricsTable(readme: string): string {
  const begin = readme.indexOf(TABLE_BEGIN);
  const end = readme.indexOf(TABLE_END);
  if (begin < 0 || end < begin) return readme;
  return `${readme.slice(0, begin + TABLE_BEGIN.length)}\n${renderMetricsTable()}\n${readme.slice(end)}`;
}
