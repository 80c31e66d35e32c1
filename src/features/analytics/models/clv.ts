/**
 * Customer lifetime value by discounted cash flow, as lifetimes' `customer_lifetime_value` (utils._customer_lifetime_value).
 */

/** Length of one step in model time units, by the unit the model was fitted in (lifetimes' `freq` factors). */
export const CLV_STEP_LENGTH = { W: 4.345, M: 1, D: 30, H: 30 * 24 } as const;

export interface ClvOptions {
  /** Number of steps (lifetimes `time`, months). Default 12. */
  steps?: number;
  /** Discount rate per step (lifetimes `discount_rate`, monthly). Default 0.01. */
  discountRate?: number;
  /** Time unit of the model: 'W' weeks (step 4.345), 'M' months, 'D' days (30), 'H' hours. Default 'D' as lifetimes. */
  freq?: keyof typeof CLV_STEP_LENGTH;
  /** Explicit step length in model time units (overrides freq). */
  stepLength?: number;
  /** Profit margin applied to the expected spend. Default 1. */
  margin?: number;
}

/**
 * CLV = Σ_{k=1}^{steps} margin · spend · [E(Y(kΔ)) − E(Y((k−1)Δ))] / (1 + d)^k,
 * with E(Y(t)) the model's conditional expected purchases up to t and Δ the step length (lifetimes utils.py).
 */
export function customerLifetimeValue(
  expectedPurchases: (t: number) => number,
  expectedSpend: number,
  options: ClvOptions = {},
): number {
  const steps = options.steps ?? 12;
  const d = options.discountRate ?? 0.01;
  const step = options.stepLength ?? CLV_STEP_LENGTH[options.freq ?? 'D'];
  const margin = options.margin ?? 1;
  let clv = 0;
  let previous = expectedPurchases(0);
  for (let k = 1; k <= steps; k++) {
    const current = expectedPurchases(k * step);
    clv += (margin * expectedSpend * (current - previous)) / Math.pow(1 + d, k);
    previous = current;
  }
  return clv;
}

/** Revenue at risk = CLV × (1 − P(alive)): the value expected from customers who may already have churned. */
export function revenueAtRisk(clv: number, probabilityAlive: number): number {
  return clv * (1 - probabilityAlive);
}
