// Browser tests of accounts: signing in (the one-time admin password, a display screen, revocation),
// then the admin sheet, the device registry, the boundary and resources imports, in this order: the admin sheet signs in with the password the first chose.
import { describe } from 'vitest';
import { loginTests } from './login.ts';
import { adminTests } from './admin.ts';
import { registryTests } from './registry.ts';
import { boundaryTests, resourceImportTests, resourceRenameTests } from './boundaries.ts';
import { useDashboard } from './support.ts';

const get = useDashboard();

describe('accounts', () => {
  loginTests(get);
  adminTests(get);
  registryTests(get);
  boundaryTests(get);
  resourceImportTests(get);
  resourceRenameTests(get);
});
