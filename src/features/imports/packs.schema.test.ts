import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attributeSchema } from './packs.schema.js';

const issues = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  result.success ? [] : (result.error?.issues ?? []).map((issue) => `${String(issue.path[0])}: ${issue.message}`);

describe('industry packs', () => {
  it('reads freight attributes in English or Chinese words and normalises codes', () => {
    const schema = attributeSchema('freight', [
      'mode',
      'lane',
      'container_type',
      'transit_days',
      'incoterm',
      'direction',
    ]);
    expect(
      schema.parse({
        mode: '整櫃',
        lane: 'hkg-lax',
        container_type: '40hq',
        transit_days: '18',
        incoterm: 'fob',
        direction: '出口',
      }),
    ).toEqual({
      mode: 'sea_fcl',
      lane: 'HKG-LAX',
      container_type: '40HQ',
      transit_days: 18,
      incoterm: 'FOB',
      direction: 'export',
    });
  });

  it('names every bad attribute with what was wrong', () => {
    const schema = attributeSchema('freight', ['mode', 'container_type', 'transit_days', 'gross_weight_kg']);
    expect(
      issues(schema.safeParse({ mode: 'boat', container_type: '30XX', transit_days: '2.5', gross_weight_kg: '-1' })),
    ).toEqual([
      expect.stringMatching(/^mode: "boat" is not a freight mode/),
      expect.stringMatching(/^container_type: "30XX" is not a container type/),
      'transit_days: "2.5" is not a whole number',
      expect.stringMatching(/^gross_weight_kg: -1 is outside/),
    ]);
  });

  it('checks automotive and retail attributes by their own pack', () => {
    const car = attributeSchema('automotive', ['service_type', 'mileage_km', 'vin', 'trade_in']);
    expect(car.parse({ service_type: '保養', mileage_km: '45,210', vin: '', trade_in: 'yes' })).toEqual({
      service_type: 'periodic_maintenance',
      mileage_km: 45210,
      vin: null,
      trade_in: true,
    });
    expect(
      issues(car.safeParse({ service_type: 'carwash', mileage_km: '1', vin: 'IOQ12345678901234', trade_in: 'maybe' })),
    ).toHaveLength(3);
    const shop = attributeSchema('retail', ['payment', 'promotion']);
    expect(shop.parse({ payment: '八達通', promotion: '否' })).toEqual({ payment: 'octopus', promotion: false });
  });

  it('keeps a key no pack names: a number when it reads as one, else text', () => {
    const schema = attributeSchema('retail', ['loyalty_points', 'cashier']);
    expect(schema.parse({ loyalty_points: '120', cashier: 'Mei' })).toEqual({ loyalty_points: 120, cashier: 'Mei' });
  });

  it('accepts every whole number of days in range, and refuses every one outside it', () => {
    const schema = attributeSchema('freight', ['transit_days']);
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), (days) => {
        expect(schema.safeParse({ transit_days: String(days) }).success).toBe(days >= 0 && days <= 180);
      }),
    );
  });
});
