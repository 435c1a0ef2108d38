'use client';
// While a break-detection pass runs or waits (minutes at 10M messages), the breaks page and the
// order page say so: what they show is the last pass's. Polls /api/breaks/pass every 3 s and reloads
// the page's data once the pass is over.
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { BreakPassView } from '../../lib/server/jobs/break-pass-progress';
import { describeBreakPass } from '../jobs/job-format';

/** `shown`: what the page lists that the pass recomputes (the breaks; an order's chains and breaks). */
export function BreakPassBanner({ initial, shown = 'The breaks below are' }: { initial: BreakPassView | null; shown?: string }) {
  const [pass, setPass] = useState<BreakPassView | null>(initial);
  const router = useRouter();

  useEffect(() => {
    if (!pass) return;
    let stopped = false;
    const timer = setTimeout(async () => {
      try {
        const res = await fetch('/api/breaks/pass', { cache: 'no-store' });
        if (stopped) return;
        // A refused poll (503 db.busy) keeps the banner and polls again.
        if (!res.ok) return setPass({ ...pass });
        const next = ((await res.json()) as { pass: BreakPassView | null }).pass;
        if (stopped) return;
        if (next === null) router.refresh();
        setPass(next);
      } catch {
        if (!stopped) setPass({ ...pass });
      }
    }, 3000);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [pass, router]);

  if (!pass) return null;
  return (
    <p className="status-warn" role="status" data-testid="breaks-pass">
      Break detection {pass.phase === 'queued' ? 'is queued' : 'is running'} (
      {pass.job_ids.map((id, i) => (
        <span key={id}>
          {i > 0 && ', '}
          <a href={`/jobs/${encodeURIComponent(id)}`}>job {id.slice(0, 8)}</a>
        </span>
      ))}
      ): {describeBreakPass(pass)}. {shown} those of the last pass; this page reloads when it is done.
    </p>
  );
}
