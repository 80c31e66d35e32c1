import { describe, expect, it } from 'vitest';
import { areas } from '../areas.js';
import en from './en.json' with { type: 'json' };
import zhHant from './zh-Hant.json' with { type: 'json' };

/** Every key path of a resource tree, each with its string ("nav.customers" → "Customers"). */
function flatten(tree: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof tree === 'string') {
    out.set(prefix, tree);
    return out;
  }
  if (typeof tree !== 'object' || tree === null || Array.isArray(tree)) {
    throw new Error(`${prefix || '(root)'} is neither a string nor an object`);
  }
  for (const [key, value] of Object.entries(tree)) {
    for (const [path, text] of flatten(value, prefix ? `${prefix}.${key}` : key)) out.set(path, text);
  }
  return out;
}

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1] ?? '').sort();

const english = flatten(en);
const chinese = flatten(zhHant);

describe('i18n resources', () => {
  it('have the same keys in English and Traditional Chinese', () => {
    const missingInChinese = [...english.keys()].filter((key) => !chinese.has(key));
    const missingInEnglish = [...chinese.keys()].filter((key) => !english.has(key));
    expect({ missingInChinese, missingInEnglish }).toEqual({ missingInChinese: [], missingInEnglish: [] });
  });

  it('have no empty strings', () => {
    const empty = [...english, ...chinese].filter(([, text]) => text.trim() === '').map(([key]) => key);
    expect(empty).toEqual([]);
  });

  it('use the same {{placeholders}} in both languages', () => {
    const mismatched = [...english]
      .filter(
        ([key, text]) => chinese.has(key) && placeholders(text).join() !== placeholders(chinese.get(key) ?? '').join(),
      )
      .map(([key]) => key);
    expect(mismatched).toEqual([]);
  });

  it('translate the navigation and area descriptions into Chinese (not left in English)', () => {
    for (const area of areas) {
      for (const key of [`nav.${area.key}`, `areas.${area.key}`]) {
        expect(english.get(key), key).toBeTruthy();
        expect(chinese.get(key), key).toMatch(/\p{Script=Han}/u);
      }
    }
  });

  it('use Hong Kong terms for the main areas', () => {
    expect(Object.fromEntries([...chinese].filter(([key]) => key.startsWith('nav.')))).toMatchObject({
      'nav.customers': '客戶',
      'nav.complaints': '投訴',
      'nav.surveys': '問卷調查',
      'nav.kpis': '關鍵績效指標',
      'nav.privacy': '私隱',
    });
  });
});
