/**
 * Special functions the CLV models need beyond @stdlib: log-sum-exp helpers, the Gaussian hypergeometric
 * function 2F1 (series with the Euler, Pfaff and 1−z transformations) and the "power-product tail" integral
 * behind the Pareto/NBD likelihood, with its derivatives.
 */
import stdlibBetaln from '@stdlib/math-base-special-betaln';
import stdlibDigamma from '@stdlib/math-base-special-digamma';
import stdlibGammaln from '@stdlib/math-base-special-gammaln';

/** ln|Γ(x)| (stdlib). */
export const gammaln: (x: number) => number = stdlibGammaln;
/** ψ(x) = d/dx ln Γ(x) (stdlib). */
export const digamma: (x: number) => number = stdlibDigamma;
/** ln B(a, b) (stdlib). */
export const betaln: (a: number, b: number) => number = stdlibBetaln;

/** log(e^a + e^b) without overflow. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** log(e^a − e^b) for a ≥ b (−∞ when a = b). */
export function logSubExp(a: number, b: number): number {
  if (b === -Infinity) return a;
  if (b > a) return NaN;
  const d = b - a;
  // log1p(−e^d) loses accuracy for d near 0; log(−expm1(d)) is accurate there (Mächler 2012).
  return a + (d > -Math.LN2 ? Math.log(-Math.expm1(d)) : Math.log1p(-Math.exp(d)));
}

/** log Σ e^{v_i}, optionally weighted: log Σ w_i e^{v_i} (weights ≥ 0). */
export function logSumExp(values: ArrayLike<number>, weights?: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v > max) max = v;
  }
  if (max === -Infinity || !Number.isFinite(max)) return max;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (weights ? weights[i]! : 1) * Math.exp(values[i]! - max);
  return max + Math.log(sum);
}

