/**
 * Speed of the CLV model fits on simulated customer bases (seeded):
 *  - BG/NBD on 1,000,000 customers (target < 1 s; Python lifetimes 0.11.3 BetaGeoFitter: 11.3 s on this machine);
 *  - Pareto/NBD on 100,000 customers (target < 2 s; lifetimes ParetoNBDFitter: 41 s).
 * Purchases are simulated in continuous time (weeks) and summarised two ways: by day (same-day purchases merged,
 * durations = days / 7), as a summary built from real transaction dates is; and in continuous time, as lifetimes'
 * own simulators produce, where no two customers share (x, t_x, T) and collapsing saves nothing (the worst case).
 * Timings include collapsing the customers into distinct rows, the BFGS fit and the standard errors from the
 * numerical Hessian; simulation is not timed. Each figure is the median of 3 timed runs after one untimed run (JIT).
 *
 * Run alone: node --import tsx bench/models.bench.ts
 */
import {
  collapse,
  fitBgNbd,
  fitParetoNbd,
  type BgNbdParams,
  type ParetoNbdParams,
  type RfmColumns,
} from '../src/features/analytics/models/index.js';
import { createRandom, type Random } from '../src/shared/random.js';
import { isMainModule, printRows, type Row } from './report.js';

/** Observation window: customers acquired uniformly over the 78 weeks before the end. */
const MAX_T_DAYS = 78 * 7;

interface Simulated extends RfmColumns {
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
}

type Resolution = 'day' | 'continuous';

/** Summarise continuous purchase times within [0, T]: by day (distinct days, weeks = days / 7) or exactly. */
function record(times: number[], T: number, resolution: Resolution, out: Simulated, i: number): void {
  if (resolution === 'continuous') {
    out.frequency[i] = times.length;
    out.recency[i] = times.length > 0 ? times[times.length - 1]! : 0;
    out.T[i] = T;
    return;
  }
  let last = 0;
  let count = 0;
  for (const t of times) {
    const day = Math.floor(t * 7);
    if (day !== last) {
      count++;
      last = day;
    }
  }
  out.frequency[i] = count;
  out.recency[i] = last / 7;
  out.T[i] = T;
}

/** Age of a customer: acquired uniformly over the window (whole days for day resolution). */
function age(rng: Random, resolution: Resolution): number {
  return resolution === 'day' ? (1 + Math.floor(rng.next() * MAX_T_DAYS)) / 7 : (1 + rng.next() * (MAX_T_DAYS - 1)) / 7;
}

/** BG/NBD process (Fader, Hardie & Lee 2005): λ ~ Γ(r, 1/α), p ~ Beta(a, b); after each purchase the customer drops out w.p. p. */
export function simulateBgNbd(n: number, p: BgNbdParams, rng: Random, resolution: Resolution = 'day'): Simulated {
  const out: Simulated = { frequency: new Float64Array(n), recency: new Float64Array(n), T: new Float64Array(n) };
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const T = age(rng, resolution);
    const lambda = rng.gamma(p.r, 1 / p.alpha);
    const g1 = rng.gamma(p.a, 1);
    const dropout = g1 / (g1 + rng.gamma(p.b, 1));
    times.length = 0;
    let t = 0;
    for (;;) {
      t += rng.exponential(lambda);
      if (t > T) break;
      times.push(t);
      if (rng.next() < dropout) break;
    }
    record(times, T, resolution, out, i);
  }
  return out;
}

/** Pareto/NBD process (Schmittlein et al. 1987): λ ~ Γ(r, 1/α), μ ~ Γ(s, 1/β), lifetime ~ Exp(μ), Poisson(λ) purchases while alive. */
export function simulateParetoNbd(
  n: number,
  p: ParetoNbdParams,
  rng: Random,
  resolution: Resolution = 'day',
): Simulated {
  const out: Simulated = { frequency: new Float64Array(n), recency: new Float64Array(n), T: new Float64Array(n) };
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const T = age(rng, resolution);
    const lambda = rng.gamma(p.r, 1 / p.alpha);
    const mu = rng.gamma(p.s, 1 / p.beta);
    const end = Math.min(T, rng.exponential(mu));
    times.length = 0;
    let t = 0;
    for (;;) {
      t += rng.exponential(lambda);
      if (t > end) break;
      times.push(t);
    }
    record(times, T, resolution, out, i);
  }
  return out;
}

