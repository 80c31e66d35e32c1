/**
 * Small dense optimisation toolkit for maximum-likelihood fits: BFGS with a strong-Wolfe line search
 * (Nocedal & Wright, Numerical Optimization, 2nd ed., Algorithms 3.5, 3.6 and 6.1), a log-parameter wrapper that
 * keeps parameters positive, a numerical Hessian from central differences of an analytic gradient, and the
 * matrix helpers needed to turn it into standard errors.
 */
import { asCollapsed, subsampleRows, type CollapsedSummary, type RfmColumns } from './summary.js';

/** f(x), writing ∇f(x) into `grad`. Return a non-finite value when x is outside the domain. */
export type ObjectiveWithGradient = (x: Float64Array, grad: Float64Array) => number;

export interface MinimizeOptions {
  /** Stop when ‖∇f‖∞ ≤ this. Default 1e-9. */
  gradientTolerance?: number;
  /** Maximum BFGS iterations. Default 500. */
  maxIterations?: number;
  /** Largest change of any coordinate in one step (log space: 5 ⇒ ×148). Default 5. */
  maxStep?: number;
  /** Starting inverse-Hessian approximation (row-major n×n), e.g. from a pilot fit; default: scaled identity. */
  initialInverseHessian?: ArrayLike<number>;
}

export interface MinimizeResult {
  x: Float64Array;
  value: number;
  gradient: Float64Array;
  iterations: number;
  evaluations: number;
  converged: boolean;
  message: string;
  /** The BFGS inverse-Hessian approximation at x (row-major n×n). */
  inverseHessian: Float64Array;
}

const C1 = 1e-4;
const C2 = 0.9;
const MAX_LINE_SEARCH = 40;

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

const normInf = (a: Float64Array): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
};

interface LinePoint {
  alpha: number;
  f: number;
  df: number;
  x: Float64Array;
  g: Float64Array;
}

/** Minimiser of the cubic through (a, fa, da) and (b, fb, db), or NaN when it does not exist. */
function cubicMin(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  if (!(disc >= 0)) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - ((b - a) * (db + d2 - d1)) / (db - da + 2 * d2);
}

/**
 * Strong-Wolfe line search along p from (x0, f0, g0): returns an accepted point, or the best point with sufficient
 * decrease found, or undefined when no decrease was found.
 */
function strongWolfe(
  fg: ObjectiveWithGradient,
  x0: Float64Array,
  f0: number,
  g0: Float64Array,
  p: Float64Array,
  alpha1: number,
  alphaMax: number,
  counter: { evaluations: number },
): LinePoint | undefined {
  const n = x0.length;
  const df0 = dot(g0, p);
  // Largest relative change of a coordinate per unit step, to tell when a bracket has shrunk to nothing.
  let pMax = 0;
  for (let i = 0; i < n; i++) pMax = Math.max(pMax, Math.abs(p[i]!) / Math.max(1, Math.abs(x0[i]!)));
  const evaluate = (alpha: number): LinePoint => {
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = x0[i]! + alpha * p[i]!;
    const g = new Float64Array(n);
    counter.evaluations++;
    const f = fg(x, g);
    const ok = Number.isFinite(f) && g.every(Number.isFinite);
    return { alpha, f: ok ? f : Infinity, df: ok ? dot(g, p) : NaN, x, g };
  };
  const armijo = (pt: LinePoint): boolean => pt.f <= f0 + C1 * pt.alpha * df0;
  const curvature = (pt: LinePoint): boolean => Math.abs(pt.df) <= -C2 * df0;

  const zoom = (loIn: LinePoint, hiIn: LinePoint): LinePoint | undefined => {
    let lo = loIn;
    let hi = hiIn;
    for (let k = 0; k < MAX_LINE_SEARCH; k++) {
      const width = hi.alpha - lo.alpha;
      let alpha = Number.isFinite(hi.f) ? cubicMin(lo.alpha, lo.f, lo.df, hi.alpha, hi.f, hi.df) : NaN;
      const inside = (a: number): boolean =>
        Math.min(lo.alpha, hi.alpha) + 0.1 * Math.abs(width) <= a &&
        a <= Math.max(lo.alpha, hi.alpha) - 0.1 * Math.abs(width);
      if (!Number.isFinite(alpha) || !inside(alpha)) alpha = lo.alpha + 0.5 * width;
      // Steps this small no longer move x (relative 1e-11): the bracket has collapsed onto rounding noise.
      if (Math.abs(width) * pMax < 1e-11) break;
      const pt = evaluate(alpha);
      if (!armijo(pt) || pt.f >= lo.f) {
        hi = pt;
      } else {
        if (curvature(pt)) return pt;
        if (pt.df * (hi.alpha - lo.alpha) >= 0) hi = lo;
        lo = pt;
      }
    }
    return lo.alpha > 0 ? lo : undefined;
  };

  let prev: LinePoint = { alpha: 0, f: f0, df: df0, x: x0, g: g0 };
  let alpha = Math.min(alpha1, alphaMax);
  for (let i = 0; i < MAX_LINE_SEARCH; i++) {
    const pt = evaluate(alpha);
    if (!armijo(pt) || (i > 0 && pt.f >= prev.f)) return zoom(prev, pt);
    if (curvature(pt)) return pt;
    if (pt.df >= 0) return zoom(pt, prev);
    if (alpha >= alphaMax) return pt;
    prev = pt;
    alpha = Math.min(2 * alpha, alphaMax);
  }
  return prev.alpha > 0 ? prev : undefined;
}

