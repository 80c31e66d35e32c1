import type { AbcClass, ChurnClass } from '../../../features/analytics/analytics.schema.js';

/**
 * One colour per class, the same in every chart, badge and table: A/B/C from strong to faint (green, amber, grey),
 * churn classes from green (active) through amber and orange to red (lost).
 */
export const abcColors: Record<AbcClass, string> = { A: '#2b8a3e', B: '#f59f00', C: '#868e96' };

/** The same hues, faint, for bands behind a curve. */
export const abcBandColors: Record<AbcClass, string> = {
  A: 'rgba(43, 138, 62, 0.10)',
  B: 'rgba(245, 159, 0, 0.12)',
  C: 'rgba(134, 142, 150, 0.10)',
};

export const churnColors: Record<ChurnClass, string> = {
  active: '#2b8a3e',
  declining: '#f59f00',
  at_risk: '#e8590c',
  lost: '#c92a2a',
};

export const abcClasses: readonly AbcClass[] = ['A', 'B', 'C'];
export const churnClasses: readonly ChurnClass[] = ['active', 'declining', 'at_risk', 'lost'];

/** Sequential scale of the heatmaps (light to dark teal, the app's primary colour). */
export const heatColors: readonly string[] = ['#f1f9f7', '#c3fae8', '#63e6be', '#20c997', '#0ca678', '#087f5b'];

export const neutral = { line: '#495057', grid: '#dee2e6', muted: '#adb5bd', predicted: '#1c7ed6', actual: '#2b8a3e' };
