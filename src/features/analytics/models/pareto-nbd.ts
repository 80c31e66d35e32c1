/**
 * Pareto/NBD (Schmittlein, Morrison & Colombo 1987, Management Science 33(1)); likelihood as in Fader & Hardie (2005),
 * "A note on deriving the Pareto/NBD model and related expressions"; predictions as lifetimes' ParetoNBDFitter.
 */
import { fitOnSummary, type FitOptions, type FitResult, type LogLikelihoodWithGradient } from './optimize.js';
import { digamma, expit, gammaln, logAddExp, logPowerTail, logSubExp, type PowerTail } from './special.js';
import { asCollapsed, indexDistinct, type CollapsedSummary, type RfmColumns } from './summary.js';

/** A type alias (not an interface) so that it is assignable to Record<string, number>. */
export type ParetoNbdParams = {
  r: number;
  alpha: number;
  s: number;
  beta: number;
};

export const PARETO_NBD_PARAM_NAMES = ['r', 'alpha', 's', 'beta'] as const;

const toArray = (p: ParetoNbdParams): number[] => [p.r, p.alpha, p.s, p.beta];
const fromArray = (v: ArrayLike<number>): ParetoNbdParams => ({ r: v[0]!, alpha: v[1]!, s: v[2]!, beta: v[3]! });

/**
 * ln G(y) = ln ∫_y^∞ (α+τ)^{−(r+x)} (β+τ)^{−(s+1)} dτ and its derivatives w.r.t. (r, α, s, β).
 * Written with M = max(α, β) so that the series argument |α−β|/(M+y) is in [0, 1) (lifetimes' _log_A_0 makes the
 * same choice): s/(r+s+x) · A₀ = s · (G(t_x) − G(T)).
 */
function logTail(
  r: number,
  alpha: number,
  s: number,
  beta: number,
  x: number,
  y: number,
  scratch: PowerTail,
  out: Float64Array,
  at: number,
): number {
  if (alpha >= beta) {
    const t = logPowerTail(alpha + y, alpha - beta, r + x, s + 1, scratch);
    out[at] = t.dpM; // r
    out[at + 1] = t.dW + t.dd; // α
    out[at + 2] = t.dpm; // s
    out[at + 3] = -t.dd; // β
    return t.log;
  }
  const t = logPowerTail(beta + y, beta - alpha, s + 1, r + x, scratch);
  out[at] = t.dpm;
  out[at + 1] = -t.dd;
  out[at + 2] = t.dpM;
  out[at + 3] = t.dW + t.dd;
  return t.log;
}

interface Terms {
  /** lnΓ(r+x) − lnΓ(r) + r ln α + s ln β */
  A: number;
  /** ln[(α+T)^{−(r+x)} (β+T)^{−s}]: alive at T */
  logAlive: number;
  /** ln[s (G(t_x) − G(T))]: died in (t_x, T] (−∞ when T = t_x) */
  logDead: number;
}

function customerTerms(p: ParetoNbdParams, x: number, tx: number, T: number): Terms {
  const { r, alpha, s, beta } = p;
  const scratch: PowerTail = { log: 0, dW: 0, dd: 0, dpM: 0, dpm: 0, terms: 0 };
  const dummy = new Float64Array(4);
  const A = gammaln(r + x) - gammaln(r) + r * Math.log(alpha) + s * Math.log(beta);
  const logAlive = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  let logDead = -Infinity;
  if (T > tx) {
    const g1 = logTail(r, alpha, s, beta, x, tx, scratch, dummy, 0);
    const g2 = logTail(r, alpha, s, beta, x, T, scratch, dummy, 0);
    logDead = Math.log(s) + logSubExp(g1, g2);
  }
  return { A, logAlive, logDead };
}

/**
 * Log-likelihood of one customer (Fader & Hardie 2005 note, eq. 22; lifetimes' log-space form):
 *   ln L = lnΓ(r+x) − lnΓ(r) + r ln α + s ln β + ln[ (α+T)^{−(r+x)}(β+T)^{−s} + s/(r+s+x) A₀ ],
 *   s/(r+s+x) A₀ = s ∫_{t_x}^{T} (α+τ)^{−(r+x)} (β+τ)^{−(s+1)} dτ  (a difference of two ₂F₁ terms, see special.ts).
 */
export function paretoNbdCustomerLogLikelihood(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const t = customerTerms(p, x, tx, T);
  return t.A + logAddExp(t.logAlive, t.logDead);
}

