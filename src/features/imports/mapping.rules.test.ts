import { describe, expect, it } from 'vitest';
import { checkMapping, guessColumn, guessMapping, normaliseHeader } from './mapping.rules.js';

describe('guessing a mapping from headers', () => {
  it.each([
    ['accounts', '客戶編號', 'account_code'],
    ['accounts', '客户编号', 'account_code'],
    ['accounts', 'Customer Code', 'account_code'],
    ['accounts', 'CUSTOMER_NO.', 'account_code'],
    ['accounts', '名稱', 'name'],
    ['accounts', '客戶名稱', 'name'],
    ['accounts', 'Company Name', 'name'],
    ['accounts', '中文名稱', 'name_zh'],
    ['accounts', 'Parent Code', 'parent_code'],
    ['accounts', '集團編號', 'parent_code'],
    ['contacts', '電郵', 'email'],
    ['contacts', 'E-mail Address', 'email'],
    ['contacts', '電話', 'phone'],
    ['contacts', '手提電話', 'phone'],
    ['contacts', '聯絡人', 'name'],
    ['transactions', '日期', 'occurred_at'],
    ['transactions', 'Invoice Date', 'occurred_at'],
    ['transactions', '金額', 'amount'],
    ['transactions', 'Amount (HKD)', 'amount'],
    ['transactions', 'ＡＭＯＵＮＴ', 'amount'],
    ['transactions', '發票號碼', 'transaction_id'],
    ['transactions', 'Job No.', 'transaction_id'],
    ['transactions', 'attributes.Chargeable KG', 'attributes.chargeable_kg'],
    ['interactions', '方式', 'channel'],
    ['interactions', '備註', 'notes'],
  ] as const)('%s: %s → %s', (entity, header, expected) => {
    expect(guessColumn(entity, header)).toBe(expected);
  });

  it('leaves unknown headers unmapped and maps each column once', () => {
    expect(guessMapping('transactions', ['Date', 'Invoice Date', 'Colour', '客戶編號'])).toEqual({
      Date: 'occurred_at',
      'Invoice Date': null,
      Colour: null,
      客戶編號: 'account_code',
    });
  });

  it('maps headers equal to a custom field key or label (after the canonical columns) for accounts and contacts', () => {
    const fields = [
      { key: 'birthday', labelEn: 'Birthday', labelZh: '生日' },
      { key: 'shoe_size', labelEn: 'Shoe size', labelZh: null },
      { key: 'title_zh', labelEn: 'Title', labelZh: '職位' },
    ];
    expect(guessMapping('contacts', ['生日', 'BIRTHDAY', 'Shoe_Size (EU)', 'Title', 'Colour'], fields)).toEqual({
      生日: 'custom.birthday',
      BIRTHDAY: null,
      'Shoe_Size (EU)': 'custom.shoe_size',
      // A canonical column wins over a custom field of the same name.
      Title: 'title',
      Colour: null,
    });
    expect(guessColumn('accounts', 'Birthday', fields)).toBe('custom.birthday');
    expect(guessColumn('transactions', 'Birthday', fields)).toBeNull();
  });

  it('normalises spacing, case, width and a trailing unit', () => {
    expect(normaliseHeader(' Amount (HKD): ')).toBe('amount');
    expect(normaliseHeader('\uFEFFcustomer_code')).toBe('customer code');
  });

  it('names what a mapping lacks', () => {
    const check = checkMapping('transactions', ['id', 'amt'], { id: 'transaction_id', amt: 'amount' });
    expect(check.missingRequired).toEqual(['account_code', 'occurred_at']);
    expect(checkMapping('contacts', ['code', 'x'], { code: 'account_code', x: null }).missingRequired).toEqual([
      'name|email|phone',
    ]);
    expect(checkMapping('accounts', ['a', 'b'], { a: 'account_code', b: 'colour' }).unknownTargets).toEqual(['colour']);
  });
});
