import { describe, expect, it } from 'vitest';
import { actions, resources, roles, type Role } from './auth.schema.js';
import {
  assertFieldsUsable,
  buildActor,
  fieldVisibility,
  maskRecord,
  renderPermissionsDoc,
  requireScope,
  roleMatrix,
  roleWithin,
  scopeCovers,
  scopeFor,
  sensitiveFields,
  systemActor,
  visibleColumns,
} from './permissions.rules.js';

const actorOf = (role: Role) => buildActor({ userId: 7, role, team: 'Sea Freight', via: 'token' });

describe('role matrix', () => {
  it('has a row for every role and only known resources, actions and scopes', () => {
    expect(Object.keys(roleMatrix).sort()).toEqual([...roles].sort());
    for (const role of roles) {
      for (const [resource, row] of Object.entries(roleMatrix[role])) {
        expect(resources).toContain(resource);
        for (const [action, scope] of Object.entries(row ?? {})) {
          expect(actions).toContain(action);
          expect(['own', 'team', 'all']).toContain(scope);
        }
      }
    }
  });

  it('gives admin every action on every resource, except changing the audit log', () => {
    for (const resource of resources) {
      for (const action of actions) {
        const expected = resource === 'audit' && action !== 'read' && action !== 'export' ? null : 'all';
        expect(scopeFor('admin', resource, action), `${resource}.${action}`).toBe(expected);
      }
    }
  });

  it('lets nobody create, update, delete or import audit entries through a permission', () => {
    for (const role of roles) {
      for (const action of ['create', 'update', 'delete', 'import'] as const)
        expect(scopeFor(role, 'audit', action)).toBeNull();
    }
  });

  it('reads the audit log only as admin, auditor or privacy officer', () => {
    expect(roles.filter((role) => scopeFor(role, 'audit', 'read'))).toEqual(['admin', 'privacy_officer', 'auditor']);
  });

  it('keeps auditors and viewers read-only (apart from their own API tokens)', () => {
    for (const role of ['auditor', 'viewer'] as const) {
      for (const resource of resources.filter((r) => r !== 'tokens')) {
        for (const action of actions.filter((a) => a !== 'read' && a !== 'export')) {
          expect(scopeFor(role, resource, action), `${role} ${resource}.${action}`).toBeNull();
        }
      }
    }
  });

  it('administers users and teams only as admin (managers see their team)', () => {
    expect(roles.filter((role) => scopeFor(role, 'users', 'update'))).toEqual(['admin']);
    expect(scopeFor('manager', 'users', 'read')).toBe('team');
    expect(roles.filter((role) => scopeFor(role, 'teams', 'create'))).toEqual(['admin']);
  });

  it('grants the import action with scope all only (an import writes whatever the file holds)', () => {
    for (const role of roles) {
      for (const resource of resources) {
        const scope = scopeFor(role, resource, 'import');
        if (scope) expect(scope, `${role} ${resource}`).toBe('all');
      }
    }
  });

  it('gives every role its own API tokens', () => {
    for (const role of roles) expect(scopeFor(role, 'tokens', 'create')).not.toBeNull();
  });

  it('answers a forbidden error naming the role and the action', () => {
    expect(() => requireScope(actorOf('viewer'), 'accounts', 'delete')).toThrow(/viewer.*delete accounts/);
    expect(requireScope(actorOf('sales'), 'accounts', 'update')).toBe('own');
  });
});

describe('scopes', () => {
  it.each([
    ['all', 'other', true],
    ['team', 'team', true],
    ['team', 'other', false],
    ['own', 'own', true],
    ['own', 'team', false],
    ['own', 'other', false],
  ] as const)('%s covers a %s record: %s', (scope, relation, covered) => {
    expect(scopeCovers(scope, relation)).toBe(covered);
  });

  it('orders roles: every role is within admin and within itself; none but admin is within nothing wider', () => {
    for (const role of roles) {
      expect(roleWithin(role, 'admin')).toBe(true);
      expect(roleWithin(role, role)).toBe(true);
      if (role !== 'admin') expect(roleWithin('admin', role)).toBe(false);
    }
    expect(roleWithin('viewer', 'sales')).toBe(false); // viewer reads all analytics, sales only its own accounts'
    expect(roleWithin('viewer', 'manager')).toBe(true);
    expect(roleWithin('auditor', 'viewer')).toBe(false);
  });
});

describe('field masks', () => {
  it('shows personal data to the roles that work with customers, commercial secrets to management and analysts', () => {
    expect(roles.filter((role) => fieldVisibility[role].personal)).toEqual([
      'admin',
      'manager',
      'sales',
      'service',
      'marketing',
      'privacy_officer',
    ]);
    expect(roles.filter((role) => fieldVisibility[role].commercial)).toEqual(['admin', 'manager', 'analyst']);
  });

  it('masks fields to null and says which, without touching the original', () => {
    const contact = { id: 1, name: 'Chan Tai Man', email: 'tm@example.hk', phone: '+85291234567' };
    const fields = { email: 'contacts.email', phone: 'contacts.phone' } as const;
    const analyst = maskRecord(actorOf('analyst'), contact, fields);
    expect(analyst.record).toEqual({ id: 1, name: 'Chan Tai Man', email: null, phone: null });
    expect(analyst.masked).toEqual(['email', 'phone']);
    expect(contact.email).toBe('tm@example.hk');
    expect(maskRecord(actorOf('sales'), contact, fields)).toEqual({ record: contact, masked: [] });
  });

  it('refuses filtering, sorting or counting by a masked field', () => {
    expect(() => assertFieldsUsable(actorOf('analyst'), ['contacts.email'])).toThrow(/analyst.*contacts\.email/);
    expect(() => assertFieldsUsable(actorOf('sales'), ['transactions.margin'], 'sort by')).toThrow(
      /sort by transactions\.margin/,
    );
    expect(() => assertFieldsUsable(actorOf('manager'), ['contacts.phone', 'transactions.cost'])).not.toThrow();
  });

  it('leaves masked columns out of exports', () => {
    const columns = [
      { name: 'code' },
      { name: 'email', field: 'contacts.email' as const },
      { name: 'margin', field: 'transactions.margin' as const },
    ];
    expect(visibleColumns(actorOf('viewer'), columns).map((c) => c.name)).toEqual(['code']);
    expect(visibleColumns(actorOf('marketing'), columns).map((c) => c.name)).toEqual(['code', 'email']);
    expect(visibleColumns(systemActor(), columns)).toHaveLength(3);
  });

  it('classifies every sensitive field', () => {
    expect(Object.values(sensitiveFields).every((c) => c === 'personal' || c === 'commercial')).toBe(true);
  });
});

describe('permissions document', () => {
  it('lists every resource, every role and the masks', () => {
    const doc = renderPermissionsDoc();
    for (const resource of resources) expect(doc).toContain(`### ${resource}`);
    expect(doc).toContain('| Privacy officer |');
    expect(doc).toContain('`contacts.email`');
  });
});