/**
 * Σ_i w_i ln L_i with its analytic gradient. The tail integrals G(y) depend on (x, y) only, so they are evaluated once
 * per distinct (x, t_x) and (x, T) pair; their derivatives come from the series (logPowerTail), and
 * ∂ ln(G₁ − G₂) = (∂ln G₁ − ρ ∂ln G₂)/(1 − ρ), ρ = G₂/G₁.
 */
export function paretoNbdLogLikelihoodFunction(data: CollapsedSummary | RfmColumns): LogLikelihoodWithGradient {
  const d = asCollapsed(data);
  const n = d.x.length;
  const X = indexDistinct(d.x);
  const Tv = indexDistinct(d.T);
  const nx = X.unique.length;
  const nT = Tv.unique.length;
  // Distinct (x, y) pairs for y = t_x and y = T (only rows with T > t_x need them).
  const pairX: number[] = [];
  const pairY: number[] = [];
  const pairOf = new Map<number, Map<number, number>>();
  const pairIndex = (x: number, y: number): number => {
    let inner = pairOf.get(x);
    if (!inner) {
      inner = new Map();
      pairOf.set(x, inner);
    }
    let k = inner.get(y);
    if (k === undefined) {
      k = pairX.length;
      inner.set(y, k);
      pairX.push(x);
      pairY.push(y);
    }
    return k;
  };
  const p1 = new Int32Array(n).fill(-1);
  const p2 = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (d.T[i]! > d.tx[i]!) {
      p1[i] = pairIndex(d.x[i]!, d.tx[i]!);
      p2[i] = pairIndex(d.x[i]!, d.T[i]!);
    }
  }
  const np = pairX.length;
  const lgPair = new Float64Array(np);
  const dPair = new Float64Array(np * 4);
  const lgrx = new Float64Array(nx);
  const psirx = new Float64Array(nx);
  const logAT = new Float64Array(nT);
  const logBT = new Float64Array(nT);
  const invAT = new Float64Array(nT);
  const invBT = new Float64Array(nT);
  const scratch: PowerTail = { log: 0, dW: 0, dd: 0, dpM: 0, dpm: 0, terms: 0 };
  return (params, grad) => {
    const r = params[0]!;
    const alpha = params[1]!;
    const s = params[2]!;
    const beta = params[3]!;
    if (!(r > 0 && alpha > 0 && s > 0 && beta > 0)) return -Infinity;
    for (let k = 0; k < nx; k++) {
      lgrx[k] = gammaln(r + X.unique[k]!);
      psirx[k] = digamma(r + X.unique[k]!);
    }
    for (let k = 0; k < nT; k++) {
      const T = Tv.unique[k]!;
      logAT[k] = Math.log(alpha + T);
      logBT[k] = Math.log(beta + T);
      invAT[k] = 1 / (alpha + T);
      invBT[k] = 1 / (beta + T);
    }
    for (let k = 0; k < np; k++) lgPair[k] = logTail(r, alpha, s, beta, pairX[k]!, pairY[k]!, scratch, dPair, 4 * k);
    const lgr = gammaln(r);
    const psir = digamma(r);
    const logAlpha = Math.log(alpha);
    const logBeta = Math.log(beta);
    const logS = Math.log(s);
    let ll = 0;
    let llComp = 0;
    let W = 0;
    let gr = 0;
    let gal = 0;
    let gs = 0;
    let gbe = 0;
    for (let i = 0; i < n; i++) {
      const wi = d.count[i]!;
      const k = X.index[i]!;
      const jT = Tv.index[i]!;
      const x = d.x[i]!;
      W += wi;
      const logAlive = -(r + x) * logAT[jT]! - s * logBT[jT]!;
      const q1 = p1[i]!;
      let wD = 0;
      let li: number;
      let rho = 0;
      let q2 = 0;
      if (q1 >= 0) {
        q2 = p2[i]!;
        const g1 = lgPair[q1]!;
        const g2 = lgPair[q2]!;
        rho = Math.exp(g2 - g1);
        const logDead = logS + logSubExp(g1, g2);
        if (logDead > logAlive) {
          const e = Math.exp(logAlive - logDead);
          li = logDead + Math.log1p(e);
          wD = 1 / (1 + e);
        } else {
          const e = Math.exp(logDead - logAlive);
          li = logAlive + Math.log1p(e);
          wD = e / (1 + e);
        }
        if (!(rho < 1)) wD = 0;
      } else {
        li = logAlive;
      }
      // Neumaier-compensated sum: keeps the total accurate to ~1e-16 relative, so BFGS can converge tightly.
      const v = wi * (lgrx[k]! + li);
      const t = ll + v;
      llComp += Math.abs(ll) >= Math.abs(v) ? ll - t + v : v - t + ll;
      ll = t;
      if (grad) {
        const wA = 1 - wD;
        let dr = psirx[k]! - wA * logAT[jT]!;
        let dal = -wA * (r + x) * invAT[jT]!;
        let ds = -wA * logBT[jT]!;
        let dbe = -wA * s * invBT[jT]!;
        if (wD > 0) {
          const f = wD / (1 - rho);
          const a1 = 4 * q1;
          const a2 = 4 * q2;
          dr += f * (dPair[a1]! - rho * dPair[a2]!);
          dal += f * (dPair[a1 + 1]! - rho * dPair[a2 + 1]!);
          ds += f * (dPair[a1 + 2]! - rho * dPair[a2 + 2]!) + wD / s;
          dbe += f * (dPair[a1 + 3]! - rho * dPair[a2 + 3]!);
        }
        gr += wi * dr;
        gal += wi * dal;
        gs += wi * ds;
        gbe += wi * dbe;
      }
    }
    ll += llComp + W * (-lgr + r * logAlpha + s * logBeta);
    if (grad) {
      grad[0] = gr + W * (-psir + logAlpha);
      grad[1] = gal + (W * r) / alpha;
      grad[2] = gs + W * logBeta;
      grad[3] = gbe + (W * s) / beta;
    }
    return ll;
  };
}

