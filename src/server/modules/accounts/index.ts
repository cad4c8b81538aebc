export { ACCOUNTS_ENTITIES, ACCOUNTS_ERRORS, ACCOUNTS_PROBLEMS } from './accounts.errors.js';
export { type AccountsRepository, accountsRepository } from './accounts.repository.js';
export { type AccountsRouteDeps, accountsRoutes, startSession } from './accounts.routes.js';
export { type AccountsService, createAccountsService } from './accounts.service.js';
export { assertStrongPassword, hashPassword, randomPassword } from './passwords.js';
export { newApiToken, sha256 } from './tokens.js';
