// GET /api/breaks/pass → {"pass": null | {phase, step, step_number, steps, …}}: the break-detection
// pass running or queued in this server (the breaks page polls it while one is).
import { currentBreakPass } from '../../../../lib/server/breaks/break-pass-status';
import { withRoute } from '../../../../lib/server/http/route';

export const dynamic = 'force-dynamic';

export const GET = withRoute({ permission: 'breaks.read' }, async () => Response.json({ pass: currentBreakPass() }));