/** The logistic function 1/(1+e^{−x}) (scipy's expit). */
export function expit(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** A signed number stored as sign × e^{log}, so that huge and tiny values survive. */
export interface SignedLog {
  sign: -1 | 0 | 1;
  log: number;
}

const RESCALE = 1e250;
const LOG_RESCALE = Math.log(RESCALE);
const MAX_TERMS = 2_000_000;

/** Σ_n (a)_n (b)_n / ((c)_n n!) z^n for |z| < 1, as a signed log. */
function seriesLog(a: number, b: number, c: number, z: number): SignedLog {
  let term = 1;
  let sum = 1;
  let scale = 0;
  for (let n = 0; n < MAX_TERMS; n++) {
    const ratio = ((a + n) * (b + n) * z) / ((c + n) * (n + 1));
    term *= ratio;
    sum += term;
    if (term === 0) break;
    const absRatio = Math.abs(ratio);
    // Past the point where the factors keep their sign and the ratio is < 1, the tail is bounded by a geometric series.
    if (n + 1 > -a && n + 1 > -b && n + 1 > -c && absRatio < 1) {
      const tail = (Math.abs(term) * absRatio) / (1 - absRatio);
      if (tail <= 1e-17 * Math.abs(sum)) break;
    }
    if (Math.abs(sum) > RESCALE) {
      sum /= RESCALE;
      term /= RESCALE;
      scale += LOG_RESCALE;
    }
  }
  if (sum === 0) return { sign: 0, log: -Infinity };
  return { sign: sum > 0 ? 1 : -1, log: scale + Math.log(Math.abs(sum)) };
}

const isNonPositiveInteger = (v: number): boolean => v <= 0 && Number.isInteger(v);

/** Sign of Γ(x) (x not a pole). */
function gammaSign(x: number): 1 | -1 {
  if (x > 0) return 1;
  return Math.floor(x) % 2 === 0 ? 1 : -1;
}

/** 2F1 on 0 ≤ z < 1 with the direct series or Euler's transformation, whichever has the smaller parameters. */
function hyp2f1UnitInterval(a: number, b: number, c: number, z: number): SignedLog {
  const euler = Math.abs((c - a) * (c - b)) < Math.abs(a * b);
  if (!euler) return seriesLog(a, b, c, z);
  // Euler: 2F1(a,b;c;z) = (1−z)^{c−a−b} 2F1(c−a, c−b; c; z)  (Abramowitz & Stegun 15.3.3)
  const s = seriesLog(c - a, c - b, c, z);
  return { sign: s.sign, log: s.log + (c - a - b) * Math.log1p(-z) };
}

/**
 * 2F1 near z = 1 by A&S 15.3.6 (needs c−a−b away from an integer):
 * Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) 2F1(a,b;a+b−c+1;1−z) + (1−z)^{c−a−b} Γ(c)Γ(a+b−c)/(Γ(a)Γ(b)) 2F1(c−a,c−b;c−a−b+1;1−z).
 */
function hyp2f1OneMinusZ(a: number, b: number, c: number, z: number): SignedLog | undefined {
  const d = c - a - b;
  if (Math.abs(d - Math.round(d)) < 1e-4) return undefined;
  for (const v of [c - a, c - b, a, b]) if (isNonPositiveInteger(v)) return undefined;
  const w = 1 - z;
  const s1 = seriesLog(a, b, 1 - d, w);
  const s2 = seriesLog(c - a, c - b, 1 + d, w);
  const l1 = gammaln(c) + gammaln(d) - gammaln(c - a) - gammaln(c - b) + s1.log;
  const sg1: number = gammaSign(c) * gammaSign(d) * gammaSign(c - a) * gammaSign(c - b) * s1.sign;
  const l2 = d * Math.log(w) + gammaln(c) + gammaln(-d) - gammaln(a) - gammaln(b) + s2.log;
  const sg2 = gammaSign(c) * gammaSign(-d) * gammaSign(a) * gammaSign(b) * s2.sign;
  const m = Math.max(l1, l2);
  const sum = sg1 * Math.exp(l1 - m) + sg2 * Math.exp(l2 - m);
  // Too much cancellation between the two halves: let the caller use the slow but safe series.
  if (Math.abs(sum) < 1e-3) return undefined;
  return { sign: sum > 0 ? 1 : sum < 0 ? -1 : 0, log: m + Math.log(Math.abs(sum)) };
}

/**
 * Gaussian hypergeometric function 2F1(a, b; c; z) for real z < 1 (and z = 1 when c − a − b > 0), as sign and log of
 * the absolute value. Series Σ (a)_n(b)_n/((c)_n n!) z^n (A&S 15.1.1), with Euler's transformation (15.3.3) when it
 * shrinks the parameters, Pfaff's (15.3.4) for z < 0 and the 1−z connection formula (15.3.6) for z > 0.9.
 */
export function logHyp2f1(a: number, b: number, c: number, z: number): SignedLog {
  if (isNonPositiveInteger(c) && !(isNonPositiveInteger(a) && a > c) && !(isNonPositiveInteger(b) && b > c)) {
    return { sign: 1, log: NaN };
  }
  if (z === 0 || a === 0 || b === 0) return { sign: 1, log: 0 };
  if (z > 1 || Number.isNaN(z)) return { sign: 1, log: NaN };
  if (z === 1) {
    const d = c - a - b;
    if (d <= 0) return { sign: 1, log: Infinity };
    // Gauss: Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b))
    const sign = (gammaSign(c) * gammaSign(d) * gammaSign(c - a) * gammaSign(c - b)) as 1 | -1;
    return { sign, log: gammaln(c) + gammaln(d) - gammaln(c - a) - gammaln(c - b) };
  }
  if (z < 0) {
    // Pfaff: 2F1(a,b;c;z) = (1−z)^{−a} 2F1(a, c−b; c; z/(z−1)); use the version with the smaller leading parameter.
    const w = z / (z - 1);
    const [p, q] = Math.abs(a * (c - b)) <= Math.abs(b * (c - a)) ? [a, b] : [b, a];
    const inner = logHyp2f1(p, c - q, c, w);
    return { sign: inner.sign, log: inner.log - p * Math.log1p(-z) };
  }
  if (z > 0.9) {
    const viaOneMinusZ = hyp2f1OneMinusZ(a, b, c, z);
    if (viaOneMinusZ) return viaOneMinusZ;
  }
  return hyp2f1UnitInterval(a, b, c, z);
}

/** 2F1(a, b; c; z) as a plain number (may overflow to ±Infinity; use logHyp2f1 for big values). */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  const r = logHyp2f1(a, b, c, z);
  return r.sign * Math.exp(r.log);
}

