import { expect, it } from 'vitest';
import { currentPermissionsDoc, expectedPermissionsDoc } from '../../../scripts/generate-permissions-doc.js';

it('docs/permissions.md is generated from the role matrix and up to date', async () => {
  const expected = await expectedPermissionsDoc();
  // Stale? Run: node --import tsx scripts/generate-permissions-doc.ts
  expect(currentPermissionsDoc()).toBe(expected);
});
