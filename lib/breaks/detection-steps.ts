// The steps of a break-detection pass (db/breaks/detect-breaks.ts), in the order they run, with
// what the job page calls them. At 10M messages a pass takes minutes; the page shows which step
// it is in rather than a percentage: the steps' shares of the time depend on the data (the
// chains step is a quarter of a 10M pass, the counterparty step a sixth, and neither runs
// without its tables).

export const DETECTION_STEPS = [
  'lock',
  'scope',
  'events',
  'sequence',
  'chains',
  'fills',
  'summary',
  'lifecycle',
  'stage',
  'counterparty',
  'persist',
  'matches',
  'write',
  'commit',
  'cleanup',
  'checkpoint',
  'prewarm',
] as const;

export type DetectionStep = (typeof DETECTION_STEPS)[number];

export const DETECTION_STEP_LABELS: Readonly<Record<DetectionStep, string>> = {
  lock: 'waiting for the database (other writes finish first)',
  scope: 'finding the sessions the new jobs touched',
  events: 'reading the order events',
  sequence: 'checking sequence numbers',
  chains: 'linking orders into chains (ClOrdID, OrigClOrdID)',
  fills: 'collecting the fills',
  summary: 'summarising each chain',
  lifecycle: 'checking order lifecycles',
  stage: 'staging the order state',
  counterparty: 'matching counterparty confirmations to fills',
  persist: 'saving chains, messages and fills',
  matches: 'saving the confirmation matches',
  write: 'writing the breaks',
  commit: 'committing',
  cleanup: 'dropping the temporary tables',
  checkpoint: 'checkpointing the database',
  prewarm: 'reading the drill-down tables into memory',
};

const ORDER_STEPS: ReadonlySet<DetectionStep> = new Set(['scope', 'events', 'sequence', 'chains', 'fills', 'summary', 'lifecycle', 'stage', 'persist']);
const CONFIRMATION_STEPS: ReadonlySet<DetectionStep> = new Set(['counterparty', 'matches']);

/** The steps a pass runs for the warehouse tables it finds (order events, confirmations), in order. */
export function detectionPlan(has: { orders: boolean; confirmations: boolean }): DetectionStep[] {
  return DETECTION_STEPS.filter((s) => (has.orders || !ORDER_STEPS.has(s)) && (has.confirmations || !CONFIRMATION_STEPS.has(s)));
}

export function isDetectionStep(s: string): s is DetectionStep {
  return (DETECTION_STEPS as readonly string[]).includes(s);
}