/** log G and its partial derivatives (see `logPowerTail`). */
export interface PowerTail {
  log: number;
  /** ∂ log G / ∂W (d fixed) */
  dW: number;
  /** ∂ log G / ∂d (W fixed) */
  dd: number;
  /** ∂ log G / ∂p_M */
  dpM: number;
  /** ∂ log G / ∂p_m */
  dpm: number;
  /** Number of series terms used. */
  terms: number;
}

/**
 * The power-product tail integral behind the Pareto/NBD likelihood:
 *   G = ∫_y^∞ (M+τ)^{−p_M} (m+τ)^{−p_m} dτ,  with M ≥ m > −y, written in W = M + y and d = M − m ≥ 0.
 * Closed form (substitute w = M+τ and expand; Fader & Hardie 2005, "A note on deriving the Pareto/NBD model"):
 *   G = W^{1−P}/(P−1) · 2F1(P−1, p_m; P; z),  P = p_M + p_m,  z = d/W ∈ [0, 1),
 * evaluated after Euler's transformation as W^{1−P} (1−z)^{1−p_m}/(P−1) · Σ_n (p_M)_n/(P)_n z^n, whose terms are
 * positive and fall at least as fast as z^n. The derivatives are carried term by term (ψ-differences of the
 * Pochhammer symbols are running harmonic sums), so they are exact up to rounding.
 */
export function logPowerTail(W: number, d: number, pM: number, pm: number, out?: PowerTail): PowerTail {
  const P = pM + pm;
  const z = d / W;
  // e_n = (pM)_n/(P)_n z^n ; u_n = e_n / z (so that dE/dz = Σ n u_n works at z = 0).
  let E = 1;
  let Ez = 0;
  let EpM = 0; // Σ e_n H(pM,n),  H(a,n) = Σ_{k<n} 1/(a+k) = ψ(a+n) − ψ(a)
  let EP = 0; // Σ e_n (−H(P,n))
  let hM = 0;
  let hP = 0;
  let u = pM / P; // u_1
  let n = 1;
  const tailFactor = z / (1 - z);
  for (; n < MAX_TERMS; n++) {
    hM += 1 / (pM + n - 1);
    hP += 1 / (P + n - 1);
    const e = u * z;
    E += e;
    Ez += n * u;
    EpM += e * hM;
    EP -= e * hP;
    // The tail of Σ e_n is ≤ e_n z/(1−z); the weighted sums (n, harmonic numbers) have tails of the same order.
    if (e === 0) break;
    const tail = e * tailFactor;
    if (tail <= 1e-17 * E && tail * (hM + 1) <= 1e-17 * EpM && n * u * tailFactor <= 1e-17 * Ez) break;
    u *= ((pM + n) / (P + n)) * z;
  }
  const logW = Math.log(W);
  const log1mz = Math.log1p(-z);
  const result: PowerTail = out ?? { log: 0, dW: 0, dd: 0, dpM: 0, dpm: 0, terms: 0 };
  result.log = (1 - P) * logW + (1 - pm) * log1mz - Math.log(P - 1) + Math.log(E);
  const dlogEdz = Ez / E;
  const dz = -(1 - pm) / (1 - z) + dlogEdz; // ∂ log G / ∂z at fixed W (apart from the W^{1−P} factor)
  result.dd = dz / W;
  result.dW = (1 - P) / W - (z / W) * dz;
  result.dpM = -logW - 1 / (P - 1) + (EpM + EP) / E;
  result.dpm = -logW - log1mz - 1 / (P - 1) + EP / E;
  result.terms = n;
  return result;
}
