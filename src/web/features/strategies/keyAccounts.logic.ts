import type { EChartsOption, ScatterSeriesOption } from 'echarts';
import type { PortfolioMatrix, Quadrant } from '../../../features/strategies/key-account.schema.js';

/** The key-account portfolio chart: our position (fit) across, the account's attractiveness up, 1–5 each. */
export const quadrantOrder: readonly Quadrant[] = ['key_strategic', 'key_development', 'key_status', 'key_maintenance'];

export const quadrantColors: Readonly<Record<Quadrant, string>> = {
  key_strategic: '#0ca678',
  key_development: '#1c7ed6',
  key_status: '#f59f00',
  key_maintenance: '#868e96',
};

export interface MatrixText {
  attractiveness: string;
  fit: string;
  quadrant: (quadrant: Quadrant) => string;
  formatMoney: (value: number) => string;
}

/** Bubble area ∝ 12-month revenue, 10 to 40 px across, so that a small account stays visible. */
export function bubbleSize(revenue: number, largest: number): number {
  if (largest <= 0 || revenue <= 0) return 10;
  return Math.round(10 + 30 * Math.sqrt(revenue / largest));
}

/** Where each quadrant's name goes: the corner of the 1–5 square it covers. */
const corners: readonly { quadrant: Quadrant; x: number; y: number; align: 'left' | 'right' }[] = [
  { quadrant: 'key_strategic', x: 4.95, y: 4.9, align: 'right' },
  { quadrant: 'key_development', x: 1.05, y: 4.9, align: 'left' },
  { quadrant: 'key_status', x: 4.95, y: 1.1, align: 'right' },
  { quadrant: 'key_maintenance', x: 1.05, y: 1.1, align: 'left' },
];

export function matrixOption(matrix: PortfolioMatrix, text: MatrixText): EChartsOption {
  const largest = Math.max(0, ...matrix.points.map((point) => point.revenue12m));
  const axis = (name: string) => ({
    type: 'value' as const,
    name,
    nameLocation: 'middle' as const,
    nameGap: 30,
    min: 1,
    max: 5,
    interval: 1,
  });
  const accounts: ScatterSeriesOption[] = quadrantOrder.map((quadrant) => ({
    type: 'scatter',
    name: text.quadrant(quadrant),
    itemStyle: { color: quadrantColors[quadrant], opacity: 0.8 },
    data: matrix.points
      .filter((point) => point.quadrant === quadrant)
      .map((point) => ({
        name: `${point.accountCode} ${point.accountName}`,
        value: [point.fit, point.attractiveness, point.revenue12m],
        symbolSize: bubbleSize(point.revenue12m, largest),
      })),
  }));
  const labels: ScatterSeriesOption = {
    type: 'scatter',
    silent: true,
    symbolSize: 0,
    tooltip: { show: false },
    data: corners.map((corner) => ({
      value: [corner.x, corner.y],
      label: {
        show: true,
        formatter: text.quadrant(corner.quadrant),
        position: corner.align === 'right' ? 'left' : 'right',
        color: quadrantColors[corner.quadrant],
        fontWeight: 'bold',
      },
    })),
    markLine: {
      silent: true,
      symbol: 'none',
      lineStyle: { type: 'dashed', color: '#adb5bd' },
      label: { show: false },
      data: [{ xAxis: matrix.midpoint }, { yAxis: matrix.midpoint }],
    },
  };
  return {
    grid: { left: 56, right: 24, top: 24, bottom: 48 },
    tooltip: {
      trigger: 'item',
      formatter: (params) => {
        const item = Array.isArray(params) ? params[0] : params;
        const [fit = 0, attractiveness = 0, revenue = 0] = (item?.value ?? []) as number[];
        return [
          item?.name ?? '',
          `${text.fit}: ${fit.toFixed(2)} · ${text.attractiveness}: ${attractiveness.toFixed(2)}`,
          text.formatMoney(revenue),
        ].join('<br/>');
      },
    },
    xAxis: axis(text.fit),
    yAxis: axis(text.attractiveness),
    series: [...accounts, labels],
  };
}
