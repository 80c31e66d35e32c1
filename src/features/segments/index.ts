export * from './segment.schema.js';
export {
  createSegmentService,
  seedDefaultSegments,
  withSegmentSnapshots,
  type SegmentDeps,
  type SegmentService,
} from './segment.service.js';
export type { MemberFacts } from './segment.repository.js';
export type { RunIds } from './segment.query.js';
export { segmentRoutes } from './segment.routes.js';
export { registerSegmentCommands, describeRule, parseId } from './segment.commands.js';
export {
  catalogueList,
  segmentTemplates,
  templatesFor,
  validateRule,
  analysisKindsOf,
  ABC_CLASSES,
  CHURN_CLASSES,
} from './segment.rules.js';
export {
  addDays,
  addMonths,
  daysBetween,
  localDate,
  nextWorkingDay,
  todayOf,
  twelveMonthsTo,
  weekday,
  DEFAULT_TIME_ZONE,
} from './calendar.rules.js';
