/**
 * BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way", Marketing Science 24(2)), with the
 * formulas of lifetimes' BetaGeoFitter (lifetimes 0.11.3).
 */
import { fitOnSummary, type FitOptions, type FitResult, type LogLikelihoodWithGradient } from './optimize.js';
import { digamma, expit, gammaln, logHyp2f1 } from './special.js';
import { asCollapsed, indexDistinct, type CollapsedSummary, type RfmColumns } from './summary.js';

/** A type alias (not an interface) so that it is assignable to Record<string, number>. */
export type BgNbdParams = {
  r: number;
  alpha: number;
  a: number;
  b: number;
};

export const BG_NBD_PARAM_NAMES = ['r', 'alpha', 'a', 'b'] as const;

const toArray = (p: BgNbdParams): number[] => [p.r, p.alpha, p.a, p.b];
const fromArray = (v: ArrayLike<number>): BgNbdParams => ({ r: v[0]!, alpha: v[1]!, a: v[2]!, b: v[3]! });

/**
 * Log-likelihood of one customer (FHL 2005 eq. 6, in lifetimes' log-space form):
 *   ln L = A₁ + A₂ + ln(e^{A₃} + [x>0] e^{A₄}),
 *   A₁ = lnΓ(r+x) − lnΓ(r) + r ln α,  A₂ = lnΓ(a+b) + lnΓ(b+x) − lnΓ(b) − lnΓ(a+b+x),
 *   A₃ = −(r+x) ln(α+T),  A₄ = ln a − ln(b+x−1) − (r+x) ln(α+t_x).
 */
export function bgNbdCustomerLogLikelihood(p: BgNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  const A1 = gammaln(r + x) - gammaln(r) + r * Math.log(alpha);
  const A2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x);
  const A3 = -(r + x) * Math.log(alpha + T);
  if (x <= 0) return A1 + A2 + A3;
  const A4 = Math.log(a) - Math.log(b + Math.max(x, 1) - 1) - (r + x) * Math.log(alpha + tx);
  const m = Math.max(A3, A4);
  return A1 + A2 + m + Math.log(Math.exp(A3 - m) + Math.exp(A4 - m));
}

/**
 * Builds Σ_i w_i ln L_i and its analytic gradient. Everything that depends on x alone (A₁ + A₂ and its derivatives)
 * is summed per distinct x; customers with x = 0 (ln L = A₁ + A₂ + A₃) per distinct T; only the rows with x > 0 need
 * the per-row log-sum-exp (one exp and one log1p each).
 * ∂A₁/∂r = ψ(r+x) − ψ(r) + ln α, ∂A₁/∂α = r/α; ∂A₂/∂a = ψ(a+b) − ψ(a+b+x);
 * ∂A₂/∂b = ψ(a+b) + ψ(b+x) − ψ(b) − ψ(a+b+x); ∂A₃/∂r = −ln(α+T), ∂A₃/∂α = −(r+x)/(α+T);
 * ∂A₄/∂a = 1/a, ∂A₄/∂b = −1/(b+x−1), ∂A₄/∂r = −ln(α+t_x), ∂A₄/∂α = −(r+x)/(α+t_x).
 */