const fmt = (v: number): string => Number(v.toPrecision(4)).toString();
const seconds = (start: number): number => (performance.now() - start) / 1000;

/** Timed runs per row (after one untimed run); the reported figure is their median. */
const RUNS = 3;
const BG_TRUE: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const PN_TRUE: ParetoNbdParams = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };

/** Median wall time of `runs` calls of `work` (the machine is shared, so single timings are noisy). */
function timeMedian<T>(runs: number, work: () => T): { seconds: number; result: T } {
  const times: number[] = [];
  let result = work();
  for (let k = 0; k < runs; k++) {
    const start = performance.now();
    result = work();
    times.push(seconds(start));
  }
  times.sort((a, b) => a - b);
  return { seconds: times[Math.floor(times.length / 2)]!, result };
}

function benchBg(n: number, resolution: Resolution, seed: number): Row {
  const data = simulateBgNbd(n, BG_TRUE, createRandom(seed), resolution);
  const { seconds: elapsed, result } = timeMedian(RUNS, () => {
    const rows = collapse(data);
    return { rows, fit: fitBgNbd(rows) };
  });
  const { rows, fit } = result;
  const se = fit.standardErrors!;
  return {
    name: `BG/NBD fit, ${n.toLocaleString('en')} customers (${resolution === 'day' ? 'daily summary' : 'continuous times'})`,
    seconds: elapsed,
    reference: 'lifetimes 0.11.3 BetaGeoFitter: 11.3 s (1M)',
    note:
      `${rows.x.length} distinct (x, t_x, T) rows; ${fit.pilotEvaluations} pilot + ${fit.evaluations} full evaluations, ` +
      `converged=${fit.converged}; r=${fmt(fit.params.r)}±${fmt(se.r)} α=${fmt(fit.params.alpha)}±${fmt(se.alpha)} ` +
      `a=${fmt(fit.params.a)}±${fmt(se.a)} b=${fmt(fit.params.b)}±${fmt(se.b)} (simulated with 0.243, 4.414, 0.793, 2.426)`,
  };
}

function benchPareto(n: number, resolution: Resolution, seed: number): Row {
  const data = simulateParetoNbd(n, PN_TRUE, createRandom(seed), resolution);
  const { seconds: elapsed, result } = timeMedian(RUNS, () => {
    const rows = collapse(data);
    return { rows, fit: fitParetoNbd(rows) };
  });
  const { rows, fit } = result;
  const se = fit.standardErrors!;
  return {
    name: `Pareto/NBD fit, ${n.toLocaleString('en')} customers (${resolution === 'day' ? 'daily summary' : 'continuous times'})`,
    seconds: elapsed,
    reference: 'lifetimes 0.11.3 ParetoNBDFitter: 41 s (100k)',
    note:
      `${rows.x.length} distinct rows; ${fit.pilotEvaluations} pilot + ${fit.evaluations} full evaluations, ` +
      `converged=${fit.converged}; r=${fmt(fit.params.r)}±${fmt(se.r)} α=${fmt(fit.params.alpha)}±${fmt(se.alpha)} ` +
      `s=${fmt(fit.params.s)}±${fmt(se.s)} β=${fmt(fit.params.beta)}±${fmt(se.beta)} (simulated with 0.553, 10.58, 0.606, 11.67)`,
  };
}

export async function benchModels(): Promise<Row[]> {
  return [
    benchBg(1_000_000, 'day', 20240501),
    benchBg(1_000_000, 'continuous', 20240502),
    benchPareto(100_000, 'day', 20240503),
    benchPareto(100_000, 'continuous', 20240504),
  ];
}

if (isMainModule(import.meta.url)) printRows(await benchModels());