/**
 * BFGS quasi-Newton minimisation with a strong-Wolfe line search (Nocedal & Wright Alg. 6.1; H₀ scaled by
 * yᵀs/yᵀy after the first step, eq. 6.20). The inverse-Hessian approximation is returned for diagnostics.
 */
export function bfgs(fg: ObjectiveWithGradient, x0: ArrayLike<number>, options: MinimizeOptions = {}): MinimizeResult {
  const gtol = options.gradientTolerance ?? 1e-9;
  const maxIterations = options.maxIterations ?? 500;
  const maxStep = options.maxStep ?? 5;
  const n = x0.length;
  const counter = { evaluations: 1 };
  let x: Float64Array = Float64Array.from(x0);
  let g: Float64Array = new Float64Array(n);
  let f = fg(x, g);
  if (!Number.isFinite(f)) throw new Error('bfgs: the objective is not finite at the starting point');
  const H = new Float64Array(n * n);
  const resetH = (scale: number): void => {
    H.fill(0);
    for (let i = 0; i < n; i++) H[i * n + i] = scale;
  };
  resetH(1);
  let fresh = true; // H is a (scaled) identity not yet updated
  const H0 = options.initialInverseHessian;
  if (H0 && H0.length === n * n && Array.from(H0).every(Number.isFinite)) {
    for (let i = 0; i < n * n; i++) H[i] = H0[i]!;
    fresh = false;
  }
  const p = new Float64Array(n);
  const Hy = new Float64Array(n);
  let message = 'maximum number of iterations reached';
  let converged = false;
  let iterations = 0;
  let failures = 0;
  for (; iterations < maxIterations; iterations++) {
    if (normInf(g) <= gtol) {
      converged = true;
      message = 'gradient below tolerance';
      break;
    }
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s -= H[i * n + j]! * g[j]!;
      p[i] = s;
    }
    if (dot(p, g) >= 0) {
      resetH(1);
      fresh = true;
      for (let i = 0; i < n; i++) p[i] = -g[i]!;
    }
    // The quadratic model predicts a decrease of about −gᵀp/2: once that is below the rounding of f, no line search
    // can see progress, and the point is as good as floating point allows.
    if (!fresh && -dot(g, p) <= 1e-14 * Math.max(1, Math.abs(f)) && normInf(g) <= 1e3 * gtol) {
      converged = true;
      message = 'predicted decrease below rounding level';
      break;
    }
    const pMax = normInf(p);
    const alphaMax = maxStep / pMax;
    const alpha1 = fresh ? Math.min(1, 1 / pMax) : 1;
    const next = strongWolfe(fg, x, f, g, p, alpha1, alphaMax, counter);
    if (!next || !(next.f <= f)) {
      if (!fresh && normInf(g) > 1e3 * gtol) {
        // Restart from steepest descent once before giving up.
        resetH(1);
        fresh = true;
        failures++;
        if (failures <= 2) continue;
      }
      converged = normInf(g) <= 1e3 * gtol;
      message = converged ? 'line search stalled at rounding level' : 'line search failed';
      break;
    }
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = next.x[i]! - x[i]!;
      y[i] = next.g[i]! - g[i]!;
    }
    const fPrev = f;
    x = next.x;
    g = next.g;
    f = next.f;
    const sy = dot(s, y);
    if (sy > 1e-300) {
      if (fresh) {
        resetH(sy / dot(y, y));
        fresh = false;
      }
      // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ
      const rho = 1 / sy;
      for (let i = 0; i < n; i++) {
        let t = 0;
        for (let j = 0; j < n; j++) t += H[i * n + j]! * y[j]!;
        Hy[i] = t;
      }
      const yHy = dot(y, Hy);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          H[i * n + j] =
            H[i * n + j]! - rho * (Hy[i]! * s[j]! + s[i]! * Hy[j]!) + (rho * rho * yHy + rho) * s[i]! * s[j]!;
        }
      }
    }
    if (fPrev - f <= 1e-16 * Math.max(1, Math.abs(f)) && normInf(g) <= 1e3 * gtol) {
      iterations++;
      converged = true;
      message = 'no further decrease at rounding level';
      break;
    }
  }
  return {
    x,
    value: f,
    gradient: g,
    iterations,
    evaluations: counter.evaluations,
    converged,
    message,
    inverseHessian: H,
  };
}