export function bgNbdLogLikelihoodFunction(data: CollapsedSummary | RfmColumns): LogLikelihoodWithGradient {
  const d = asCollapsed(data);
  const n = d.x.length;
  const X = indexDistinct(d.x);
  const Tv = indexDistinct(d.T);
  const ux = X.unique;
  const uT = Tv.unique;
  const nx = ux.length;
  const nT = uT.length;
  // Weight per distinct x, weight of the x = 0 customers per distinct T, and the rows with x > 0.
  const Wx = new Float64Array(nx);
  const W0T = new Float64Array(nT);
  let W = 0;
  let np = 0;
  for (let i = 0; i < n; i++) {
    const w = d.count[i]!;
    W += w;
    Wx[X.index[i]!]! += w;
    if (d.x[i]! > 0) np++;
    else W0T[Tv.index[i]!]! += w;
  }
  const pk = new Uint32Array(np);
  const pT = new Uint32Array(np);
  const ptx = new Float64Array(np);
  const px = new Float64Array(np);
  const pw = new Float64Array(np);
  for (let i = 0, j = 0; i < n; i++) {
    if (!(d.x[i]! > 0)) continue;
    pk[j] = X.index[i]!;
    pT[j] = Tv.index[i]!;
    ptx[j] = d.tx[i]!;
    px[j] = d.x[i]!;
    pw[j] = d.count[i]!;
    j++;
  }
  const tv = indexDistinct(ptx);
  const pt = tv.index;
  const ut = tv.unique;
  const nt = ut.length;
  const c4 = new Float64Array(nx); // ln a − ln(b + x − 1)
  const invB1 = new Float64Array(nx);
  const logAT = new Float64Array(nT);
  const invAT = new Float64Array(nT);
  const logAt = new Float64Array(nt);
  const invAt = new Float64Array(nt);
  return (params, grad) => {
    const r = params[0]!;
    const alpha = params[1]!;
    const a = params[2]!;
    const b = params[3]!;
    if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return -Infinity;
    const lgr = gammaln(r);
    const lgab = gammaln(a + b);
    const lgb = gammaln(b);
    const logA = Math.log(a);
    const logAlpha = Math.log(alpha);
    const withGrad = grad !== undefined;
    const psir = withGrad ? digamma(r) : 0;
    const psiab = withGrad ? digamma(a + b) : 0;
    const psib = withGrad ? digamma(b) : 0;
    // Per distinct x: Σ w (A₁ + A₂ − r ln α) and its derivatives.
    let ll = W * r * logAlpha;
    let gr = W * logAlpha;
    let ga = 0;
    let gb = 0;
    for (let k = 0; k < nx; k++) {
      const x = ux[k]!;
      const w = Wx[k]!;
      ll += w * (gammaln(r + x) - lgr + lgab + gammaln(b + x) - lgb - gammaln(a + b + x));
      const b1 = b + Math.max(x, 1) - 1;
      c4[k] = logA - Math.log(b1);
      invB1[k] = 1 / b1;
      if (withGrad) {
        const psiabx = digamma(a + b + x);
        gr += w * (digamma(r + x) - psir);
        ga += w * (psiab - psiabx);
        gb += w * (psiab + digamma(b + x) - psib - psiabx);
      }
    }
    let gal = (W * r) / alpha;
    for (let k = 0; k < nT; k++) {
      const v = alpha + uT[k]!;
      logAT[k] = Math.log(v);
      invAT[k] = 1 / v;
      // x = 0 customers: ln L = A₁ + A₂ − r ln(α+T)
      const w0 = W0T[k]!;
      if (w0 > 0) {
        ll -= w0 * r * logAT[k]!;
        gr -= w0 * logAT[k]!;
        gal -= (w0 * r) / v;
      }
    }
    for (let k = 0; k < nt; k++) {
      const v = alpha + ut[k]!;
      logAt[k] = Math.log(v);
      invAt[k] = 1 / v;
    }
    // x > 0: ln(e^{A₃} + e^{A₄}) per row, summed with Neumaier compensation (the total of a million terms would
    // otherwise carry ~1e-13 relative noise, enough to stall the line search near the optimum).
    let rowSum = 0;
    let rowComp = 0;
    let sa = 0;
    let sb = 0;
    for (let j = 0; j < np; j++) {
      const k = pk[j]!;
      const jT = pT[j]!;
      const jt = pt[j]!;
      const w = pw[j]!;
      const rx = r + px[j]!;
      const lT = logAT[jT]!;
      const lt = logAt[jt]!;
      const A3 = -rx * lT;
      const A4 = c4[k]! - rx * lt;
      let w4: number;
      let v: number;
      if (A4 > A3) {
        const e = Math.exp(A3 - A4);
        v = w * (A4 + Math.log1p(e));
        w4 = 1 / (1 + e);
      } else {
        const e = Math.exp(A4 - A3);
        v = w * (A3 + Math.log1p(e));
        w4 = e / (1 + e);
      }
      const t = rowSum + v;
      rowComp += Math.abs(rowSum) >= Math.abs(v) ? rowSum - t + v : v - t + rowSum;
      rowSum = t;
      if (withGrad) {
        const w3 = 1 - w4;
        gr -= w * (w3 * lT + w4 * lt);
        gal -= w * rx * (w3 * invAT[jT]! + w4 * invAt[jt]!);
        sa += w * w4;
        sb += w * w4 * invB1[k]!;
      }
    }
    ll += rowSum + rowComp;
    if (grad) {
      grad[0] = gr;
      grad[1] = gal;
      grad[2] = ga + sa / a;
      grad[3] = gb - sb;
    }
    return ll;
  };
}

