import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../shared/clock.js';
import type { SegmentService } from '../segments/index.js';
import { createKeyAccountService } from './key-account.service.js';
import { createMarketService } from './market.service.js';
import type { StrategyServices } from './strategy.routes.js';
import { createStrategyService } from './strategy.service.js';
import { createTaskService } from './task.service.js';

export * from './strategy.schema.js';
export * from './task.schema.js';
export * from './key-account.schema.js';
export * from './market.schema.js';
export { createStrategyService, type StrategyService } from './strategy.service.js';
export { createTaskService, type TaskService } from './task.service.js';
export { createKeyAccountService, type KeyAccountService } from './key-account.service.js';
export { createMarketService, type MarketService } from './market.service.js';
export { strategyRoutes, type StrategyServices } from './strategy.routes.js';
export { registerStrategyCommands } from './strategy.commands.js';
export { kotler, kotlerFormulas } from './market.rules.js';

/** The strategy feature's services, wired once (compose.ts). */
export function createStrategyServices(deps: {
  db: Kysely<DB>;
  clock: Clock;
  segments: SegmentService;
  timeZone?: string;
}): StrategyServices {
  return {
    strategies: createStrategyService(deps),
    tasks: createTaskService(deps),
    keyAccounts: createKeyAccountService(deps),
    market: createMarketService(deps),
  };
}