export interface PositiveMinimizeResult extends MinimizeResult {
  /** The minimiser in natural (positive) parameters, exp(x). */
  params: Float64Array;
}

/**
 * Minimise f(θ) over θ > 0 by BFGS on φ = log θ (chain rule: ∂f/∂φ = θ ∂f/∂θ). `x`, `gradient` and
 * `inverseHessian` of the result are in log space; `params` is θ.
 */
export function minimizePositive(
  fgNatural: ObjectiveWithGradient,
  theta0: ArrayLike<number>,
  options: MinimizeOptions = {},
): PositiveMinimizeResult {
  const n = theta0.length;
  const theta = new Float64Array(n);
  const gTheta = new Float64Array(n);
  const fgLog: ObjectiveWithGradient = (phi, grad) => {
    for (let i = 0; i < n; i++) theta[i] = Math.exp(phi[i]!);
    const f = fgNatural(theta, gTheta);
    for (let i = 0; i < n; i++) grad[i] = gTheta[i]! * theta[i]!;
    return f;
  };
  const x0 = new Float64Array(n);
  for (let i = 0; i < n; i++) x0[i] = Math.log(theta0[i]!);
  const result = bfgs(fgLog, x0, options);
  return { ...result, params: result.x.map(Math.exp) };
}

/**
 * Hessian by central differences of an analytic gradient: H[:, j] ≈ (∇f(x + h_j e_j) − ∇f(x − h_j e_j)) / (2 h_j),
 * h_j = step × max(|x_j|, 1e-8) (default step 1e-5 ≈ ε^{1/3}), then symmetrised.
 */
export function numericalHessian(
  gradient: (x: Float64Array, grad: Float64Array) => void,
  x: ArrayLike<number>,
  step = 1e-5,
): Float64Array {
  const n = x.length;
  const H = new Float64Array(n * n);
  const xp = Float64Array.from(x);
  const gp = new Float64Array(n);
  const gm = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const xj = x[j]!;
    const h = step * Math.max(Math.abs(xj), 1e-8);
    xp[j] = xj + h;
    gradient(xp, gp);
    xp[j] = xj - h;
    gradient(xp, gm);
    xp[j] = xj;
    for (let i = 0; i < n; i++) H[i * n + j] = (gp[i]! - gm[i]!) / (2 * h);
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const m = 0.5 * (H[i * n + j]! + H[j * n + i]!);
      H[i * n + j] = m;
      H[j * n + i] = m;
    }
  }
  return H;
}

/** Inverse of a symmetric positive-definite n×n matrix by Cholesky; undefined when it is not positive definite. */
export function invertSymmetricPositiveDefinite(A: ArrayLike<number>, n: number): Float64Array | undefined {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j]!;
      for (let k = 0; k < j; k++) s -= L[i * n + k]! * L[j * n + k]!;
      if (i === j) {
        if (!(s > 0)) return undefined;
        L[i * n + i] = Math.sqrt(s);
      } else {
        L[i * n + j] = s / L[j * n + j]!;
      }
    }
  }
  // Inverse of L (lower triangular), then A⁻¹ = L⁻ᵀ L⁻¹.
  const Li = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    Li[i * n + i] = 1 / L[i * n + i]!;
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= L[i * n + k]! * Li[k * n + j]!;
      Li[i * n + j] = s / L[i * n + i]!;
    }
  }
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = Math.max(i, j); k < n; k++) s += Li[k * n + i]! * Li[k * n + j]!;
      inv[i * n + j] = s;
    }
  }
  return inv;
}

/**
 * Standard errors √diag(H⁻¹) from the Hessian H of the total negative log-likelihood (observed information);
 * NaN entries when H is not positive definite.
 */
export function standardErrorsFromHessian(H: ArrayLike<number>, n: number): Float64Array {
  const inv = invertSymmetricPositiveDefinite(H, n);
  const se = new Float64Array(n);
  for (let i = 0; i < n; i++) se[i] = inv ? Math.sqrt(inv[i * n + i]!) : NaN;
  return se;
}

/** A model's weighted total log-likelihood; writes its gradient (natural parameters) into `grad` when given. */
export type LogLikelihoodWithGradient = (params: ArrayLike<number>, grad?: Float64Array) => number;

export interface FitOptions extends MinimizeOptions {
  /** Starting parameters (default: all 1). */
  initial?: number[];
  /** lifetimes' penalizer_coef: adds c Σθ² to the mean negative log-likelihood. Default 0. */
  penalizer?: number;
  /** Compute standard errors from the numerical Hessian (default true). */
  standardErrors?: boolean;
}