/** Total log-likelihood Σ ln L_i of BG/NBD at `params`. */
export function bgNbdLogLikelihood(params: BgNbdParams, data: CollapsedSummary | RfmColumns): number {
  return bgNbdLogLikelihoodFunction(data)(toArray(params));
}

/** Fit BG/NBD by maximum likelihood (lifetimes BetaGeoFitter.fit). */
export function fitBgNbd(data: CollapsedSummary | RfmColumns, options: FitOptions = {}): FitResult<BgNbdParams> {
  return fitOnSummary(data, bgNbdLogLikelihoodFunction, [1, 1, 1, 1], fromArray, options);
}

/**
 * P(alive | x, t_x, T) = 1 / (1 + [x>0] a/(b+x−1) ((α+T)/(α+t_x))^{r+x})  (FHL 2005 eq. 13; 1 when x = 0).
 */
export function bgNbdProbabilityAlive(p: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const logDiv = (p.r + x) * Math.log((p.alpha + T) / (p.alpha + tx)) + Math.log(p.a / (p.b + Math.max(x, 1) - 1));
  return expit(-logDiv);
}

/**
 * E[Y(t) | x, t_x, T] (FHL 2005 eq. 10):
 *   [(a+b+x−1)/(a−1)] [1 − ((α+T)/(α+T+t))^{r+x} ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
 *   / (1 + [x>0] a/(b+x−1) ((α+T)/(α+t_x))^{r+x}).
 */
export function bgNbdConditionalExpectedPurchases(p: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  if (t === 0) return 0;
  const z = t / (alpha + T + t);
  const h = logHyp2f1(r + x, b + x, a + b + x - 1, z);
  const L = h.log + (r + x) * Math.log((alpha + T) / (alpha + t + T));
  const second = h.sign > 0 ? -Math.expm1(L) : 1 - h.sign * Math.exp(L);
  const numerator = ((a + b + x - 1) / (a - 1)) * second;
  const denominator = 1 + (x > 0 ? (a / (b + x - 1)) * Math.pow((alpha + T) / (alpha + tx), r + x) : 0);
  return numerator / denominator;
}

/**
 * E[X(t)] for a new customer (FHL 2005 eq. 9): (a+b−1)/(a−1) [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))].
 */
export function bgNbdExpectedPurchases(p: BgNbdParams, t: number): number {
  const { r, alpha, a, b } = p;
  if (t === 0) return 0;
  const h = logHyp2f1(r, b, a + b - 1, t / (alpha + t));
  const L = h.log + r * Math.log(alpha / (alpha + t));
  const second = h.sign > 0 ? -Math.expm1(L) : 1 - h.sign * Math.exp(L);
  return ((a + b - 1) / (a - 1)) * second;
}

export { fromArray as bgNbdParamsFromArray, toArray as bgNbdParamsToArray };
