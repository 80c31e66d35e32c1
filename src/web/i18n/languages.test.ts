import { describe, expect, it } from 'vitest';
import { chooseLanguage, htmlLang, matchBrowserLanguage } from './languages.js';

describe('language choice', () => {
  it.each([
    { stored: 'zh-Hant', browser: ['en-GB'], expected: 'zh-Hant' },
    { stored: 'en', browser: ['zh-HK'], expected: 'en' },
    { stored: null, browser: ['zh-HK', 'en'], expected: 'zh-Hant' },
    { stored: null, browser: ['zh-TW'], expected: 'zh-Hant' },
    { stored: null, browser: ['zh-Hant-HK'], expected: 'zh-Hant' },
    { stored: null, browser: ['zh-CN', 'en-US'], expected: 'en' },
    { stored: null, browser: ['zh-Hans-HK', 'fr'], expected: 'en' },
    { stored: 'klingon', browser: ['fr-FR', 'de'], expected: 'en' },
    { stored: null, browser: [], expected: 'en' },
  ])('stored $stored, browser $browser → $expected', ({ stored, browser, expected }) => {
    expect(chooseLanguage(stored, browser)).toBe(expected);
  });

  it('matches English variants and leaves other languages alone', () => {
    expect(matchBrowserLanguage('en-HK')).toBe('en');
    expect(matchBrowserLanguage('ja')).toBeNull();
  });

  it('marks Chinese pages as Hong Kong Traditional Chinese', () => {
    expect(htmlLang('zh-Hant')).toBe('zh-Hant-HK');
    expect(htmlLang('en')).toBe('en');
  });
});
