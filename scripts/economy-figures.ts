/**
 * `npm run economy:figures`: plays each preset once with every service and draws what its
 * market did, one PNG per preset in docs/economy/ (docs/economy.md shows them): purchase
 * attempts and the failure rate, households' demand against suppliers' orders (the bullwhip),
 * the listed and paid price indices, and the companies in the market with their exits.
 *
 * Usage: npm run economy:figures [-- --presets classic,default,crisis,large --seed 1 --turns N]
 */
import { existsSync, readFileSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { createTurnLoop, loadRunConfig } from '../src/services/index.js';
import { makeDirsSync } from '../src/monitoring/index.js';
import { createSimulation } from '../src/simulation/index.js';
import { writeWholeFile } from '../src/cli/whole-file.js';
import { failScript, fileProblem, parseScriptArgs } from './script-args.js';

/** A line of a panel: its values per turn (NaN where absent: a gap), its label and colour. */
interface Line {
  readonly label: string;
  readonly colour: string;
  readonly values: Float64Array;
}

interface Panel {
  readonly title: string;
  readonly lines: readonly Line[];
}

const TURNS: Record<string, number> = { classic: 2_000, default: 2_000, crisis: 2_000, large: 1_000 };
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];

const { values: flags } = parseScriptArgs('economy:figures', import.meta.url, {
  options: { presets: { type: 'string' }, seed: { type: 'string' }, turns: { type: 'string' } },
});
const arg = (name: 'presets' | 'seed' | 'turns'): string | undefined => flags[name];

const esc = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** The panels of one run of a preset. */
function play(preset: string, seed: number, turns: number): Panel[] {
  const config = loadRunConfig(readFileSync(`scenarios/${preset}.json`, 'utf8'));
  const loop = createTurnLoop({ simulation: createSimulation(config.scenario, seed), config });
  const series = () => new Float64Array(turns);
  const [attempts, failureRate, asked, ordered, listed, paid, active, exits] = Array.from({ length: 8 }, series) as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  for (let t = 0; t < turns; t++) {
    const s = loop.runTurn();
    attempts[t] = s.transaction.attempts;
    failureRate[t] = 100 * s.transaction.failureRate;
    asked[t] = s.market.unitsAsked;
    ordered[t] = s.market.ordered;
    listed[t] = s.product.priceIndex;
    paid[t] = s.market.paidPriceIndex;
    active[t] = s.market.activeCompanies;
    exits[t] = s.market.exitsTotal;
  }
  return [
    {
      title: 'purchase attempts a turn, and the failure rate (%)',
      lines: [
        { label: 'attempts', colour: COLOURS[0]!, values: attempts },
        { label: 'failure rate %', colour: COLOURS[1]!, values: failureRate },
      ],
    },
    {
      title: 'units households asked, and units suppliers ordered (the bullwhip)',
      lines: [
        { label: 'asked', colour: COLOURS[0]!, values: asked },
        { label: 'ordered', colour: COLOURS[1]!, values: ordered },
      ],
    },
    {
      title: 'price indices (base prices = 100)',
      lines: [
        { label: 'listed', colour: COLOURS[0]!, values: listed },
        { label: 'paid', colour: COLOURS[1]!, values: paid },
      ],
    },
    {
      title: 'companies in the market, and exits since the start',
      lines: [
        { label: 'active', colour: COLOURS[0]!, values: active },
        { label: 'exits', colour: COLOURS[2]!, values: exits },
      ],
    },
  ];
}

/** One panel as SVG at (x, y), each line scaled to the panel's common range; NaN breaks a line. */
function panelSvg(panel: Panel, x: number, y: number, w: number, h: number): string {
  let lo = Infinity;
  let hi = -Infinity;
  for (const line of panel.lines) {
    for (const v of line.values) {
      if (Number.isNaN(v)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (!(hi > lo)) hi = lo + 1;
  const n = panel.lines[0]!.values.length;
  const px = (i: number) => x + (i / Math.max(1, n - 1)) * w;
  const py = (v: number) => y + h - ((v - lo) / (hi - lo)) * h;
  const parts = [
    `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="none" stroke="#ccc"/>`,
    `<text x="${x}" y="${y - 8}">${esc(panel.title)}</text>`,
    `<text x="${x - 6}" y="${y + 10}" text-anchor="end" font-size="11">${hi.toFixed(hi < 10 ? 2 : 0)}</text>`,
    `<text x="${x - 6}" y="${y + h}" text-anchor="end" font-size="11">${lo.toFixed(lo < 10 ? 2 : 0)}</text>`,
  ];
  panel.lines.forEach((line, k) => {
    let d = '';
    let pen = false;
    for (let i = 0; i < n; i++) {
      const v = line.values[i]!;
      if (Number.isNaN(v)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${px(i).toFixed(1)},${py(v).toFixed(1)}`;
      pen = true;
    }
    parts.push(`<path d="${d}" fill="none" stroke="${line.colour}" stroke-width="0.8"/>`);
    parts.push(
      `<text x="${x + w - 150 + 80 * k}" y="${y - 8}" fill="${line.colour}" font-size="12">${esc(line.label)}</text>`,
    );
  });
  return parts.join('');
}

function figure(preset: string, seed: number, turns: number, panels: readonly Panel[]): Buffer {
  const w = 1200;
  const panelH = 150;
  const h = 60 + panels.length * (panelH + 50);
  const body = panels.map((p, i) => panelSvg(p, 70, 70 + i * (panelH + 50), w - 100, panelH)).join('');
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="13">`,
    `<rect width="${w}" height="${h}" fill="white"/>`,
    `<text x="70" y="30" font-size="17">${esc(`${preset}, seed ${seed}: turns 1 to ${turns}`)}</text>`,
    body,
    '</svg>',
  ].join('');
  return new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
}

/** A whole number flag within bounds, or one line and exit 2 (a NaN would draw an empty figure over the committed one). */
function wholeNumber(name: 'seed' | 'turns', min: number, max: number): number | undefined {
  const raw = arg(name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    failScript('economy:figures', `--${name}: must be a whole number from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

const seed = wholeNumber('seed', 0, Number.MAX_SAFE_INTEGER) ?? 1;
const turnsAsked = wholeNumber('turns', 2, 1_000_000);
const presets = (arg('presets') ?? 'classic,default,crisis,large').split(',');
// Every preset found before any is played or any figure replaced.
for (const preset of presets) {
  if (!existsSync(`scenarios/${preset}.json`)) {
    failScript('economy:figures', `--presets: no preset '${preset}' in scenarios/ (run it from the repository's root)`);
  }
}
makeDirsSync('docs/economy');
for (const preset of presets) {
  const turns = turnsAsked ?? TURNS[preset] ?? 2_000;
  const png = figure(preset, seed, turns, play(preset, seed, turns));
  const path = `docs/economy/${preset}.png`;
  try {
    writeWholeFile(path, [png]);
  } catch (error) {
    failScript('economy:figures', `cannot write ${path}: ${fileProblem(error)}`);
  }
  console.log(`${path}: ${turns} turns, ${png.length} bytes`);
}
