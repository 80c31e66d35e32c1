import type { Factor } from './market.schema.js';

/**
 * Kotler's decomposition of market share (Kotler, Marketing Management; requirement B6):
 *
 *   market share = customer penetration × customer loyalty × customer selectivity × price selectivity
 *
 * With N customers in the market buying V (value) and Q (volume), our n customers buying v and q from us, and W the
 * volume our customers buy from all suppliers:
 *   Cp = n / N                       (penetration: share of the market's customers who buy from us)
 *   Cl = q / W                       (loyalty: our share of our customers' purchases — "share of wallet")
 *   Cs = (W / n) / (Q / N)           (selectivity: our customers' average purchase against the market's average)
 *   Ps = (v / q) / (V / Q)           (price selectivity: our average price against the market's average price)
 * and the product is (n/N)(q/W)(W/n)(N/Q)(v/q)(Q/V) = v / V, the value share.
 *
 * Q is not entered: with the competitors' average price Pc, the competitors sold (V − v) / Pc, so Q = q + (V − v) / Pc.
 * W comes from the share of wallet s the user enters (W = q / s); without it, loyalty and selectivity are reported
 * only as their product Cl × Cs = (q / n) / (Q / N).
 */
export interface KotlerInput {
  marketCustomers: number;
  marketValue: number;
  averageCompetitorPrice: number;
  shareOfWallet: number | null;
  ourCustomers: number;
  ourValue: number;
  ourVolume: number;
  /** Name of the volume unit for the texts ("TEU"; null: transactions). */
  unit: string | null;
}

export interface KotlerResult {
  factors: Factor[];
  marketShare: number | null;
  check: number | null;
  averagePrice: number | null;
  marketVolume: number | null;
  marketAveragePrice: number | null;
  warnings: string[];
}

export const kotlerFormulas: readonly { key: Factor['key']; name: string; formula: string }[] = [
  {
    key: 'penetration',
    name: 'Customer penetration (Cp)',
    formula: 'Cp = customers who buy from us / customers in the market = n / N',
  },
  {
    key: 'loyalty',
    name: 'Customer loyalty (Cl)',
    formula:
      "Cl = our customers' purchases from us / their purchases from all suppliers (volume) = q / W = share of wallet",
  },
  {
    key: 'selectivity',
    name: 'Customer selectivity (Cs)',
    formula:
      "Cs = our customers' average purchase / the market's average purchase per customer (volume) = (W / n) / (Q / N)",
  },
  {
    key: 'priceSelectivity',
    name: 'Price selectivity (Ps)',
    formula:
      "Ps = our average price / the market's average price = (v / q) / (V / Q), with Q = q + (V − v) / competitors' price",
  },
  {
    key: 'loyaltyTimesSelectivity',
    name: 'Loyalty × selectivity (Cl × Cs)',
    formula: "Cl × Cs = our volume per customer / the market's volume per customer = (q / n) / (Q / N)",
  },
  {
    key: 'marketShare',
    name: 'Market share (value)',
    formula: 'Market share = Cp × Cl × Cs × Ps = our sales / market sales = v / V',
  },
];

const formulaOf = (key: Factor['key']) => kotlerFormulas.find((f) => f.key === key) ?? { name: key, formula: '' };

const fmt = (value: number, digits = 4): string =>
  Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en') : Number(value.toPrecision(digits)).toString();

export function kotler(input: KotlerInput): KotlerResult {
  const { marketCustomers: N, marketValue: V, averageCompetitorPrice: Pc, shareOfWallet: s } = input;
  const { ourCustomers: n, ourValue: v, ourVolume: q } = input;
  const unit = input.unit ?? 'transactions';
  const warnings: string[] = [];
  if (n > N) warnings.push(`We have more customers in the period (${n}) than the market size entered (${N}).`);
  if (v > V) warnings.push(`Our sales (${fmt(v)}) exceed the market value entered (${fmt(V)}).`);
  const factor = (key: Factor['key'], value: number | null, computation: string): Factor => ({
    key,
    name: formulaOf(key).name,
    formula: formulaOf(key).formula,
    value: value !== null && Number.isFinite(value) ? value : null,
    computation,
  });
  const share = V > 0 ? v / V : null;
  if (n === 0 || q <= 0) {
    warnings.push(
      n === 0 ? 'No customer of the segment bought from us in the period.' : `No volume in ${unit} in the period.`,
    );
    return {
      factors: [
        factor('penetration', n / N, `${n} / ${N}`),
        factor('loyalty', null, 'no purchases'),
        factor('selectivity', null, 'no purchases'),
        factor('priceSelectivity', null, 'no purchases'),
        factor('loyaltyTimesSelectivity', null, 'no purchases'),
        factor('marketShare', share, `${fmt(v)} / ${fmt(V)}`),
      ],
      marketShare: share,
      check: null,
      averagePrice: null,
      marketVolume: null,
      marketAveragePrice: null,
      warnings,
    };
  }
  const p = v / q;
  const competitorVolume = Math.max(V - v, 0) / Pc;
  const Q = q + competitorVolume;
  const marketPrice = V / Q;
  const cp = n / N;
  const ls = q / n / (Q / N);
  const ps = p / marketPrice;
  const cl = s;
  const W = s === null ? null : q / s;
  const cs = W === null ? null : W / n / (Q / N);
  const check = cp * ls * ps;
  if (s === null) warnings.push('Without a share of wallet, loyalty and selectivity are shown only as their product.');
  return {
    factors: [
      factor('penetration', cp, `${n} / ${N}`),
      factor('loyalty', cl, s === null ? 'share of wallet not entered' : `${fmt(q)} / ${fmt(W ?? 0)} ${unit}`),
      factor('selectivity', cs, W === null ? 'share of wallet not entered' : `(${fmt(W)} / ${n}) / (${fmt(Q)} / ${N})`),
      factor('priceSelectivity', ps, `(${fmt(v)} / ${fmt(q)}) / (${fmt(V)} / ${fmt(Q)})`),
      factor('loyaltyTimesSelectivity', ls, `(${fmt(q)} / ${n}) / (${fmt(Q)} / ${N})`),
      factor('marketShare', share, `${fmt(v)} / ${fmt(V)}`),
    ],
    marketShare: share,
    check,
    averagePrice: p,
    marketVolume: Q,
    marketAveragePrice: marketPrice,
    warnings,
  };
}
