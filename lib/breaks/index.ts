// The pure rules layer of trade breaks: classes and their FIX references, stable ids, config and
// tolerances, severity and ageing, match traces. The SQL that finds breaks is in db/breaks.
export * from './break-classes';
export * from './break-id';
export * from './break-config';
export * from './tolerance';
export * from './severity';
export * from './business-days';
export * from './match-trace';
export * from './break-record';
export * from './detection-steps';