/** Total log-likelihood of Pareto/NBD at `params`. */
export function paretoNbdLogLikelihood(params: ParetoNbdParams, data: CollapsedSummary | RfmColumns): number {
  return paretoNbdLogLikelihoodFunction(data)(toArray(params));
}

/** Fit Pareto/NBD by maximum likelihood (BFGS in log-parameters with the analytic gradient). */
export function fitParetoNbd(
  data: CollapsedSummary | RfmColumns,
  options: FitOptions = {},
): FitResult<ParetoNbdParams> {
  return fitOnSummary(data, paretoNbdLogLikelihoodFunction, [1, 1, 1, 1], fromArray, options);
}

/**
 * P(alive | x, t_x, T) = (α+T)^{−(r+x)}(β+T)^{−s} / [(α+T)^{−(r+x)}(β+T)^{−s} + s/(r+s+x) A₀]
 * (SMC 1987 eq. 11; lifetimes conditional_probability_alive).
 */
export function paretoNbdProbabilityAlive(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const t = customerTerms(p, x, tx, T);
  return expit(t.logAlive - t.logDead);
}

/**
 * E[Y(t) | x, t_x, T] = P(alive) · (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^{s−1}]
 * (Fader & Hardie 2005 note eq. 27; lifetimes conditional_expected_number_of_purchases_up_to_time; the s → 1 limit
 * is (r+x)(β+T)/(α+T) · ln((β+T+t)/(β+T))).
 */
export function paretoNbdConditionalExpectedPurchases(
  p: ParetoNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  const { r, alpha, s, beta } = p;
  const terms = customerTerms(p, x, tx, T);
  const pAlive = expit(terms.logAlive - terms.logDead);
  return ((pAlive * ((r + x) * (beta + T))) / (alpha + T)) * powerRatioTerm(s, (beta + T) / (beta + T + t));
}

/** (1 − q^{s−1})/(s−1) with its s → 1 limit −ln q. */
function powerRatioTerm(s: number, q: number): number {
  const lq = Math.log(q);
  const e = s - 1;
  if (Math.abs(e * lq) < 1e-12) return -lq * (1 - (e * lq) / 2);
  return -Math.expm1(e * lq) / e;
}

/** E[X(t)] for a new customer (SMC 1987 eq. 17): rβ/(α(s−1)) [1 − (β/(β+t))^{s−1}]. */
export function paretoNbdExpectedPurchases(p: ParetoNbdParams, t: number): number {
  return ((p.r * p.beta) / p.alpha) * powerRatioTerm(p.s, p.beta / (p.beta + t));
}

export { fromArray as paretoNbdParamsFromArray, toArray as paretoNbdParamsToArray };