export interface FitResult<P> {
  params: P;
  /** Total log-likelihood at params (without the penalty). */
  logLikelihood: number;
  converged: boolean;
  iterations: number;
  /** Evaluations of the full likelihood (value + gradient) by BFGS, excluding the standard errors. */
  evaluations: number;
  /** Evaluations of the pilot (subsample) likelihood used to warm-start, 0 without a pilot. */
  pilotEvaluations: number;
  message: string;
  /** √diag of the inverse observed information (numerical Hessian of −ln L in natural parameters); NaN if singular. */
  standardErrors?: P;
  /** Number of customers (sum of weights). */
  customers: number;
  /** BFGS inverse-Hessian approximation of the mean negative log-likelihood in log-parameter space. */
  inverseHessianLog: Float64Array;
}

/** A cheaper likelihood (a subsample of the rows) whose fit warm-starts the full one. */
export interface PilotLikelihood {
  ll: LogLikelihoodWithGradient;
  customers: number;
}

/**
 * Maximum-likelihood fit shared by the models: minimise −ln L / N + c Σθ² over log θ by BFGS (as lifetimes does),
 * then standard errors from the numerical Hessian of −ln L. With a `pilot`, BFGS first runs on the subsample and the
 * full fit starts from its optimum and inverse Hessian (the mean objective has the same scale), which cuts the number
 * of full-data evaluations several-fold; the answer is still the optimum of the full likelihood.
 */
export function fitPositive<P>(
  ll: LogLikelihoodWithGradient,
  customers: number,
  initial: number[],
  fromVector: (v: ArrayLike<number>) => P,
  options: FitOptions,
  pilot?: PilotLikelihood,
): FitResult<P> {
  const c = options.penalizer ?? 0;
  const k = initial.length;
  const meanObjective =
    (f: LogLikelihoodWithGradient, N: number) =>
    (theta: Float64Array, grad: Float64Array): number => {
      const value = f(theta, grad);
      for (let i = 0; i < k; i++) grad[i] = -grad[i]! / N + 2 * c * theta[i]!;
      let pen = 0;
      for (let i = 0; i < k; i++) pen += theta[i]! * theta[i]!;
      return -value / N + c * pen;
    };
  let start: ArrayLike<number> = options.initial ?? initial;
  let warm: MinimizeOptions = {};
  let pilotEvaluations = 0;
  if (pilot) {
    const p = minimizePositive(meanObjective(pilot.ll, pilot.customers), start, {
      ...options,
      gradientTolerance: 1e-7,
    });
    pilotEvaluations = p.evaluations;
    if (p.params.every((v) => Number.isFinite(v) && v > 0)) {
      start = p.params;
      warm = { initialInverseHessian: p.inverseHessian };
    }
  }
  const res = minimizePositive(meanObjective(ll, customers), start, { ...options, ...warm });
  const logLikelihood = ll(res.params);
  let standardErrors: P | undefined;
  if (options.standardErrors ?? true) {
    const H = numericalHessian((theta, g) => {
      ll(theta, g);
      for (let i = 0; i < k; i++) g[i] = -g[i]!;
    }, res.params);
    standardErrors = fromVector(standardErrorsFromHessian(H, k));
  }
  return {
    params: fromVector(res.params),
    logLikelihood,
    converged: res.converged,
    iterations: res.iterations,
    evaluations: res.evaluations,
    pilotEvaluations,
    message: res.message,
    ...(standardErrors ? { standardErrors } : {}),
    customers,
    inverseHessianLog: res.inverseHessian,
  };
}

/** Above this many distinct rows, a fit is warm-started on a subsample of half as many rows. */
const PILOT_ROWS = 20_000;

/**
 * Fit a purchase-count model (BG/NBD, Pareto/NBD) on the collapsed summary, `initial` in the model's parameter
 * order. A large summary gets a pilot fit on a subsample first (see fitPositive).
 */
export function fitOnSummary<P>(
  data: CollapsedSummary | RfmColumns,
  likelihoodOf: (d: CollapsedSummary) => LogLikelihoodWithGradient,
  initial: number[],
  fromVector: (v: ArrayLike<number>) => P,
  options: FitOptions,
): FitResult<P> {
  const d = asCollapsed(data);
  const customers = (c: CollapsedSummary): number => c.count.reduce((s, v) => s + v, 0);
  let pilot: PilotLikelihood | undefined;
  if (d.x.length > PILOT_ROWS) {
    const sub = subsampleRows(d, PILOT_ROWS / 2);
    pilot = { ll: likelihoodOf(sub), customers: customers(sub) };
  }
  return fitPositive(likelihoodOf(d), customers(d), initial, fromVector, options, pilot);
}
